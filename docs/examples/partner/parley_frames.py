"""Parley framing for request/response JSON-RPC libraries, standard library only.

Copy this file next to your code. It has what tinyrpc, jsonrpcclient or json-rpc do not:

- :class:`FrameSocket`: one TCP (or TLS) connection that sends and receives whole frames (a 4-byte
  big-endian length, then that many bytes of UTF-8 JSON). A library sends a frame and reads the
  next one as its reply, so use one ``FrameSocket`` per library client, one call at a time, and
  never subscribe to a watch on it.
- :class:`WatchReader`: a second connection for ``watch.subscribe``, read by a tiny loop that tells
  notifications (``method``, no ``id``) from responses.
- :class:`NullIdError`: an error the server sent with ``"id": null`` (a frame it could not read, a
  batch over 64 entries, a revoked key before it closes the connection); libraries either drop it or
  cannot match it to a call, so check for it before handing a reply on.

See docs/partner-guide.md, section 15.
"""

from __future__ import annotations

import collections
import json
import os
import socket
import ssl
import struct
from typing import Any, Deque, Dict, Optional, Tuple

_HEADER = struct.Struct(">I")
MAX_REPLY_BYTES = 256 * 1024 * 1024  # cap what a corrupt header can make us allocate


class NullIdError(Exception):
    """An error response with ``"id": null``: ``code``, ``message``, ``data`` as the server sent them."""

    def __init__(self, error: Dict[str, Any]) -> None:
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data") or {}
        super().__init__(f"{self.data.get('kind', 'error')} ({self.code}): {self.message}")


class CallError(Exception):
    """An error response to a request the :class:`WatchReader` sent."""

    def __init__(self, error: Dict[str, Any]) -> None:
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data") or {}
        super().__init__(f"{self.data.get('kind', 'error')} ({self.code}): {self.message}")


def settings_from_env() -> Tuple[str, int, str, str]:
    """``(host, port, api_key, tenant_id)`` from ``PARLEY_SERVER`` (``host:port``, default
    ``127.0.0.1:7411``), ``PARLEY_API_KEY`` and ``PARLEY_TENANT``. Keys never belong in code."""
    host, _, port = os.environ.get("PARLEY_SERVER", "127.0.0.1:7411").rpartition(":")
    key = os.environ.get("PARLEY_API_KEY")
    tenant = os.environ.get("PARLEY_TENANT")
    if not key or not tenant:
        raise SystemExit("set PARLEY_API_KEY and PARLEY_TENANT (and PARLEY_SERVER=host:port)")
    return host, int(port), key, tenant


def is_notification(message: Any) -> bool:
    """A server notification (``watch.event``, ``watch.closed``): ``method`` and no ``id``."""
    return isinstance(message, dict) and "method" in message and "id" not in message


def null_id_error(message: Any) -> Optional[NullIdError]:
    """The :class:`NullIdError` of a reply with ``"id": null``, else ``None``."""
    if isinstance(message, dict) and "id" in message and message["id"] is None and "error" in message:
        return NullIdError(message["error"])
    return None


class FrameSocket:
    """A connection that sends and receives whole Parley frames. Bytes received beyond the frame
    returned are kept for the next one, so a read timeout never loses a frame's start."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    @classmethod
    def connect(cls, host: str, port: int, *, timeout: float = 10.0) -> "FrameSocket":
        """Connects; speaks TLS when ``PARLEY_TLS_CA`` names a CA file (verification on: chain,
        dates and ``PARLEY_TLS_SERVER_NAME`` or the host name)."""
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ca_file = os.environ.get("PARLEY_TLS_CA")
        if ca_file:
            context = ssl.create_default_context(cafile=ca_file)
            sock = context.wrap_socket(sock, server_hostname=os.environ.get("PARLEY_TLS_SERVER_NAME") or host)
        return cls(sock)

    def send(self, payload: bytes) -> None:
        """Writes one frame (``payload`` is the UTF-8 JSON text)."""
        self.sock.sendall(_HEADER.pack(len(payload)) + payload)

    def recv(self) -> bytes:
        """Reads until one whole frame is in and returns its payload (``socket.timeout`` after the
        socket's timeout; what was read so far is kept)."""
        while True:
            if len(self._buffer) >= _HEADER.size:
                (length,) = _HEADER.unpack_from(self._buffer)
                if not 0 < length <= MAX_REPLY_BYTES:
                    raise ConnectionError(f"the server announced a frame of {length} bytes; closing")
                end = _HEADER.size + length
                if len(self._buffer) >= end:
                    payload = bytes(self._buffer[_HEADER.size:end])
                    del self._buffer[:end]
                    return payload
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self._buffer += chunk

    def close(self) -> None:
        self.sock.close()


class WatchReader:
    """The watch connection: ``hello``, ``watch.subscribe``, then notifications as they come.

    It sends one request at a time and reads frames until that request's response; notifications
    read meanwhile are kept, in order, for :meth:`next_notification`. A connection that holds a
    subscription is never closed for being idle, so nothing else needs to be sent.
    """

    def __init__(self, host: str, port: int, api_key: str, *, client: str = "watch-reader") -> None:
        self.frames = FrameSocket.connect(host, port)
        self._ids = iter(range(1, 1 << 62))
        self._kept: Deque[bytes] = collections.deque()
        self.call("hello", {"api_key": api_key, "protocol_version": 1, "client": client})

    def call(self, method: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Sends a request and returns its result; raises :class:`CallError` or :class:`NullIdError`."""
        request_id = next(self._ids)
        request: Dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            request["params"] = params
        self.frames.send(json.dumps(request).encode())
        while True:
            payload = self.frames.recv()
            message = json.loads(payload)
            if is_notification(message):
                self._kept.append(payload)
                continue
            failure = null_id_error(message)
            if failure is not None:
                raise failure
            if message.get("id") != request_id:
                continue  # a late answer to something given up on
            if "error" in message:
                raise CallError(message["error"])
            return message["result"]

    def subscribe(self, **params: Any) -> str:
        """``watch.subscribe`` (``tenant_id``, ``families``, ``from_revision``); returns the id."""
        return self.call("watch.subscribe", params)["subscription_id"]

    def next_notification(self, timeout: float) -> Optional[bytes]:
        """The next notification frame's payload, or ``None`` after ``timeout`` seconds without one.
        Parse it with ``json.loads`` or with your library."""
        if self._kept:
            return self._kept.popleft()
        previous = self.frames.sock.gettimeout()
        self.frames.sock.settimeout(timeout)
        try:
            while True:
                payload = self.frames.recv()
                message = json.loads(payload)
                if is_notification(message):
                    return payload
                failure = null_id_error(message)
                if failure is not None:  # e.g. the key was revoked or expired: the server closes next
                    raise failure
        except socket.timeout:
            return None
        finally:
            self.frames.sock.settimeout(previous)

    def close(self) -> None:
        """Closing the connection ends its subscriptions."""
        self.frames.close()
