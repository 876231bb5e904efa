"""The asyncio client against the scripted fake server, for what a real server cannot show on
demand: answers out of order, events in the same write as the subscribe response, watch.closed,
malformed frames, errors with id null before a close, a server that never answers."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from aio_support import run
from fake_server import FakeConnection, serve_methods
from parley_client import (ConnectionClosedError, FrameTooLargeError, GoneError, ParleyConnectionError,
                           ParleyTimeoutError, ProtocolError, UnauthenticatedError, WatchClosedError)
from parley_client.aio import Client


def connect(server, **kwargs) -> Client:
    return Client("127.0.0.1", server.port, kwargs.pop("api_key", "prly_fake"), timeout=kwargs.pop("timeout", 5),
                  **kwargs)


def event(subscription, revision, kind="created"):
    return {"jsonrpc": "2.0", "method": "watch.event", "params": {
        "subscription_id": subscription, "revision": revision, "tenant_id": "tnt_a", "family": "groups",
        "type": kind, "id": f"grp_{revision}", "object": {"id": f"grp_{revision}"}}}


def watch_handler(script):
    """serve_methods with watch.subscribe answered by script(conn, request); unsubscribe and ping
    recorded."""
    state = {"unsubscribed": [], "pings": 0, "subscribe": None}

    def subscribe(conn, request):
        state["subscribe"] = request["params"]
        script(conn, request)

    def unsubscribe(conn, request):
        state["unsubscribed"].append(request["params"]["subscription_id"])
        return {}

    def ping(conn, request):
        state["pings"] += 1
        return {}

    return state, serve_methods({"watch.subscribe": subscribe, "watch.unsubscribe": unsubscribe, "ping": ping})


def test_responses_in_reverse_order_are_matched_by_id(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {"limits": {}})  # hello
        requests = [conn.recv() for _ in range(5)]
        conn.send(*[{"jsonrpc": "2.0", "id": r["id"], "result": {"echo": r["params"]["n"]}} for r in reversed(requests)])
        conn.recv()

    server = fake(handler)

    async def main():
        async with connect(server) as client:
            results = await asyncio.gather(*(client.call("echo", n=n) for n in range(5)))
            assert results == [{"echo": n} for n in range(5)]

    run(main())


def test_an_error_with_null_id_before_the_close_is_raised_to_pending_and_later_calls(fake):
    """PROTOCOL.md §6.7: an expired key gets one -32001 frame with id null, then the close."""
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.recv()
        conn.error(None, -32001, "unauthenticated", "the API key was revoked or has expired; closing")
        conn.close()

    server = fake(handler)

    async def main():
        client = await connect(server)
        outcomes = await asyncio.gather(client.call("tenants.list"), client.call("ping"), return_exceptions=True)
        assert all(isinstance(o, UnauthenticatedError) and o.connection_closed and "expired" in o.message
                   for o in outcomes), outcomes
        assert outcomes[0] is not outcomes[1]  # each caller its own instance
        with pytest.raises(UnauthenticatedError):
            await client.call("ping")
        await client.close()

    run(main())


def test_a_close_without_a_frame_is_connection_closed(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.close()

    server = fake(handler)

    async def main():
        client = await connect(server)
        with pytest.raises(ConnectionClosedError) as info:
            await client.call("ping")
        assert info.value.error is None and "server closed" in str(info.value)
        await client.close()

    run(main())


def test_close_fails_calls_waiting_in_other_tasks(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        while conn.recv() is not None:
            pass  # never answers

    server = fake(handler)

    async def main():
        client = await connect(server)
        waiting = [asyncio.ensure_future(client.call("never")) for _ in range(10)]
        await asyncio.sleep(0.1)
        assert len(client._conn.pending) == 10
        await client.close()
        outcomes = await asyncio.gather(*waiting, return_exceptions=True)
        assert all(isinstance(o, ConnectionClosedError) and str(o) == "the client was closed" for o in outcomes)

    run(main())


def test_an_absurd_frame_length_closes_the_connection(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.send_raw(b"\xff\xff\xff\xff")
        conn.recv()

    server = fake(handler)

    async def main():
        client = await connect(server, max_response_bytes=1 << 20)
        with pytest.raises(FrameTooLargeError):
            await client.call("ping")
        assert client.closed
        with pytest.raises(ConnectionClosedError, match="4294967295"):
            await client.call("ping")
        await client.close()

    run(main())


def test_a_response_that_is_not_json_rpc_is_a_protocol_error(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        conn.send({"jsonrpc": "2.0", "id": request["id"]})  # neither result nor error
        conn.recv()

    server = fake(handler)

    async def main():
        async with connect(server) as client:
            with pytest.raises(ProtocolError):
                await client.call("ping")

    run(main())


def test_a_late_answer_after_a_timeout_is_dropped(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        slow = conn.recv()
        fast = conn.recv()
        conn.result(slow, {"late": True})
        conn.result(fast, {"fast": True})
        conn.recv()

    server = fake(handler)

    async def main():
        async with connect(server) as client:
            with pytest.raises(ParleyTimeoutError):
                await client.call_params("slow", None, timeout=0.1)
            assert await client.call("fast") == {"fast": True}

    run(main())


def test_notifications_without_a_watch_go_to_the_handler(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        conn.send({"jsonrpc": "2.0", "method": "server.notice", "params": {"text": "hi"}},
                  {"jsonrpc": "2.0", "method": "server.notice", "params": {"text": "again"}})
        conn.result(request, {})
        conn.recv()

    server = fake(handler)
    seen = []

    async def on_notification(method, params):  # an async handler runs as a task
        await asyncio.sleep(0)
        seen.append((method, params["text"]))

    async def main():
        async with connect(server, on_notification=on_notification) as client:
            assert await client.call("ping") == {}
            await asyncio.sleep(0.05)
            assert seen == [("server.notice", "hi"), ("server.notice", "again")]

    run(main())


def test_watch_yields_events_sent_with_the_subscribe_response_and_unsubscribes(fake):
    def script(conn, request):
        # The response and the first events in ONE write: the events must still reach the watch.
        conn.send({"jsonrpc": "2.0", "id": request["id"], "result": {"subscription_id": "sub-1", "revision": 10}},
                  event("sub-1", 11), event("sub-other", 99), event("sub-1", 12, "updated"))
        conn.send(event("sub-1", 13, "deleted"))

    state, handler = watch_handler(script)
    server = fake(handler)
    others = []

    async def main():
        async with connect(server, on_notification=lambda m, p: others.append(p["revision"])) as client:
            async with client.watch(tenant_id="tnt_a", families=["groups", "tags"], from_revision=5) as watch:
                assert (watch.subscription_id, watch.revision) == ("sub-1", 10)
                received = []
                async for item in watch:
                    received.append((item["revision"], item["type"]))
                    if len(received) == 3:
                        break
                assert received == [(11, "created"), (12, "updated"), (13, "deleted")]
                assert watch.last_revision == 13 and await watch.next_event(timeout=0.05) is None
            assert watch.closed and [e async for e in watch] == []
            assert state["subscribe"] == {"tenant_id": "tnt_a", "families": ["groups", "tags"], "from_revision": 5}
            assert state["unsubscribed"] == ["sub-1"]
            assert others == [99]  # not this watch's: handed to on_notification
            with pytest.raises(TypeError, match="list of family names"):
                client.watch(families="groups")

    run(main())


def test_watch_from_a_compacted_revision_is_gone(fake):
    def script(conn, request):
        conn.error(request, -32012, "gone", "revision 3 was compacted", compact_revision=40)

    state, handler = watch_handler(script)
    server = fake(handler)

    async def main():
        async with connect(server) as client:
            with pytest.raises(GoneError) as info:
                await client.watch(from_revision=3)
            assert info.value.compact_revision == 40

    run(main())


def test_watch_closed_by_the_server_ends_the_iteration_after_its_events(fake):
    def script(conn, request):
        conn.send({"jsonrpc": "2.0", "id": request["id"], "result": {"subscription_id": "s", "revision": 1}},
                  event("s", 2),
                  {"jsonrpc": "2.0", "method": "watch.closed",
                   "params": {"subscription_id": "s", "reason": "slow_consumer", "revision": 2}})
        time.sleep(0.1)
        conn.close()

    state, handler = watch_handler(script)
    server = fake(handler)

    async def main():
        client = await connect(server)
        async with client.watch() as watch:
            assert (await watch.__anext__())["revision"] == 2
            with pytest.raises(WatchClosedError) as info:
                await watch.__anext__()
            assert (info.value.reason, info.value.revision) == ("slow_consumer", 2)
        assert state["unsubscribed"] == []  # the server already ended it
        await client.close()

    run(main())


def test_watch_ends_with_the_connection_after_the_buffered_events(fake):
    def script(conn, request):
        conn.send({"jsonrpc": "2.0", "id": request["id"], "result": {"subscription_id": "s", "revision": 1}},
                  event("s", 2), event("s", 3))
        conn.close()

    state, handler = watch_handler(script)
    server = fake(handler)

    async def main():
        client = await connect(server)
        watch = await client.watch()
        received = []
        with pytest.raises(ConnectionClosedError):
            async for item in watch:
                received.append(item["revision"])
        assert received == [2, 3] and watch.closed
        await watch.close()  # no unsubscribe on a closed connection, and no error
        await client.close()

    run(main())


def test_watch_pings_while_idle_and_close_from_another_task_stops_iteration(fake):
    def script(conn, request):
        conn.result(request, {"subscription_id": "s", "revision": 0})

    state, handler = watch_handler(script)
    server = fake(handler)

    async def main():
        async with connect(server) as client:
            watch = await client.watch(keepalive=0.05)
            assert await watch.next_event(timeout=0.3) is None
            assert state["pings"] >= 2
            closer = asyncio.get_running_loop().call_later(0.1, lambda: asyncio.ensure_future(watch.close()))
            assert [e async for e in watch] == []
            closer.cancel()
            await asyncio.sleep(0.05)
            assert state["unsubscribed"] == ["s"]

    run(main())


def test_an_unreachable_server_is_a_connection_error():
    with socket.socket() as bound:  # bound but not listening: connecting is refused
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]

        async def main():
            with pytest.raises(ParleyConnectionError) as info:
                await Client("127.0.0.1", port, timeout=2).open()
            assert isinstance(info.value, ConnectionError) and not isinstance(info.value, ConnectionClosedError)

        run(main())


def test_reconnect_opens_a_new_connection_and_says_hello_again(fake):
    server = fake(serve_methods({}))

    async def main():
        async with connect(server, api_key="prly_again") as client:
            await client.reconnect()
            assert await client.call("ping") == {}

    run(main())
    hellos = [m for conn in server.connections for m in conn.received if m["method"] == "hello"]
    assert len(server.connections) == 2 and [h["params"]["api_key"] for h in hellos] == ["prly_again"] * 2
    assert hellos[0]["params"]["client"].startswith("parley-python/")
