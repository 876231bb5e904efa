"""Parley client: length-prefixed JSON-RPC 2.0 over TCP, standard library only.

    from parley_client import Client, NotFoundError

    with Client("127.0.0.1", 7411, api_key="prly_...") as client:
        tenant = client.call("tenants.create", slug="acme", name="Acme")
        for group in client.iterate("groups.list", tenant_id=tenant["id"]):
            print(group["name"])

For asyncio, ``parley_client.aio.Client`` has the same API as coroutines (``async with``,
``await client.call(...)``, ``async for event in watch``).

See README.md for the full tour and PROTOCOL.md for the wire protocol.
"""

from ._version import __version__
from .client import (DEFAULT_CLIENT_NAME, DEFAULT_PORT, PROTOCOL_VERSION, Client, Pipeline,
                     Watch)
from . import errors
from .tls import PlaintextRefusedError, TLSError
from .errors import (ERROR_CLASSES, BusyError, ConflictError, ConnectionClosedError,
                     ForbiddenError, FrameTooLargeError, GoneError, InternalError,
                     InvalidParamsError, InvalidRequestError, MethodNotFoundError,
                     NotFoundError, ParleyConnectionError, ParleyError, ParleyException,
                     ParleyTimeoutError,
                     ParseError, PayloadTooLargeError, ProtocolError, RateLimitedError,
                     UnauthenticatedError, WatchClosedError, error_from_object,
                     error_from_response)

__all__ = [
    "__version__",
    "Client",
    "Pipeline",
    "Watch",
    "DEFAULT_PORT",
    "DEFAULT_CLIENT_NAME",
    "PROTOCOL_VERSION",
    "TLSError",
    "PlaintextRefusedError",
]
__all__ += errors.__all__
