"""Fixtures: a real parleyd per test session (and extra ones with their own flags), fake servers.

Run from the repository root:

    PARLEY_BIN_DIR=<dir with parleyd> python3 -m pytest -q clients/python/tests
"""

from __future__ import annotations

import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # the package, without installing it
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2] / "protocol" / "testing"))  # parleyd_harness, shared with protocol/tests

import parleyd  # noqa: E402
from fake_server import FakeServer  # noqa: E402
from parley_client import Client  # noqa: E402


@pytest.fixture(scope="session")
def parleyd_binary():
    binary = parleyd.find_parleyd()
    if binary is None:
        pytest.skip("parleyd not found: set PARLEY_BIN_DIR (e.g. `swift build --show-bin-path`)")
    return binary


@pytest.fixture(scope="session")
def server(parleyd_binary, tmp_path_factory):
    """One parleyd for the session (failed-hello throttling off: tests fail hellos on purpose)."""
    instance = parleyd.Server(parleyd_binary, tmp_path_factory.mktemp("parleyd"), ["--auth-max-failures", "0"])
    yield instance
    status = instance.stop()
    assert status == 0, f"parleyd exited with {status} after SIGTERM:\n{instance.log_text()}"


@pytest.fixture
def make_server(parleyd_binary, tmp_path_factory):
    """Starts parleyd with extra flags; each is stopped with SIGTERM and must exit 0."""
    started = []

    def start(*extra_args: str) -> parleyd.Server:
        instance = parleyd.Server(parleyd_binary, tmp_path_factory.mktemp("parleyd-extra"),
                                  ["--auth-max-failures", "0", *extra_args])
        started.append(instance)
        return instance

    yield start
    for instance in started:
        status = instance.stop()
        assert status == 0, f"parleyd exited with {status} after SIGTERM:\n{instance.log_text()}"


@pytest.fixture
def admin(server):
    """A Client authenticated with the ADMIN key of `parleyd init`."""
    with Client("127.0.0.1", server.port, server.admin_key, timeout=10) as client:
        yield client


@pytest.fixture
def tenant(admin, request):
    """A fresh tenant (deleted with its configuration afterwards)."""
    slug = "t-" + "".join(ch if ch.isalnum() else "-" for ch in request.node.name.lower())[:50].strip("-")
    created = admin.call("tenants.create", slug=slug, name=request.node.name[:100])
    yield created
    if not admin.closed:
        admin.call("tenants.delete", id=created["id"], cascade=True)


@pytest.fixture
def fake():
    """Starts FakeServer(handler); every one started is closed (and its handler errors raised)."""
    started = []

    def start(handler) -> FakeServer:
        instance = FakeServer(handler)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.close()
