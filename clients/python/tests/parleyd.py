"""Starts a real parleyd on a temporary database and a loopback port (standard library only)."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time
from typing import List, Optional

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS_DIR = REPO_ROOT / "protocol" / "vectors"


def find_parleyd() -> Optional[pathlib.Path]:
    """$PARLEY_BIN_DIR/parleyd, else <repo>/.build/debug/parleyd; None when neither exists."""
    bin_dir = os.environ.get("PARLEY_BIN_DIR")
    candidates = [pathlib.Path(bin_dir) / "parleyd"] if bin_dir else []
    candidates.append(REPO_ROOT / ".build" / "debug" / "parleyd")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    if bin_dir:
        raise FileNotFoundError(f"PARLEY_BIN_DIR={bin_dir} holds no executable parleyd")
    return None


class Server:
    """`parleyd init --db` (prints the admin key), then `parleyd serve` on 127.0.0.1:0."""

    def __init__(self, binary: pathlib.Path, workdir: pathlib.Path, extra_args: Optional[List[str]] = None):
        self.workdir = workdir
        self.db = workdir / "parley.db"
        self.port_file = workdir / "port"
        self.log_path = workdir / "parleyd.log"
        init = subprocess.run([str(binary), "init", "--db", str(self.db)],
                              capture_output=True, text=True, timeout=60, check=True)
        self.admin_key = init.stdout.strip()
        assert self.admin_key.startswith("prly_"), init.stdout
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(binary), "serve", "--db", str(self.db), "--listen", "127.0.0.1:0",
             "--port-file", str(self.port_file), *(extra_args or [])],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.port = self._wait_for_port()

    def _wait_for_port(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"parleyd exited with {self.process.returncode}: {self.log_text()}")
            try:
                text = self.port_file.read_text().strip()
            except FileNotFoundError:
                text = ""
            if text.isdigit():
                return int(text)
            time.sleep(0.01)
        self.stop()
        raise TimeoutError("parleyd did not write its port file")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (by pid), wait, return the exit status (SIGKILL after `timeout`)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode
