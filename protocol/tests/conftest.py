"""pytest fixtures: one real parleyd per test session on a temporary database and a loopback port.

Run from the repository root:

    PARLEY_BIN_DIR=<dir with parleyd> python3 -m pytest -q protocol/tests
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

# protocol/testing/parleyd_harness.py (shared with clients/python/tests), for harness.py.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))

import harness  # noqa: E402
from render_helpers import SharedConnection  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A parleyd serving a fresh database; stopped with SIGTERM at the end, which must exit 0."""
    # Many tests fail authentication on purpose from the same address; the throttle would
    # lock them all out, so this shared server runs without it (test_throttling.py starts
    # servers with the default throttle).
    instance = harness.Server(tmp_path_factory.mktemp("parleyd"), ["--auth-max-failures", "0"])
    yield instance
    status = instance.stop()
    assert status == 0, f"parleyd exited with status {status} after SIGTERM; log:\n{instance.log_text()}"


@pytest.fixture
def make_server(tmp_path_factory):
    """Starts extra servers with their own flags (e.g. short timeouts); each is stopped and checked."""
    started: list[harness.Server] = []

    def start(*extra_args: str) -> harness.Server:
        instance = harness.Server(tmp_path_factory.mktemp("parleyd-extra"), list(extra_args))
        started.append(instance)
        return instance

    yield start
    for instance in started:
        status = instance.stop()
        assert status == 0, f"parleyd exited with status {status} after SIGTERM; log:\n{instance.log_text()}"


@pytest.fixture
def connection(server):
    """A fresh connection that has not said hello."""
    with server.connect() as conn:
        yield conn


@pytest.fixture
def admin(server):
    """A fresh connection authenticated with the ADMIN key from `parleyd init`."""
    with server.connect() as conn:
        conn.hello(server.admin_key)
        yield conn


@pytest.fixture(scope="session")
def openrpc_document():
    return json.loads(harness.OPENRPC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared(server):
    """One ADMIN connection for a whole module (each hello costs an argon2 verification)."""
    holder = SharedConnection(server)
    yield holder
    holder.close()


@pytest.fixture
def conn(shared):
    """The module's ADMIN connection (checked, and replaced if unusable, after each test)."""
    yield shared.get()
    shared.check()
