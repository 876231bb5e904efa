"""tinyrpc (PyPI ``tinyrpc``) on Parley: calls on one connection, the watch on another.

    PARLEY_SERVER=127.0.0.1:7411 PARLEY_API_KEY=... PARLEY_TENANT=tnt_... python3 tinyrpc_example.py

tinyrpc's ``RPCClient`` sends a request and takes the next frame as its reply, so its connection
must carry nothing but replies: no watch, one call at a time. A reply with ``"id": null`` would make
tinyrpc raise ``UnexpectedIDError`` and drop the server's message, so the transport below raises
:class:`parley_frames.NullIdError` with it first. See docs/partner-guide.md, section 15.
"""

from __future__ import annotations

import json

from tinyrpc import RPCClient
from tinyrpc.protocols.jsonrpc import JSONRPCError, JSONRPCProtocol
from tinyrpc.transports import ClientTransport

from parley_frames import FrameSocket, NullIdError, WatchReader, null_id_error, settings_from_env


class ParleyTransport(ClientTransport):
    """A tinyrpc transport over Parley framing: one frame out, the next frame back."""

    def __init__(self, frames: FrameSocket) -> None:
        self.frames = frames

    def send_message(self, message: bytes, expect_reply: bool = True) -> bytes:
        self.frames.send(message)
        if not expect_reply:  # a notification: the server answers nothing
            return b""
        reply = self.frames.recv()
        failure = null_id_error(json.loads(reply))
        if failure is not None:
            raise failure
        return reply


def main() -> None:
    host, port, api_key, tenant_id = settings_from_env()
    rpc = RPCClient(JSONRPCProtocol(), ParleyTransport(FrameSocket.connect(host, port)))
    session = rpc.call("hello", [], {"api_key": api_key, "protocol_version": 1, "client": "tinyrpc-example"})
    print("hello:", session["key"]["role"])

    groups = rpc.get_proxy("groups.")  # groups.create(...) calls "groups.create" with named params
    group = groups.create(tenant_id=tenant_id, name="tinyrpc example", queue_size=5)
    print("created:", group["id"])

    try:
        rpc.batch_call([("ping", [], {})] * 65)  # over the server's 64: one error with id null
    except NullIdError as error:
        print("null id:", error.code, error.message)

    watch = WatchReader(host, port, api_key, client="tinyrpc-example-watch")
    try:
        watch.subscribe(tenant_id=tenant_id, families=["groups"])
        groups.update(tenant_id=tenant_id, id=group["id"], queue_size=6)
        frame = watch.next_notification(timeout=10)
        assert frame is not None, "no event within 10 s"
        event = JSONRPCProtocol().parse_request(frame)  # a notification parses as a request: one_way
        print("event:", event.method, event.kwargs["type"], event.kwargs["id"], event.kwargs["object"]["queue_size"])
    finally:
        watch.close()

    groups.delete(tenant_id=tenant_id, id=group["id"])
    try:
        groups.get(tenant_id=tenant_id, id=group["id"])
    except JSONRPCError as error:  # code in error._jsonrpc_error_code; switch on data["kind"]
        print("error:", error._jsonrpc_error_code, error.data["kind"], error.message)


if __name__ == "__main__":
    main()
