"""Helpers for the abuse, durability and black-box fuzz tests (test_abuse_limits.py,
test_durability.py, test_fuzz_blackbox.py): the server's memory as /proc reports it, a background
pinger that measures how fast an authenticated client is answered while something else loads the
server, many hellos sent at once over raw sockets, and a `parleyd serve` that can be killed with
SIGKILL and started again on the same database.

Standard library only; loopback only; every wait is bounded in time and every loop in count.
"""

from __future__ import annotations

import json
import os
import pathlib
import selectors
import signal
import socket
import struct
import subprocess
import threading
import time

import harness
import parleyd_harness

UNAUTHENTICATED = -32001
RATE_LIMITED = -32010
PAYLOAD_TOO_LARGE = -32011
BUSY = -32014
PARSE_ERROR = -32700
INVALID_PARAMS = -32602


# ---------------------------------------------------------------- memory


def proc_status(pid: int) -> dict[str, int]:
    """The Vm* lines of /proc/<pid>/status, in KiB (VmRSS, VmHWM, VmSize, VmPeak, ...)."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name.startswith("Vm") and rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0])
    return values


def rss_mib(pid: int) -> float:
    """Resident set size of `pid` in MiB."""
    return proc_status(pid)["VmRSS"] / 1024.0


# ---------------------------------------------------------------- a pinger running alongside a load


class Pinger:
    """Pings over an authenticated connection in a background thread until stopped, recording each
    round trip and sampling the server's RSS. Bounded: at most `max_pings` pings and `max_seconds`."""

    def __init__(self, server, api_key: str, pid: int | None = None, interval: float = 0.01,
                 max_pings: int = 20_000, max_seconds: float = 60.0, timeout: float = 5.0):
        self.conn = server.connect()
        self.conn.hello(api_key)
        self.pid = pid if pid is not None else server.pid
        self.interval = interval
        self.max_pings = max_pings
        self.max_seconds = max_seconds
        self.timeout = timeout
        self.latencies: list[float] = []
        self.peak_rss_mib = rss_mib(self.pid)
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pinger", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _run(self):
        deadline = time.monotonic() + self.max_seconds
        try:
            for n in range(self.max_pings):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                started = time.monotonic()
                response = self.conn.request("ping", None, id=f"pinger-{n}", timeout=self.timeout)
                self.latencies.append(time.monotonic() - started)
                assert response.get("result") == {}, response
                self.peak_rss_mib = max(self.peak_rss_mib, rss_mib(self.pid))
                self._stop.wait(self.interval)
        except BaseException as error:  # noqa: BLE001 - reported by the test through `error`
            self.error = error

    def stop(self):
        self._stop.set()
        self._thread.join(self.timeout + 5)
        self.conn.close()

    @property
    def max_latency(self) -> float:
        return max(self.latencies) if self.latencies else float("nan")


# ---------------------------------------------------------------- many hellos at once


def parallel_hellos(port: int, tokens: list[str], source: str | None = None, timeout: float = 60.0):
    """Opens one connection per token (from the loopback `source` address when given), then sends every
    `hello` back to back, and collects each connection's first frame.

    Returns (codes, elapsed): codes[i] is the error code of the answer to tokens[i], "result" for a
    success, or a string naming what went wrong instead ("closed", "timeout", "bad frame: ...")."""
    sockets: list[socket.socket] = []
    selector = selectors.DefaultSelector()
    codes: list[object] = ["timeout"] * len(tokens)
    try:
        for _ in tokens:
            sock = socket.create_connection(("127.0.0.1", port), timeout=harness.IO_TIMEOUT,
                                            source_address=(source, 0) if source else None)
            sockets.append(sock)
        frames = [harness.frame(harness.compact({"jsonrpc": "2.0", "id": i, "method": "hello",
                                                 "params": {"api_key": token, "protocol_version": 1}}))
                  for i, token in enumerate(tokens)]
        started = time.monotonic()
        for sock, data in zip(sockets, frames):
            sock.sendall(data)
        buffers: dict[int, bytes] = {}
        for index, sock in enumerate(sockets):
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, index)
            buffers[index] = b""
        pending = len(sockets)
        deadline = started + timeout
        while pending and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=max(0.0, min(1.0, deadline - time.monotonic()))):
                index = key.data
                sock = sockets[index]
                try:
                    chunk = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except ConnectionResetError:
                    chunk = b""
                if not chunk:
                    codes[index] = "closed"
                else:
                    buffers[index] += chunk
                    data = buffers[index]
                    if len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
                        continue
                    length = struct.unpack(">I", data[:4])[0]
                    try:
                        message = json.loads(data[4:4 + length])
                        codes[index] = "result" if "result" in message else message["error"]["code"]
                    except (ValueError, KeyError, TypeError) as error:
                        codes[index] = f"bad frame: {error}: {data[:200]!r}"
                selector.unregister(sock)
                pending -= 1
        return codes, time.monotonic() - started
    finally:
        selector.close()
        for sock in sockets:
            sock.close()


# ---------------------------------------------------------------- a server that can be killed and restarted


class KillableServer:
    """`parleyd serve` on a database that already exists (made by `parleyd init`), which can be stopped
    with SIGKILL by its PID and started again on the same file. Use as a context manager: leaving it
    kills the process if it still runs."""

    def __init__(self, binary: pathlib.Path, db: pathlib.Path, workdir: pathlib.Path, extra_args: list[str] | None = None):
        self.binary = binary
        self.db = db
        self.workdir = workdir
        self.extra_args = list(extra_args or [])
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 30.0) -> "KillableServer":
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        port_file = self.workdir / f"port-{self.starts}"
        log = open(self.workdir / f"parleyd-{self.starts}.log", "wb")
        try:
            self.process = subprocess.Popen(
                parleyd_harness.serve_command(self.binary, self.db, port_file, self.extra_args),
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        try:
            self.port = parleyd_harness.wait_for_port(self.process, port_file, lambda: "\n" + self.log_text(), timeout)
        except TimeoutError:
            self.kill()
            raise
        return self

    def log_text(self, start: int | None = None) -> str:
        path = self.workdir / f"parleyd-{start or self.starts}.log"
        try:
            return path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def connect(self, timeout: float = harness.IO_TIMEOUT) -> harness.Connection:
        return harness.Connection(socket.create_connection(("127.0.0.1", self.port), timeout=timeout))

    def kill(self):
        """SIGKILL by PID, then reap it."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM by PID and wait (SIGKILL after `timeout`); the exit status."""
        assert self.process is not None
        return parleyd_harness.terminate(self.process, timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
