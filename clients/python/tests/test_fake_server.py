"""Client behaviour the real server cannot show on demand, against a scripted fake server: watch
(not implemented by parleyd yet), out-of-order answers, partial writes, malformed frames, errors
with id null, internal errors and unknown codes."""

from __future__ import annotations

import gc
import socket
import threading
import time

import pytest

from fake_server import FakeConnection, serve_methods
from parley_client import (Client, ConnectionClosedError, FrameTooLargeError, GoneError,
                           ParleyConnectionError,
                           InternalError, ParleyError, ParleyTimeoutError, ProtocolError,
                           UnauthenticatedError, WatchClosedError)


def connect(server, **kwargs) -> Client:
    return Client("127.0.0.1", server.port, kwargs.pop("api_key", "prly_fake"), timeout=kwargs.pop("timeout", 5), **kwargs)


# ---------------------------------------------------------------- responses and framing


def test_responses_in_reverse_order_are_matched_by_id(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {"limits": {}})  # hello
        requests = [conn.recv() for _ in range(5)]
        conn.send(*[{"jsonrpc": "2.0", "id": r["id"], "result": {"echo": r["params"]["n"]}} for r in reversed(requests)])
        conn.recv()

    server = fake(handler)
    with connect(server) as client:
        assert client.call_many([("echo", {"n": n}) for n in range(5)]) == [{"echo": n} for n in range(5)]


def test_concurrent_callers_get_their_own_answers_even_out_of_order(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        requests = [conn.recv() for _ in range(2)]
        time.sleep(0.05)
        for request in reversed(requests):
            conn.result(request, {"thread": request["params"]["who"]})
        conn.recv()

    server = fake(handler)
    with connect(server) as client:
        results = {}

        def worker(name):
            results[name] = client.call("who", who=name)

        threads = [threading.Thread(target=worker, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        assert results == {"a": {"thread": "a"}, "b": {"thread": "b"}}


def test_a_response_written_byte_by_byte_is_reassembled(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        data = conn.frame({"jsonrpc": "2.0", "id": request["id"], "result": {"text": "žluťoučký kůň"}})
        for index in range(len(data)):
            conn.send_raw(data[index:index + 1])
            time.sleep(0.001)
        conn.recv()

    server = fake(handler)
    with connect(server) as client:
        assert client.call("slow") == {"text": "žluťoučký kůň"}


def test_an_absurd_frame_length_closes_the_connection(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.send_raw(b"\xff\xff\xff\xff")
        conn.recv()

    server = fake(handler)
    client = connect(server, max_response_bytes=1 << 20)
    with pytest.raises(FrameTooLargeError):
        client.call("ping")
    assert client.closed
    with pytest.raises(ConnectionClosedError, match="4294967295"):
        client.call("ping")


def test_a_response_that_is_not_json_rpc_is_a_protocol_error(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        conn.send({"jsonrpc": "2.0", "id": request["id"]})  # neither result nor error
        conn.recv()

    server = fake(handler)
    with connect(server) as client:
        with pytest.raises(ProtocolError):
            client.call("ping")


def test_an_error_with_null_id_before_the_close_is_raised_to_pending_and_later_calls(fake):
    """PROTOCOL.md §6.7: an expired key gets one -32001 frame with id null, then the close."""
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.error(None, -32001, "unauthenticated", "the API key was revoked or has expired; closing")
        conn.close()

    server = fake(handler)
    client = connect(server)
    with pytest.raises(UnauthenticatedError) as info:
        client.call("tenants.list")
    assert info.value.connection_closed and "expired" in info.value.message
    with pytest.raises(UnauthenticatedError):
        client.call("ping")
    client.close()


def test_a_close_without_a_frame_is_connection_closed(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        conn.recv()
        conn.close()

    server = fake(handler)
    client = connect(server)
    with pytest.raises(ConnectionClosedError) as info:
        client.call("ping")
    assert info.value.error is None
    client.close()


def test_internal_error_and_unknown_codes(fake):
    def teapot(conn, request):
        conn.error(request, -32099, "teapot", "I am a teapot", spout=1)

    def internal(conn, request):
        conn.error(request, -32603, "internal", "internal error")

    server = fake(serve_methods({"teapot": teapot, "internal": internal}))
    with connect(server) as client:
        with pytest.raises(InternalError) as info:
            client.call("internal")
        assert info.value.code == -32603 and info.value.kind == "internal"
        with pytest.raises(ParleyError) as info:
            client.call("teapot")
        assert type(info.value) is ParleyError
        assert (info.value.code, info.value.kind, info.value.data["spout"]) == (-32099, "teapot", 1)


def test_a_call_that_times_out_leaves_the_connection_usable(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        slow = conn.recv()
        fast = conn.recv()
        conn.result(slow, {"late": True})  # answered after the caller gave up: dropped
        conn.result(fast, {"fast": True})
        conn.recv()

    server = fake(handler)
    with connect(server) as client:
        with pytest.raises(ParleyTimeoutError):
            client.call_params("slow", None, timeout=0.1)
        assert client.call("fast") == {"fast": True}


def test_close_fails_calls_waiting_on_other_threads(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        while conn.recv() is not None:
            pass  # never answers

    server = fake(handler)
    client = connect(server)
    errors = []

    def waiter():
        try:
            client.call("never")
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.1)
    client.close()
    thread.join(5)
    assert len(errors) == 1 and isinstance(errors[0], ConnectionClosedError)


def test_notifications_without_a_watch_go_to_the_handler(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        conn.send({"jsonrpc": "2.0", "method": "server.notice", "params": {"text": "hi"}})
        conn.result(request, {})
        conn.recv()

    seen = []
    server = fake(handler)
    with connect(server, on_notification=lambda method, params: seen.append((method, params))) as client:
        client.call("ping")
        assert seen == [("server.notice", {"text": "hi"})]


# ---------------------------------------------------------------- watch


def event(subscription, revision, kind="created", family="groups", object_id=None):
    object_id = object_id or f"grp_{revision}"
    return {"jsonrpc": "2.0", "method": "watch.event", "params": {
        "subscription_id": subscription, "revision": revision, "tenant_id": "tnt_a", "family": family,
        "type": kind, "id": object_id, "object": {"id": object_id}}}


def watch_handler(script):
    """hello, then watch.subscribe answered by script(conn, request); watch.unsubscribe and ping
    answered and recorded."""
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


def test_watch_yields_events_and_unsubscribes(fake):
    def script(conn, request):
        # The response and the first events in ONE write: the events must still reach the watch.
        conn.send({"jsonrpc": "2.0", "id": request["id"], "result": {"subscription_id": "sub-1", "revision": 10}},
                  event("sub-1", 11), event("sub-other", 99), event("sub-1", 12, "updated"))
        conn.send(event("sub-1", 13, "deleted"))

    state, handler = watch_handler(script)
    server = fake(handler)
    others = []
    with connect(server, on_notification=lambda m, p: others.append(p["revision"])) as client:
        with client.watch(tenant_id="tnt_a", families=["groups", "tags"], from_revision=5) as watch:
            assert (watch.subscription_id, watch.revision) == ("sub-1", 10)
            events = [next(watch) for _ in range(3)]
            assert [(e["revision"], e["type"]) for e in events] == [(11, "created"), (12, "updated"), (13, "deleted")]
            assert events[0]["object"] == {"id": "grp_11"} and events[0]["family"] == "groups"
            assert watch.last_revision == 13
            assert watch.next_event(timeout=0.05) is None
        assert watch.closed and list(watch) == []
        assert state["subscribe"] == {"tenant_id": "tnt_a", "families": ["groups", "tags"], "from_revision": 5}
        assert state["unsubscribed"] == ["sub-1"]
        assert others == [99]  # not this watch's: handed to on_notification
        assert client.call("ping") == {}


def test_watch_without_arguments_sends_empty_params(fake):
    def script(conn, request):
        conn.result(request, {"subscription_id": 7, "revision": 1})

    state, handler = watch_handler(script)
    server = fake(handler)
    with connect(server) as client:
        with client.watch() as watch:
            assert watch.subscription_id == 7
        assert state["subscribe"] == {} and state["unsubscribed"] == [7]


def test_watch_from_a_compacted_revision_is_gone(fake):
    def script(conn, request):
        conn.error(request, -32012, "gone", "revision 3 was compacted", compact_revision=40)

    state, handler = watch_handler(script)
    server = fake(handler)
    with connect(server) as client:
        with pytest.raises(GoneError) as info:
            client.watch(from_revision=3)
        assert info.value.compact_revision == 40 and info.value.code == -32012


def test_watch_ends_with_the_connection_after_the_buffered_events(fake):
    def script(conn, request):
        conn.send({"jsonrpc": "2.0", "id": request["id"], "result": {"subscription_id": "s", "revision": 1}},
                  event("s", 2), event("s", 3))
        conn.close()

    state, handler = watch_handler(script)
    server = fake(handler)
    client = connect(server)
    watch = client.watch()
    received = []
    with pytest.raises(ConnectionClosedError):
        for item in watch:
            received.append(item["revision"])
    assert received == [2, 3] and watch.closed
    watch.close()  # no unsubscribe on a closed connection, and no error
    client.close()


def test_two_watches_are_routed_by_subscription_id(fake):
    counter = iter(["a", "b"])

    def script(conn, request):
        name = next(counter)
        conn.result(request, {"subscription_id": name, "revision": 0})
        if name == "b":
            conn.send(event("a", 1), event("b", 2), event("a", 3))

    state, handler = watch_handler(script)
    server = fake(handler)
    with connect(server) as client:
        first, second = client.watch(), client.watch()
        assert [next(first)["revision"], next(first)["revision"]] == [1, 3]
        assert next(second)["revision"] == 2
        first.close()
        second.close()
        assert state["unsubscribed"] == ["a", "b"]


def test_watch_pings_while_idle(fake):
    def script(conn, request):
        conn.result(request, {"subscription_id": "s", "revision": 0})

    state, handler = watch_handler(script)
    server = fake(handler)
    with connect(server) as client:
        with client.watch(keepalive=0.05) as watch:
            assert watch.next_event(timeout=0.3) is None
        assert state["pings"] >= 2


def test_closing_a_watch_from_another_thread_stops_iteration(fake):
    def script(conn, request):
        conn.result(request, {"subscription_id": "s", "revision": 0})

    state, handler = watch_handler(script)
    server = fake(handler)
    with connect(server) as client:
        watch = client.watch()
        timer = threading.Timer(0.1, watch.close)
        timer.start()
        assert list(watch) == []
        timer.join()
        assert state["unsubscribed"] == ["s"]


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
    client = connect(server)
    with client.watch() as watch:
        assert next(watch)["revision"] == 2
        with pytest.raises(WatchClosedError) as info:
            next(watch)
        assert (info.value.reason, info.value.revision) == ("slow_consumer", 2)
        assert isinstance(info.value, ConnectionClosedError)
    assert state["unsubscribed"] == []  # the server already ended it
    client.close()


# ---------------------------------------------------------------- connection life


def test_an_unreachable_server_is_a_connection_error():
    with socket.socket() as bound:  # bound but not listening: connecting is refused
        bound.bind(("127.0.0.1", 0))
        with pytest.raises(ParleyConnectionError) as info:
            Client("127.0.0.1", bound.getsockname()[1], timeout=2)
    assert isinstance(info.value, ConnectionError) and not isinstance(info.value, ConnectionClosedError)


def test_waiting_on_the_reader_thread_is_refused_instead_of_hanging(fake):
    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        request = conn.recv()
        conn.send({"jsonrpc": "2.0", "method": "server.notice", "params": {}})
        conn.result(request, {})
        while conn.recv() is not None:
            pass

    errors = []
    holder = {}

    def on_notification(method, params):
        try:
            holder["client"].call("ping")
        except RuntimeError as error:
            errors.append(error)

    server = fake(handler)
    with connect(server, on_notification=on_notification) as client:
        holder["client"] = client
        assert client.call("ping") == {}
        assert len(errors) == 1 and "reader thread" in str(errors[0])


def test_a_forgotten_client_closes_its_connection(fake):
    closed = threading.Event()

    def handler(conn: FakeConnection):
        conn.result(conn.recv(), {})
        while conn.recv() is not None:
            pass
        closed.set()

    server = fake(handler)
    client = connect(server)  # says hello
    del client
    gc.collect()
    assert closed.wait(5), "the connection of a garbage-collected client stayed open"


def test_reconnect_opens_a_new_connection_and_says_hello_again(fake):
    server = fake(serve_methods({}))
    with connect(server, api_key="prly_again") as client:
        client.reconnect()
        assert client.call("ping") == {}
    hellos = [m for conn in server.connections for m in conn.received if m["method"] == "hello"]
    assert len(server.connections) == 2 and [h["params"]["api_key"] for h in hellos] == ["prly_again"] * 2
    assert hellos[0]["params"]["client"].startswith("parley-python/")
