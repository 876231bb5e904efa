"""Exceptions raised by the Parley client.

Everything this package raises on purpose derives from :class:`ParleyException`:

- :class:`ParleyError` and its subclasses: the server answered with a JSON-RPC error object. There is
  one subclass per ``error.code`` / ``error.data.kind`` of PROTOCOL.md §5 (plus ``gone`` for watch
  resumption); an unknown code maps to :class:`ParleyError` itself, whose ``kind`` still tells what
  the server said.
- :class:`ParleyConnectionError`: the server could not be reached;
  :class:`ConnectionClosedError`: the connection is gone (the server closed it, the network failed,
  or :meth:`Client.close` was called) and no server error explains why;
  :class:`WatchClosedError` when the server ended a watch with ``watch.closed``.
- :class:`ParleyTimeoutError`: no response within the timeout (the call's outcome is unknown).
- :class:`ProtocolError`: the server sent bytes that are not a valid Parley frame or response.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Type

__all__ = [
    "ParleyException",
    "ParleyError",
    "ParseError",
    "InvalidRequestError",
    "MethodNotFoundError",
    "InvalidParamsError",
    "InternalError",
    "UnauthenticatedError",
    "ForbiddenError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "PayloadTooLargeError",
    "GoneError",
    "BusyError",
    "ParleyConnectionError",
    "ConnectionClosedError",
    "WatchClosedError",
    "ParleyTimeoutError",
    "ProtocolError",
    "FrameTooLargeError",
    "ERROR_CLASSES",
    "error_from_object",
    "error_from_response",
]


class ParleyException(Exception):
    """Base class of every exception this package raises on purpose."""


class ParleyError(ParleyException):
    """An error response from the server (PROTOCOL.md §5).

    Attributes:
        code: the JSON-RPC error code (``-32602``, ``-32009``, ...).
        message: English text for people; it may change between server versions.
        data: the error's ``data`` object (always a dict; ``{}`` if the server sent none).
        kind: ``data["kind"]``, the stable snake_case name of the error (``"invalid_params"``).
        connection_closed: ``True`` when the server closed the connection after this error
            (a frame-level error sent with ``"id": null``, PROTOCOL.md §1.1, §6.7, §6.8); the client
            must then be reconnected (:meth:`Client.reconnect`).

    Switch on the subclass (or on ``code`` / ``kind``), never on ``message``.
    """

    #: The code this class stands for (``None`` for the base class).
    CODE: Optional[int] = None
    #: The ``data.kind`` this class stands for (``None`` for the base class).
    KIND: Optional[str] = None

    def __init__(self, code: int, message: str, data: Optional[Mapping[str, Any]] = None) -> None:
        data_dict: Dict[str, Any] = dict(data) if isinstance(data, Mapping) else {}
        super().__init__(code, message, data_dict)
        self.code: int = code
        self.message: str = message
        self.data: Dict[str, Any] = data_dict
        self.connection_closed: bool = False

    @property
    def kind(self) -> Optional[str]:
        """``data["kind"]`` as sent by the server (falls back to the class's kind)."""
        kind = self.data.get("kind")
        return kind if isinstance(kind, str) else self.KIND

    def __str__(self) -> str:
        return f"{self.kind or 'error'} ({self.code}): {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, data={self.data!r})"


class ParseError(ParleyError):
    """-32700 ``parse_error``: a frame the server received was not acceptable JSON."""

    CODE = -32700
    KIND = "parse_error"


class InvalidRequestError(ParleyError):
    """-32600 ``invalid_request``: not a valid JSON-RPC request, a bad batch, or an id already in flight."""

    CODE = -32600
    KIND = "invalid_request"


class MethodNotFoundError(ParleyError):
    """-32601 ``method_not_found``: the server has no such method."""

    CODE = -32601
    KIND = "method_not_found"


class InvalidParamsError(ParleyError):
    """-32602 ``invalid_params``: the params are invalid; :attr:`errors` lists every problem."""

    CODE = -32602
    KIND = "invalid_params"

    @property
    def errors(self) -> List[Dict[str, Any]]:
        """Every problem the server found, as ``[{"path": ..., "message": ...}, ...]``."""
        errors = self.data.get("errors")
        if not isinstance(errors, list):
            return []
        return [dict(e) for e in errors if isinstance(e, Mapping)]

    def __str__(self) -> str:
        lines = [super().__str__()]
        for error in self.errors:
            line = f"{error.get('path', '?')}: {error.get('message', '')}"
            if line not in self.message:  # today's server already lists them in the message
                lines.append("  " + line)
        return "\n".join(lines)


class InternalError(ParleyError):
    """-32603 ``internal``: an unexpected server failure (details only in the server log)."""

    CODE = -32603
    KIND = "internal"


class UnauthenticatedError(ParleyError):
    """-32001 ``unauthenticated``: call before ``hello``, key failure, hello timeout, or the key was
    revoked / expired (then ``connection_closed`` is set)."""

    CODE = -32001
    KIND = "unauthenticated"


class ForbiddenError(ParleyError):
    """-32003 ``forbidden``: the session's role may not do this."""

    CODE = -32003
    KIND = "forbidden"


class NotFoundError(ParleyError):
    """-32004 ``not_found``: no such object (or not visible to this key)."""

    CODE = -32004
    KIND = "not_found"

    @property
    def object_type(self) -> Optional[str]:
        """``data["type"]``: ``"tenant"``, ``"group"``, ``"api_key"``, ..."""
        value = self.data.get("type")
        return value if isinstance(value, str) else None

    @property
    def object_id(self) -> Optional[str]:
        """``data["id"]``: the id that was not found."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None


class ConflictError(ParleyError):
    """-32009 ``conflict``: the change conflicts with the stored state; see :attr:`reason`."""

    CODE = -32009
    KIND = "conflict"

    @property
    def reason(self) -> Optional[str]:
        """``data["reason"]``: ``already_exists``, ``revision_mismatch``, ``in_use``, ``immutable``, ..."""
        value = self.data.get("reason")
        return value if isinstance(value, str) else None

    @property
    def field(self) -> Optional[str]:
        """``data["field"]`` (``already_exists``, ``immutable``)."""
        value = self.data.get("field")
        return value if isinstance(value, str) else None

    @property
    def current_revision(self) -> Optional[int]:
        """``data["current_revision"]`` (``revision_mismatch``)."""
        value = self.data.get("current_revision")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} [reason: {self.reason}]" if self.reason else base


class RateLimitedError(ParleyError):
    """-32010 ``rate_limited``: over the key's request rate, or ``hello`` throttled. Nothing ran;
    wait :attr:`retry_after_ms` before retrying."""

    CODE = -32010
    KIND = "rate_limited"

    @property
    def retry_after_ms(self) -> Optional[int]:
        """``data["retry_after_ms"]``: milliseconds to wait before retrying."""
        value = self.data.get("retry_after_ms")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def retry_after(self) -> Optional[float]:
        """:attr:`retry_after_ms` in seconds (for ``time.sleep``)."""
        ms = self.retry_after_ms
        return None if ms is None else ms / 1000.0


class PayloadTooLargeError(ParleyError):
    """-32011 ``payload_too_large``: a frame above the limit (:attr:`limit`). Sent by the server with
    ``"id": null`` before it closes the connection; the client also raises it *locally*, without
    sending anything, for a request larger than the limit it knows (``data["local"]`` is then true)."""

    CODE = -32011
    KIND = "payload_too_large"

    @property
    def limit(self) -> Optional[int]:
        """``data["limit"]``: the frame limit in force, in bytes."""
        value = self.data.get("limit")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class GoneError(ParleyError):
    """-32012 ``gone``: a watch's ``from_revision`` is older than the history the server keeps;
    :attr:`compact_revision` is the oldest revision it can resume from."""

    CODE = -32012
    KIND = "gone"

    @property
    def compact_revision(self) -> Optional[int]:
        """``data["compact_revision"]``."""
        value = self.data.get("compact_revision")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class BusyError(ParleyError):
    """-32014 ``busy``: connection cap reached (the connection is then closed), or the server's
    key-verification queue is full (retry shortly)."""

    CODE = -32014
    KIND = "busy"


#: Error classes by code.
ERROR_CLASSES: Dict[int, Type[ParleyError]] = {
    cls.CODE: cls
    for cls in (
        ParseError, InvalidRequestError, MethodNotFoundError, InvalidParamsError, InternalError,
        UnauthenticatedError, ForbiddenError, NotFoundError, ConflictError, RateLimitedError,
        PayloadTooLargeError, GoneError, BusyError,
    )
    if cls.CODE is not None
}

_CLASSES_BY_KIND: Dict[str, Type[ParleyError]] = {
    cls.KIND: cls for cls in ERROR_CLASSES.values() if cls.KIND is not None
}


class ParleyConnectionError(ParleyException, ConnectionError):
    """The connection could not be opened (refused, unreachable, timed out), or is lost
    (:class:`ConnectionClosedError`)."""


class ConnectionClosedError(ParleyConnectionError):
    """The connection is closed; no server error explains why (or it was explained earlier, see
    :attr:`error`). Calls that were in flight have an unknown outcome: re-read before retrying a
    mutation, or retry it with ``expected_revision``. Use :meth:`Client.reconnect` (or a new
    :class:`Client`)."""

    def __init__(self, message: str = "the connection is closed", error: Optional[ParleyError] = None) -> None:
        super().__init__(message)
        #: The error frame (``"id": null``) the server sent before closing, if any.
        self.error: Optional[ParleyError] = error


class WatchClosedError(ConnectionClosedError):
    """The server ended a watch with a ``watch.closed`` notification (for instance ``reason``
    ``slow_consumer``: the client did not read fast enough) and closes the connection. Resume on a
    new connection with ``from_revision`` after :attr:`revision`."""

    def __init__(self, message: str, params: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__(message)
        #: The notification's params (``subscription_id``, ``reason``, ``revision``).
        self.params: Dict[str, Any] = dict(params) if isinstance(params, Mapping) else {}

    @property
    def reason(self) -> Optional[str]:
        value = self.params.get("reason")
        return value if isinstance(value, str) else None

    @property
    def revision(self) -> Optional[int]:
        """The revision of the last event the server sent for the subscription."""
        value = self.params.get("revision")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class ParleyTimeoutError(ParleyException, TimeoutError):
    """No response arrived within the timeout. The request may still run on the server."""


class ProtocolError(ParleyException):
    """The server sent something that is not valid Parley framing or JSON-RPC; the client closes the
    connection when it reads one."""


class FrameTooLargeError(ProtocolError):
    """A frame header announced a payload larger than the client accepts (or an empty payload)."""


def error_from_object(error: Any) -> ParleyError:
    """The exception for one JSON-RPC ``error`` object (``{"code", "message", "data"}``).

    The class is chosen by ``code``; an unknown code with a known ``data.kind`` maps by kind; anything
    else gives a :class:`ParleyError` (whose ``kind`` holds what the server said).
    """
    if not isinstance(error, Mapping):
        return ParleyError(-32603, f"malformed error object: {error!r}", {})
    code = error.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        code = -32603
    message = error.get("message")
    if not isinstance(message, str):
        message = ""
    data = error.get("data")
    data_map: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        kind = data_map.get("kind")
        cls = _CLASSES_BY_KIND.get(kind, ParleyError) if isinstance(kind, str) else ParleyError
    return cls(code, message, data_map)


def error_from_response(response: Any) -> Optional[ParleyError]:
    """The exception for a JSON-RPC response object, or ``None`` if it is not an error response."""
    if isinstance(response, Mapping) and "error" in response:
        return error_from_object(response["error"])
    return None
