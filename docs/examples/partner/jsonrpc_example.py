"""json-rpc (PyPI ``json-rpc``, imported as ``jsonrpc``) on Parley: calls on one connection, the
watch on another, its notifications routed by json-rpc's ``Dispatcher``.

    PARLEY_SERVER=127.0.0.1:7411 PARLEY_API_KEY=... PARLEY_TENANT=tnt_... python3 jsonrpc_example.py

json-rpc is a server-side library: it builds requests (``JSONRPC20Request``) but has no client
and no reply parser, so the reply below is read into ``JSONRPC20Response`` by hand. It refuses
method names that start with ``rpc.`` (send ``rpc.discover`` as plain JSON). What it does well for a
client is dispatching the *server's* notifications: ``JSONRPCResponseManager.handle`` calls the
``Dispatcher`` entry for ``watch.event`` with the event's members as keyword arguments and answers
nothing, as for any notification. See docs/partner-guide.md, section 15.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List

from jsonrpc import Dispatcher, JSONRPCResponseManager
from jsonrpc.jsonrpc2 import JSONRPC20Request, JSONRPC20Response

from parley_frames import CallError, FrameSocket, NullIdError, WatchReader, null_id_error, settings_from_env


class Calls:
    """One connection, one call at a time."""

    def __init__(self, frames: FrameSocket) -> None:
        self.frames = frames
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> Any:
        sent = JSONRPC20Request(method=method, params=params or None, _id=next(self.ids))
        self.frames.send(sent.json.encode())
        reply = json.loads(self.frames.recv())
        failure = null_id_error(reply)
        if failure is not None:
            raise failure
        response = JSONRPC20Response(_id=reply["id"], **{k: reply[k] for k in ("result", "error") if k in reply})
        if response._id != sent._id:
            raise ConnectionError(f"reply {response._id} to request {sent._id}: the connection is out of step")
        if response.error:
            raise CallError(response.error)
        return response.result

    def raw_batch(self, entries: List[Dict[str, Any]]) -> Any:
        self.frames.send(json.dumps(entries).encode())
        reply = json.loads(self.frames.recv())
        failure = null_id_error(reply)
        if failure is not None:
            raise failure
        return reply


def main() -> None:
    host, port, api_key, tenant_id = settings_from_env()
    calls = Calls(FrameSocket.connect(host, port))
    session = calls.call("hello", api_key=api_key, protocol_version=1, client="json-rpc-example")
    print("hello:", session["key"]["role"])

    group = calls.call("groups.create", tenant_id=tenant_id, name="json-rpc example", queue_size=5)
    print("created:", group["id"])
    try:
        calls.raw_batch([JSONRPC20Request(method="ping", _id=1000 + i).data for i in range(65)])
    except NullIdError as error:
        print("null id:", error.code, error.message)

    received: List[Dict[str, Any]] = []
    dispatcher = Dispatcher()
    # json-rpc calls handlers as handler(**params); an exception in one is logged and swallowed.
    dispatcher.add_method(lambda **event: received.append(event), name="watch.event")
    dispatcher.add_method(lambda **closed: print("watch closed:", closed), name="watch.closed")

    watch = WatchReader(host, port, api_key, client="json-rpc-example-watch")
    try:
        watch.subscribe(tenant_id=tenant_id, families=["groups"])
        calls.call("groups.update", tenant_id=tenant_id, id=group["id"], queue_size=6)
        frame = watch.next_notification(timeout=10)
        assert frame is not None, "no event within 10 s"
        assert JSONRPCResponseManager.handle(frame, dispatcher) is None  # a notification: no answer
        event = received[0]
        print("event:", "watch.event", event["type"], event["id"], event["object"]["queue_size"])
    finally:
        watch.close()

    calls.call("groups.delete", tenant_id=tenant_id, id=group["id"])
    try:
        calls.call("groups.get", tenant_id=tenant_id, id=group["id"])
    except CallError as error:
        print("error:", error.code, error.data["kind"], error.message)


if __name__ == "__main__":
    main()
