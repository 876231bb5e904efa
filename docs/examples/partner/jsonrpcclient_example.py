"""jsonrpcclient (PyPI ``jsonrpcclient``) on Parley: calls on one connection, the watch on another.

    PARLEY_SERVER=127.0.0.1:7411 PARLEY_API_KEY=... PARLEY_TENANT=tnt_... python3 jsonrpcclient_example.py

jsonrpcclient builds request objects (``request``) and turns replies into ``Ok`` / ``Error``
(``parse``); the socket is yours. ``parse`` raises ``KeyError: 'error'`` on a notification, so the
calls connection carries no watch and one call at a time, and the watch has a connection of its
own (:class:`parley_frames.WatchReader`). See docs/partner-guide.md, section 15.
"""

from __future__ import annotations

import json
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from jsonrpcclient import Error, parse, request

from parley_frames import FrameSocket, WatchReader, settings_from_env


class CallFailed(Exception):
    """An ``Error`` reply; ``id`` is ``None`` when the server could not tie it to a request."""

    def __init__(self, reply: Error) -> None:
        super().__init__(f"{(reply.data or {}).get('kind')} ({reply.code}): {reply.message}")
        self.code, self.message, self.data, self.id = reply.code, reply.message, reply.data or {}, reply.id


class Calls:
    """One connection, one call at a time."""

    def __init__(self, frames: FrameSocket) -> None:
        self.frames = frames

    def call(self, method: str, **params: Any) -> Any:
        sent = request(method, params=params or None)  # ids count up from 1 in the whole process
        self.frames.send(json.dumps(sent).encode())
        reply = parse(json.loads(self.frames.recv()))
        if isinstance(reply, Error):
            raise CallFailed(reply)  # reply.id is None: a frame-level error (the server may close next)
        if reply.id != sent["id"]:
            raise ConnectionError(f"reply {reply.id} to request {sent['id']}: the connection is out of step")
        return reply.result

    def batch(self, calls: Sequence[Tuple[str, Optional[Mapping[str, Any]]]]) -> List[Any]:
        """One batch frame; ``Ok``/``Error`` per call, in call order."""
        sent = [request(method, params=dict(params) if params else None) for method, params in calls]
        self.frames.send(json.dumps(sent).encode())
        parsed = parse(json.loads(self.frames.recv()))
        if isinstance(parsed, Error):  # a refused batch is ONE error with id null, not a list
            raise CallFailed(parsed)
        by_id = {reply.id: reply for reply in parsed}
        return [by_id[entry["id"]] for entry in sent]


def main() -> None:
    host, port, api_key, tenant_id = settings_from_env()
    calls = Calls(FrameSocket.connect(host, port))
    session = calls.call("hello", api_key=api_key, protocol_version=1, client="jsonrpcclient-example")
    print("hello:", session["key"]["role"])

    group = calls.call("groups.create", tenant_id=tenant_id, name="jsonrpcclient example", queue_size=5)
    print("created:", group["id"])
    replies = calls.batch([("ping", None), ("groups.get", {"tenant_id": tenant_id, "id": group["id"]})])
    print("batch:", [type(reply).__name__ for reply in replies])
    try:
        calls.batch([("ping", None)] * 65)
    except CallFailed as error:
        print("null id:", error.code, error.message)

    watch = WatchReader(host, port, api_key, client="jsonrpcclient-example-watch")
    try:
        watch.subscribe(tenant_id=tenant_id, families=["groups"])
        calls.call("groups.update", tenant_id=tenant_id, id=group["id"], queue_size=6)
        frame = watch.next_notification(timeout=10)
        assert frame is not None, "no event within 10 s"
        event = json.loads(frame)["params"]  # jsonrpcclient has nothing for notifications: plain JSON
        print("event:", "watch.event", event["type"], event["id"], event["object"]["queue_size"])
    finally:
        watch.close()

    calls.call("groups.delete", tenant_id=tenant_id, id=group["id"])
    try:
        calls.call("groups.get", tenant_id=tenant_id, id=group["id"])
    except CallFailed as error:
        print("error:", error.code, error.data["kind"], error.message)


if __name__ == "__main__":
    main()
