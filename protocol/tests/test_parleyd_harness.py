"""protocol/testing/parleyd_harness.py, the parleyd start and stop shared with the Python client's
tests: the differences between the two suites are its parameters."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

import parleyd_harness


def test_a_bin_dir_without_parleyd_is_an_error_even_when_missing_is_ok(monkeypatch, tmp_path):
    monkeypatch.setenv("PARLEY_BIN_DIR", str(tmp_path))
    monkeypatch.setattr(parleyd_harness, "REPO_ROOT", tmp_path)
    for missing_ok in (False, True):
        with pytest.raises(FileNotFoundError, match="holds no executable parleyd"):
            parleyd_harness.find_parleyd(missing_ok=missing_ok)


def test_without_a_bin_dir_a_missing_parleyd_is_none_or_an_error(monkeypatch, tmp_path):
    monkeypatch.delenv("PARLEY_BIN_DIR", raising=False)
    monkeypatch.setattr(parleyd_harness, "REPO_ROOT", tmp_path)
    assert parleyd_harness.find_parleyd(missing_ok=True) is None
    with pytest.raises(FileNotFoundError, match="set PARLEY_BIN_DIR"):
        parleyd_harness.find_parleyd()


def test_the_bin_dir_comes_first(monkeypatch, tmp_path):
    binary = tmp_path / "parleyd"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PARLEY_BIN_DIR", str(tmp_path))
    assert parleyd_harness.find_parleyd() == binary


def test_serve_command_listens_on_loopback_port_zero_and_writes_the_port(tmp_path):
    command = parleyd_harness.serve_command(tmp_path / "parleyd", tmp_path / "p.db", tmp_path / "port", ["--x", "1"])
    assert command == [str(tmp_path / "parleyd"), "serve", "--db", str(tmp_path / "p.db"), "--listen", "127.0.0.1:0",
                       "--port-file", str(tmp_path / "port"), "--x", "1"]


def test_wait_for_port_reports_an_early_exit_with_the_log(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait(timeout=30)
    with pytest.raises(RuntimeError, match="exited with 3; log: the log"):
        parleyd_harness.wait_for_port(process, tmp_path / "port", lambda: "the log", timeout=5)


def test_terminate_sends_sigterm_by_pid_and_returns_the_status():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert parleyd_harness.terminate(process, timeout=30) == -signal.SIGTERM
    assert parleyd_harness.terminate(process) == -signal.SIGTERM, "a process that has exited is left alone"
