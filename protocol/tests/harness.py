"""Helpers shared by the protocol tests and the vector generator: start a real parleyd on a
temporary database and a loopback port, and speak framed JSON-RPC to it over raw sockets.

Starting and stopping parleyd is protocol/testing/parleyd_harness.py, shared with the Python
client's tests (the conftest, or the script importing this, puts it on `sys.path`). Standard library
only. Every socket operation is bounded by a timeout.
"""

from __future__ import annotations

import json
import pathlib
import socket
import struct
import time

import parleyd_harness

PROTOCOL_DIR = pathlib.Path(__file__).resolve().parent.parent
VECTORS_DIR = PROTOCOL_DIR / "vectors"
OPENRPC_PATH = PROTOCOL_DIR / "openrpc.json"

#: Default bound for any single socket read or write, in seconds.
IO_TIMEOUT = 10.0


def find_parleyd() -> pathlib.Path:
    """The parleyd binary: $PARLEY_BIN_DIR/parleyd, else ./.build/debug/parleyd (FileNotFoundError if neither)."""
    return parleyd_harness.find_parleyd()


class Server(parleyd_harness.Parleyd):
    """A parleyd process serving a fresh database on 127.0.0.1 and an ephemeral port."""

    def __init__(self, workdir: pathlib.Path, extra_args: list[str] | None = None):
        super().__init__(find_parleyd(), workdir, extra_args)

    def connect(self, timeout: float = IO_TIMEOUT) -> "Connection":
        return Connection(socket.create_connection(("127.0.0.1", self.port), timeout=timeout))


def frame(payload: bytes) -> bytes:
    """The 4-byte big-endian payload length followed by the payload."""
    return struct.pack(">I", len(payload)) + payload


def compact(value) -> bytes:
    """Compact UTF-8 JSON text of `value` (keeps the caller's member order)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Closed(Exception):
    """The peer closed the connection."""


class Connection:
    """A raw client connection: send bytes, read whole frames, with bounded waits."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes):
        self.sock.settimeout(IO_TIMEOUT)
        self.sock.sendall(data)

    def _fill(self, count: int, timeout: float):
        deadline = time.monotonic() + timeout
        while len(self.buffer) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout(f"waited {timeout}s for {count} bytes, have {len(self.buffer)}")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError as error:
                raise Closed("connection reset") from error
            if not chunk:
                raise Closed(f"connection closed with {len(self.buffer)} bytes buffered")
            self.buffer += chunk

    def read_exact(self, count: int, timeout: float = IO_TIMEOUT) -> bytes:
        self._fill(count, timeout)
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_frame(self, timeout: float = IO_TIMEOUT) -> bytes:
        """One whole frame, header included."""
        deadline = time.monotonic() + timeout
        header = self.read_exact(4, timeout)
        (length,) = struct.unpack(">I", header)
        return header + self.read_exact(length, max(0.001, deadline - time.monotonic()))

    def read_message(self, timeout: float = IO_TIMEOUT):
        return json.loads(self.read_frame(timeout)[4:])

    def wait_closed(self, timeout: float = 5.0) -> bool:
        """True when the peer closes within `timeout` (any bytes before that are an error)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
            if not chunk:
                return True
            raise AssertionError(f"unexpected bytes while waiting for close: {chunk!r}")
        return False

    def request(self, method: str, params=None, id=1, timeout: float = IO_TIMEOUT):
        """Sends one request and returns the parsed response carrying `id` (other frames are an error)."""
        message = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(frame(compact(message)))
        response = self.read_message(timeout)
        assert response.get("id") == id, f"expected the response to id {id!r}, got {response!r}"
        return response

    def hello(self, api_key: str, id="hello"):
        response = self.request("hello", {"api_key": api_key, "protocol_version": 1, "client": "protocol-tests/1"}, id=id)
        assert "result" in response, f"hello failed: {response!r}"
        return response

    def probe(self, timeout: float = IO_TIMEOUT, quiet: float = 0.2):
        """Proves the connection is open and that nothing else was sent: a ping with a unique id must be
        the next frame, and no other frame may follow within `quiet` seconds."""
        probe_id = "probe-%d" % time.monotonic_ns()
        self.send(frame(compact({"jsonrpc": "2.0", "id": probe_id, "method": "ping"})))
        response = self.read_message(timeout)
        assert response == {"jsonrpc": "2.0", "id": probe_id, "result": {}}, f"unexpected frame: {response!r}"
        try:
            extra = self.read_frame(quiet)
        except socket.timeout:
            return
        raise AssertionError(f"unexpected extra frame: {extra!r}")
