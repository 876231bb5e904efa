"""A real parleyd for tests, shared by the protocol tests (protocol/tests/harness.py) and the Python
client's tests (clients/python/tests/parleyd.py): find the binary, `parleyd init` a fresh database,
`parleyd serve` it on 127.0.0.1:0, wait for the port file, stop it with SIGTERM by PID.

Each test directory's conftest puts this directory on `sys.path`. Standard library only; every wait
is bounded.
"""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time
from typing import Callable, List, Optional

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS_DIR = REPO_ROOT / "protocol" / "vectors"


def find_parleyd(missing_ok: bool = False) -> Optional[pathlib.Path]:
    """$PARLEY_BIN_DIR/parleyd, else <repo>/.build/debug/parleyd.

    A PARLEY_BIN_DIR without parleyd is always an error; with neither, `missing_ok` returns None
    (the caller skips) instead of raising."""
    bin_dir = os.environ.get("PARLEY_BIN_DIR")
    candidates = [pathlib.Path(bin_dir) / "parleyd"] if bin_dir else []
    candidates.append(REPO_ROOT / ".build" / "debug" / "parleyd")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    if bin_dir:
        raise FileNotFoundError(f"PARLEY_BIN_DIR={bin_dir} holds no executable parleyd")
    if missing_ok:
        return None
    raise FileNotFoundError(
        "parleyd not found; set PARLEY_BIN_DIR to the directory holding it (e.g. `swift build --show-bin-path`)"
    )


def serve_command(binary: pathlib.Path, db: pathlib.Path, port_file: pathlib.Path, extra_args: List[str]) -> List[str]:
    """`parleyd serve` on `db` at 127.0.0.1:0, writing the bound port to `port_file`."""
    return [str(binary), "serve", "--db", str(db), "--listen", "127.0.0.1:0", "--port-file", str(port_file), *extra_args]


def wait_for_port(process: subprocess.Popen, port_file: pathlib.Path, log_text: Callable[[], str],
                  timeout: float = 30.0, poll: float = 0.02) -> int:
    """The port parleyd wrote to `port_file`; RuntimeError if it exits first, TimeoutError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"parleyd exited with {process.returncode}; log: {log_text()}")
        try:
            text = port_file.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text.isdigit():
            return int(text)
        time.sleep(poll)
    raise TimeoutError("parleyd did not write its port file in time")


def terminate(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM by PID, wait, and return the exit status (SIGKILL after `timeout`)."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    return process.returncode


class Parleyd:
    """`parleyd init --db` on a fresh database in `workdir` (its one line is the ADMIN key), then
    `parleyd serve` on 127.0.0.1 and an ephemeral port, its output in `workdir`/parleyd.log.

    `poll` is how often the port file is read while waiting for it."""

    def __init__(self, binary: pathlib.Path, workdir: pathlib.Path, extra_args: Optional[List[str]] = None,
                 poll: float = 0.02):
        self.binary = pathlib.Path(binary)
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db = self.workdir / "parley.db"
        self.port_file = self.workdir / "port"
        self.log_path = self.workdir / "parleyd.log"
        self.poll = poll
        init = subprocess.run(
            [str(self.binary), "init", "--db", str(self.db)],
            capture_output=True, text=True, timeout=60, check=True,
        )
        lines = init.stdout.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("prly_"), \
            f"parleyd init must print exactly one line, the ADMIN key; got {init.stdout!r}"
        #: The ADMIN key printed by `parleyd init`.
        self.admin_key = lines[0]
        self.extra_args = list(extra_args or [])
        self.log = open(self.log_path, "wb")
        self._serve()

    def _serve(self):
        self.port_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            serve_command(self.binary, self.db, self.port_file, self.extra_args),
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        self.pid = self.process.pid
        try:
            self.port = wait_for_port(self.process, self.port_file, self.log_text, poll=self.poll)
        except TimeoutError:
            self.stop()
            raise

    def restart(self, extra_args: Optional[List[str]] = None):
        """SIGTERM (must exit 0), then `parleyd serve` again on the same database, with the same
        flags or `extra_args`: a new process that remembers nothing (no verified keys, no throttle state)."""
        status = self.stop()
        assert status == 0, f"parleyd exited with {status}; log: {self.log_text()}"
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.log = open(self.log_path, "ab")
        self._serve()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM by PID, wait, and return the exit status (SIGKILL after `timeout`)."""
        status = terminate(self.process, timeout)
        self.log.close()
        return status
