"""Rules both clients (blocking and asyncio) apply before and around I/O, in one place: defaults,
``from_env``, TLS settings and the plaintext refusal, the local request-size check, and the params
of ``hello`` and ``watch.subscribe``."""

from __future__ import annotations

import os
import ssl
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._version import __version__
from .errors import PayloadTooLargeError, ProtocolError
from .tls import PlaintextRefusedError, TLSSetting, client_context, is_loopback, tls_options_from_env

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "PROTOCOL_VERSION", "DEFAULT_CLIENT_NAME", "DEFAULT_MAX_BATCH",
           "DEFAULT_KEEPALIVE", "CallSpec", "NotificationHandler", "TLSTarget", "normalise_call",
           "resolve_tls", "refuse_plaintext", "from_env_arguments", "check_request_size", "hello_params",
           "frame_limit_of", "watch_params", "keepalive_for", "check_batch"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7411
PROTOCOL_VERSION = 1
DEFAULT_CLIENT_NAME = f"parley-python/{__version__}"
DEFAULT_MAX_BATCH = 64
DEFAULT_KEEPALIVE = 60.0

#: A call in ``call_many`` / ``batch``: ``"method"``, ``("method",)`` or ``("method", params_or_None)``.
CallSpec = Union[str, Tuple[str], Tuple[str, Optional[Mapping[str, Any]]]]
#: ``on_notification(method, params)``.
NotificationHandler = Callable[[str, Any], Any]
#: The TLS context and the name the server's certificate must carry; ``None`` for plaintext.
TLSTarget = Optional[Tuple[ssl.SSLContext, str]]


def normalise_call(spec: CallSpec) -> Tuple[str, Optional[Mapping[str, Any]]]:
    """``(method, params)`` of a :data:`CallSpec`; ``TypeError`` for anything else."""
    if isinstance(spec, str):
        return spec, None
    if isinstance(spec, tuple) and len(spec) in (1, 2) and isinstance(spec[0], str):
        params = spec[1] if len(spec) == 2 else None
        return spec[0], params
    raise TypeError(f"a call is 'method' or ('method', params), not {spec!r}")


def resolve_tls(host: str, tls: TLSSetting, tls_ca: Optional[str], tls_server_name: Optional[str],
                tls_cert: Optional[str], tls_key: Optional[str]) -> TLSTarget:
    """The TLS context to connect with (``None``: plaintext), from the ``tls*`` arguments: an
    :class:`ssl.SSLContext` as given, ``True`` or any ``tls_*`` option a verifying context."""
    if tls is False and (tls_ca or tls_server_name or tls_cert or tls_key):
        raise ValueError("tls=False contradicts tls_ca/tls_server_name/tls_cert/tls_key")
    context: Optional[ssl.SSLContext] = None
    if isinstance(tls, ssl.SSLContext):
        context = tls
    elif tls or tls_ca or tls_server_name or tls_cert or tls_key:
        context = client_context(tls_ca, tls_cert, tls_key)
    return None if context is None else (context, tls_server_name or host.strip("[]"))


def refuse_plaintext(host: str, tls: TLSTarget, allow_plaintext: bool) -> None:
    """Raises :class:`PlaintextRefusedError` when a key would cross the network unencrypted."""
    if tls is None and not allow_plaintext and not is_loopback(host):
        raise PlaintextRefusedError(
            f"{host} is not on loopback, and without TLS the API key would cross the network in "
            "plaintext; pass tls=True (or tls_ca=FILE), or allow_plaintext=True if the path is private")


def from_env_arguments(kwargs: Dict[str, Any],
                       environ: Optional[Mapping[str, str]] = None) -> Tuple[str, int, Dict[str, Any]]:
    """``(host, port, kwargs)`` for a client configured like the ``parley`` CLI: ``PARLEY_SERVER``
    (``host:port``), ``PARLEY_API_KEY`` (required unless ``api_key`` is passed, even as ``None``) and
    the ``PARLEY_TLS*`` variables; explicit keyword arguments win."""
    env = os.environ if environ is None else environ
    server = env.get("PARLEY_SERVER", f"{DEFAULT_HOST}:{DEFAULT_PORT}")
    host, _, port = server.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"PARLEY_SERVER must be host:port, not {server!r}")
    kwargs = dict(kwargs)
    if "api_key" not in kwargs:
        key = env.get("PARLEY_API_KEY") or None
        if key is None:
            # As the CLI: a client meant to act must not quietly connect without a key.
            raise ValueError("PARLEY_API_KEY is not set: export it (or pass api_key=...), or pass api_key=None "
                             "to connect without a key (then only hello, ping and server.info answer)")
        kwargs["api_key"] = key
    for name, value in tls_options_from_env(env).items():
        kwargs.setdefault(name, value)
    return host.strip("[]"), int(port), kwargs


def check_request_size(payload: bytes, limit: Optional[int]) -> None:
    """Raises :class:`PayloadTooLargeError` (``data["local"]`` true) for a request payload the
    server would refuse by closing the connection; nothing is sent then."""
    if limit is not None and len(payload) > limit:
        raise PayloadTooLargeError(
            -32011, f"the request of {len(payload)} bytes exceeds the server's limit of {limit} bytes; not sent",
            {"kind": "payload_too_large", "limit": limit, "local": True})


def hello_params(api_key: str, client_name: str) -> Dict[str, Any]:
    """The params of ``hello`` (protocol version 1)."""
    return {"api_key": api_key, "protocol_version": PROTOCOL_VERSION, "client": client_name}


def frame_limit_of(result: Any) -> Optional[int]:
    """``limits.max_frame_bytes`` of a ``hello`` result (``ProtocolError`` if it is not an object)."""
    if not isinstance(result, dict):
        raise ProtocolError(f"hello returned {result!r:.200}")
    limits = result.get("limits")
    if isinstance(limits, dict) and isinstance(limits.get("max_frame_bytes"), int):
        return limits["max_frame_bytes"]
    return None


def watch_params(tenant_id: Optional[str], families: Optional[Sequence[str]],
                 from_revision: Optional[int]) -> Dict[str, Any]:
    """The params of ``watch.subscribe`` (members left out when ``None``)."""
    params: Dict[str, Any] = {}
    if tenant_id is not None:
        params["tenant_id"] = tenant_id
    if families is not None:
        if isinstance(families, str):
            raise TypeError("families is a list of family names, not a string")
        params["families"] = list(families)
    if from_revision is not None:
        params["from_revision"] = from_revision
    return params


def keepalive_for(limits: Optional[Mapping[str, Any]], keepalive: Optional[float]) -> float:
    """Seconds of silence after which a waiting watch pings: ``keepalive``, else a third of the
    server's idle timeout, else 60."""
    if keepalive is not None:
        return keepalive
    idle = (limits or {}).get("idle_timeout_ms")
    return idle / 3000.0 if isinstance(idle, int) and idle > 0 else DEFAULT_KEEPALIVE


def check_batch(specs: List[Tuple[str, Optional[Mapping[str, Any]]]],
                limits: Optional[Mapping[str, Any]]) -> None:
    """``ValueError`` for an empty batch or one above ``limits.max_batch_entries``."""
    if not specs:
        raise ValueError("a batch needs at least one call")
    max_entries = (limits or {}).get("max_batch_entries", DEFAULT_MAX_BATCH)
    if isinstance(max_entries, int) and len(specs) > max_entries:
        raise ValueError(f"a batch holds at most {max_entries} calls, got {len(specs)}; use call_many")
