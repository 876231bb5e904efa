"""The wire codec: frames and JSON-RPC messages (PROTOCOL.md §1-§3).

A frame is a 4-byte big-endian payload length ``N`` followed by ``N`` bytes of UTF-8 JSON. These
functions do no I/O; :class:`FrameDecoder` turns arbitrary chunks of received bytes (partial reads,
many frames per read) into whole payloads and refuses absurd lengths before buffering anything.
"""

from __future__ import annotations

import json
import struct
from typing import Any, Dict, List, Mapping, Optional, Union

from .errors import FrameTooLargeError, ProtocolError

__all__ = [
    "HEADER_SIZE",
    "MAX_FRAME_PAYLOAD",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_FRAME_BYTES_BEFORE_HELLO",
    "RequestId",
    "encode_frame",
    "encode_json",
    "encode_request",
    "encode_notification",
    "request_object",
    "decode_json",
    "FrameDecoder",
]

_HEADER = struct.Struct(">I")

#: Size of the length header.
HEADER_SIZE = 4
#: The largest length the header can express.
MAX_FRAME_PAYLOAD = 0xFFFFFFFF
#: Default largest response payload the client accepts (256 MiB). Responses are not bound by the
#: server's request limit (a page of 1000 large objects can exceed it), so this is generous; it only
#: exists so that a corrupt or hostile header cannot make the client allocate gigabytes.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: The server's request payload limit before a successful ``hello`` (PROTOCOL.md §1.1).
MAX_FRAME_BYTES_BEFORE_HELLO = 65536

#: A JSON-RPC id as this client uses them (the server also accepts strings).
RequestId = Union[int, str]


def encode_frame(payload: bytes) -> bytes:
    """``uint32_be(len(payload)) + payload``."""
    if len(payload) > MAX_FRAME_PAYLOAD:
        raise ValueError(f"a frame payload is at most {MAX_FRAME_PAYLOAD} bytes, got {len(payload)}")
    return _HEADER.pack(len(payload)) + payload


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON text (no white space, non-ASCII written raw, NaN/Infinity refused since the
    server refuses them). Raises ``TypeError`` / ``ValueError`` for values JSON cannot express."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def request_object(method: str, params: Optional[Mapping[str, Any]] = None,
                   id: Optional[RequestId] = None) -> Dict[str, Any]:
    """A JSON-RPC 2.0 request object (a notification when ``id`` is ``None``); ``params`` is left out
    when ``None``. Members are written in the order ``jsonrpc, id, method, params``."""
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, not {type(method).__name__}")
    message: Dict[str, Any] = {"jsonrpc": "2.0"}
    if id is not None:
        if isinstance(id, bool) or not isinstance(id, (int, str)):
            raise TypeError(f"a request id is an int or a str, not {type(id).__name__}")
        message["id"] = id
    message["method"] = method
    if params is not None:
        if not isinstance(params, Mapping):
            raise TypeError(f"params must be a mapping (by-name params), not {type(params).__name__}")
        message["params"] = dict(params)
    return message


def encode_request(id: RequestId, method: str, params: Optional[Mapping[str, Any]] = None) -> bytes:
    """One whole frame holding a request."""
    return encode_frame(encode_json(request_object(method, params, id)))


def encode_notification(method: str, params: Optional[Mapping[str, Any]] = None) -> bytes:
    """One whole frame holding a notification (a request without id: the server never answers it)."""
    return encode_frame(encode_json(request_object(method, params)))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_json(payload: Union[bytes, bytearray, memoryview]) -> Any:
    """Parses one frame payload (strict UTF-8, no NaN/Infinity). Raises :class:`ProtocolError`."""
    try:
        text = bytes(payload).decode("utf-8")
        return json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(f"the server sent a frame that is not valid UTF-8 JSON: {error}") from error


class FrameDecoder:
    """Splits a byte stream into frame payloads.

    Feed it whatever ``recv`` returned; it returns the payloads completed so far and keeps the rest.
    A header announcing more than ``max_frame_bytes`` (or an empty payload, which the server never
    sends) raises :class:`FrameTooLargeError` at once, before any of the payload is buffered; the
    stream cannot be resynchronised after that, so the connection must be closed.
    """

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_RESPONSE_BYTES) -> None:
        if max_frame_bytes < 1:
            raise ValueError("max_frame_bytes must be at least 1")
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()
        self._expected: Optional[int] = None  # payload length of the frame being read

    @property
    def buffered(self) -> int:
        """Bytes held for a frame not yet complete (0 between frames)."""
        return len(self._buffer) + (HEADER_SIZE if self._expected is not None else 0)

    def feed(self, data: Union[bytes, bytearray, memoryview]) -> List[bytes]:
        """Adds received bytes; returns every payload completed by them, in order."""
        self._buffer += data
        payloads: List[bytes] = []
        while True:
            if self._expected is None:
                if len(self._buffer) < HEADER_SIZE:
                    return payloads
                (length,) = _HEADER.unpack_from(self._buffer, 0)
                del self._buffer[:HEADER_SIZE]
                if length == 0:
                    raise FrameTooLargeError("the server sent an empty frame")
                if length > self.max_frame_bytes:
                    raise FrameTooLargeError(
                        f"the server announced a frame of {length} bytes, above the client's limit of "
                        f"{self.max_frame_bytes} bytes")
                self._expected = length
            if len(self._buffer) < self._expected:
                return payloads
            payloads.append(bytes(self._buffer[:self._expected]))
            del self._buffer[:self._expected]
            self._expected = None
