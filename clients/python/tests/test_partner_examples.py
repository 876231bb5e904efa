"""docs/examples/partner/: each example (tinyrpc, jsonrpcclient, json-rpc) runs against a real
parleyd with a tenant key, and what docs/partner-guide.md section 15 says about the libraries is
checked on frames a real server sent. A library that is missing is installed with pip; if that
fails, its tests are skipped with the reason."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest

from parleyd import REPO_ROOT

EXAMPLES = REPO_ROOT / "docs" / "examples" / "partner"
sys.path.insert(0, str(EXAMPLES))

import parley_frames  # noqa: E402

#: distribution on PyPI -> (module it installs, example file)
LIBRARIES = {
    "tinyrpc": ("tinyrpc", "tinyrpc_example.py"),
    "jsonrpcclient": ("jsonrpcclient", "jsonrpcclient_example.py"),
    "json-rpc": ("jsonrpc", "jsonrpc_example.py"),
}


def _installed(distribution: str, module: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return importlib.util.find_spec(module) is not None


def ensure_library(distribution: str) -> None:
    """Imports are possible afterwards, or the test is skipped saying why."""
    module = LIBRARIES[distribution][0]
    if _installed(distribution, module):
        return
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", distribution],
                              capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"{distribution} is not installed and pip could not run: {error}")
    importlib.invalidate_caches()
    if done.returncode != 0 or not _installed(distribution, module):
        pytest.skip(f"{distribution} is not installed and `pip install {distribution}` failed: "
                    f"{(done.stderr or done.stdout).strip()[-300:]}")


@pytest.fixture
def tenant_key(admin, tenant):
    """A TENANT_ADMIN key for a fresh tenant: what a partner integration gets."""
    created = admin.call("api_keys.create", name="partner example", role="TENANT_ADMIN", tenant_id=tenant["id"])
    return created["api_key"]


@pytest.mark.parametrize("distribution", list(LIBRARIES))
def test_example_runs_against_a_real_server(distribution, server, tenant, tenant_key):
    ensure_library(distribution)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PARLEY_")}
    env.pop("PYTHONPATH", None)  # the examples need only their library and parley_frames.py
    env.update(PARLEY_SERVER=f"127.0.0.1:{server.port}", PARLEY_API_KEY=tenant_key, PARLEY_TENANT=tenant["id"])
    done = subprocess.run([sys.executable, str(EXAMPLES / LIBRARIES[distribution][1])], env=env, cwd=EXAMPLES,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "hello: TENANT_ADMIN"
    assert re.fullmatch(r"created: grp_\w+", lines[1]), lines
    group_id = lines[1].split()[1]
    assert "null id: -32600 batch of 65 entries exceeds the limit of 64" in lines
    assert f"event: watch.event updated {group_id} 6" in lines
    assert lines[-1].startswith(f"error: -32004 not_found group {group_id} not found"), lines
    assert tenant_key not in done.stdout + done.stderr


@pytest.fixture
def real_frames(server, admin, tenant):
    """Frames as parleyd sent them: a watch.event, a subscribe result and a batch refusal (id null)."""
    frames = parley_frames.FrameSocket.connect("127.0.0.1", server.port)
    try:
        def exchange(message):
            frames.send(json.dumps(message).encode())
            return frames.recv()

        exchange({"jsonrpc": "2.0", "id": 1, "method": "hello",
                  "params": {"api_key": server.admin_key, "protocol_version": 1}})
        subscribed = exchange({"jsonrpc": "2.0", "id": 2, "method": "watch.subscribe",
                               "params": {"tenant_id": tenant["id"], "families": ["groups"]}})
        admin.call("groups.create", tenant_id=tenant["id"], name="framed")
        event = frames.recv()
        refused = exchange([{"jsonrpc": "2.0", "id": 10 + i, "method": "ping"} for i in range(65)])
    finally:
        frames.close()
    assert json.loads(event)["method"] == "watch.event" and json.loads(refused)["id"] is None
    return {"event": event, "subscribed": subscribed, "refused": refused}


def test_tinyrpc_cannot_read_notifications_and_drops_null_id_errors(real_frames):
    ensure_library("tinyrpc")
    from tinyrpc import RPCClient
    from tinyrpc.exc import InvalidReplyError, UnexpectedIDError
    from tinyrpc.protocols.jsonrpc import JSONRPCProtocol
    from tinyrpc.transports import ClientTransport

    protocol = JSONRPCProtocol()
    protocol.create_request("ping", [], {})
    with pytest.raises(InvalidReplyError, match="Key not allowed: method"):
        protocol.parse_reply(real_frames["event"])
    with pytest.raises(UnexpectedIDError) as info:
        protocol.parse_reply(real_frames["refused"])
    assert "batch of 65" not in str(info.value)  # the server's message is gone

    # Worse: after a notification took a call's place, the next call returns the previous reply.
    replies = [real_frames["event"], b'{"jsonrpc":"2.0","id":1,"result":{"first":true}}',
               b'{"jsonrpc":"2.0","id":2,"result":{"second":true}}']

    class Scripted(ClientTransport):
        def send_message(self, message, expect_reply=True):
            return replies.pop(0)

    client = RPCClient(JSONRPCProtocol(), Scripted())
    with pytest.raises(InvalidReplyError):
        client.call("first", [], {})
    assert client.call("second", [], {}) == {"first": True}

    # What works: a notification parses as a request (a server-side call).
    event = JSONRPCProtocol().parse_request(real_frames["event"])
    assert event.one_way and event.method == "watch.event" and event.kwargs["type"] == "created"


def test_jsonrpcclient_cannot_parse_notifications_and_a_refused_batch_is_not_a_list(real_frames):
    ensure_library("jsonrpcclient")
    from jsonrpcclient import Error, Ok, parse

    with pytest.raises(KeyError):
        parse(json.loads(real_frames["event"]))
    refused = parse(json.loads(real_frames["refused"]))
    assert isinstance(refused, Error) and refused.id is None and refused.code == -32600
    assert list(refused)[:2] == [-32600, "batch of 65 entries exceeds the limit of 64"]  # iterating yields fields
    subscribed = parse(json.loads(real_frames["subscribed"]))
    assert isinstance(subscribed, Ok) and subscribed.id == 2


def test_json_rpc_builds_requests_dispatches_notifications_and_refuses_rpc_names(real_frames):
    ensure_library("json-rpc")
    from jsonrpc import Dispatcher, JSONRPCResponseManager
    from jsonrpc.jsonrpc2 import JSONRPC20Request, JSONRPC20Response

    with pytest.raises(ValueError, match="reserved"):
        JSONRPC20Request(method="rpc.discover", _id=1)
    notification = json.loads(real_frames["event"])
    with pytest.raises(ValueError, match="Either result or error"):
        JSONRPC20Response(_id=notification.get("id"))
    seen = []
    dispatcher = Dispatcher()
    dispatcher.add_method(lambda **event: seen.append(event["type"]), name="watch.event")
    assert JSONRPCResponseManager.handle(real_frames["event"], dispatcher) is None
    assert seen == ["created"]
