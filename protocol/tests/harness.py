"""Helpers shared by the protocol tests and the vector generator: start a real parleyd on a
temporary database and a loopback port, and speak framed JSON-RPC to it over raw sockets.

Standard library only. Every socket operation is bounded by a timeout.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import struct
import subprocess
import time

PROTOCOL_DIR = pathlib.Path(__file__).resolve().parent.parent
VECTORS_DIR = PROTOCOL_DIR / "vectors"
OPENRPC_PATH = PROTOCOL_DIR / "openrpc.json"

#: Default bound for any single socket read or write, in seconds.
IO_TIMEOUT = 10.0


def find_parleyd() -> pathlib.Path:
    """The parleyd binary: $PARLEY_BIN_DIR/parleyd, else ./.build/debug/parleyd."""
    bin_dir = os.environ.get("PARLEY_BIN_DIR")
    candidates = [pathlib.Path(bin_dir) / "parleyd"] if bin_dir else []
    candidates.append(PROTOCOL_DIR.parent / ".build" / "debug" / "parleyd")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(
        "parleyd not found; set PARLEY_BIN_DIR to the directory holding it (e.g. `swift build --show-bin-path`)"
    )


class Server:
    """A parleyd process serving a fresh database on 127.0.0.1 and an ephemeral port."""

    def __init__(self, workdir: pathlib.Path, extra_args: list[str] | None = None):
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.binary = find_parleyd()
        self.db = self.workdir / "parley.db"
        self.port_file = self.workdir / "port"
        self.log_path = self.workdir / "parleyd.log"
        init = subprocess.run(
            [str(self.binary), "init", "--db", str(self.db)],
            capture_output=True, text=True, timeout=60, check=True,
        )
        lines = init.stdout.strip().splitlines()
        assert len(lines) == 1, f"parleyd init must print exactly one line, got {init.stdout!r}"
        #: The ADMIN key printed by `parleyd init`.
        self.admin_key = lines[0]
        self.extra_args = list(extra_args or [])
        self.log = open(self.log_path, "wb")
        self._serve()

    def _serve(self):
        self.port_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--db", str(self.db), "--listen", "127.0.0.1:0",
             "--port-file", str(self.port_file), *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        self.pid = self.process.pid
        self.port = self._wait_for_port()

    def restart(self, extra_args: list[str] | None = None):
        """SIGTERM (must exit 0), then `parleyd serve` again on the same database, with the same
        flags or `extra_args`: a new process that remembers nothing (no verified keys, no throttle state)."""
        status = self.stop()
        assert status == 0, f"parleyd exited with {status}; log: {self.log_text()}"
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.log = open(self.log_path, "ab")
        self._serve()

    def _wait_for_port(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"parleyd exited with {self.process.returncode}; log: {self.log_text()}")
            try:
                text = self.port_file.read_text().strip()
            except FileNotFoundError:
                text = ""
            if text.isdigit():
                return int(text)
            time.sleep(0.02)
        self.stop()
        raise TimeoutError("parleyd did not write its port file in time")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def connect(self, timeout: float = IO_TIMEOUT) -> "Connection":
        return Connection(socket.create_connection(("127.0.0.1", self.port), timeout=timeout))

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM by PID, wait, and return the exit status (kills with SIGKILL after `timeout`)."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()
        return self.process.returncode


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
