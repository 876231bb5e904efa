"""A tiny scripted server speaking Parley framing, for behaviour the real server cannot show on
demand (watch, out-of-order answers, malformed frames, internal errors). It deliberately does not
use the client's codec."""

from __future__ import annotations

import json
import socket
import struct
import threading
from typing import Any, Callable, List, Optional


class FakeConnection:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.sock.settimeout(10)
        self.buffer = b""
        self.received: List[Any] = []

    def _fill(self, count: int) -> bool:
        while len(self.buffer) < count:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return False
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def recv(self) -> Optional[Any]:
        """The next message, or None when the client closed the connection."""
        if not self._fill(4):
            return None
        (length,) = struct.unpack(">I", self.buffer[:4])
        if not self._fill(4 + length):
            return None
        payload, self.buffer = self.buffer[4:4 + length], self.buffer[4 + length:]
        message = json.loads(payload)
        self.received.append(message)
        return message

    @staticmethod
    def frame(message: Any) -> bytes:
        payload = json.dumps(message, separators=(",", ":")).encode()
        return struct.pack(">I", len(payload)) + payload

    def send(self, *messages: Any) -> None:
        """Sends the messages' frames in one write."""
        self.send_raw(b"".join(self.frame(m) for m in messages))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def result(self, request: Any, result: Any) -> None:
        self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def error(self, request: Any, code: int, kind: str, message: str = "error", **data: Any) -> None:
        self.send({"jsonrpc": "2.0", "id": request.get("id") if request else None,
                   "error": {"code": code, "message": message, "data": {"kind": kind, **data}}})

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class FakeServer:
    """Accepts connections on 127.0.0.1 and runs `handler(conn)` for each on its own thread."""

    def __init__(self, handler: Callable[[FakeConnection], None]):
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: List[FakeConnection] = []
        self.errors: List[BaseException] = []
        self.threads: List[threading.Thread] = []
        self._accept = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            conn = FakeConnection(sock)
            self.connections.append(conn)
            thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _run(self, conn: FakeConnection) -> None:
        try:
            self.handler(conn)
        except BaseException as error:  # surfaced by close()
            self.errors.append(error)

    def close(self) -> None:
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=5)
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass
        if self.errors:
            raise self.errors[0]


def serve_methods(methods: dict) -> Callable[[FakeConnection], None]:
    """A handler answering each request with methods[name](conn, request) (which may answer itself
    and return None) until the client disconnects; `hello` and `ping` answer by default."""
    def handler(conn: FakeConnection) -> None:
        while True:
            request = conn.recv()
            if request is None:
                return
            method = request.get("method")
            if method in methods:
                answer = methods[method](conn, request)
                if answer is not None:
                    conn.result(request, answer)
            elif method == "hello":
                conn.result(request, {"protocol_version": 1, "server_version": "fake",
                                      "key": {"id": "fakekey", "role": "ADMIN", "tenant_id": None},
                                      "limits": {"max_frame_bytes": 1048576, "max_batch_entries": 64,
                                                 "idle_timeout_ms": 300000}})
            elif method == "ping":
                if "id" in request:
                    conn.result(request, {})
            elif "id" in request:
                conn.error(request, -32601, "method_not_found", f"method {method!r} does not exist")
    return handler
