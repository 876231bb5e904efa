"""The asyncio client against a real parleyd: the counterpart of test_client.py (hello, calls,
errors, pipelining, batches, pagination, watch) plus what only the server can show (a revoked key's
closing error, the connection cap, an oversized frame, SIGTERM)."""

from __future__ import annotations

import asyncio
import time

import pytest

from aio_support import connect, run
from parley_client import (BusyError, ConflictError, ConnectionClosedError, InvalidParamsError,
                           MethodNotFoundError, NotFoundError, ParleyTimeoutError, PayloadTooLargeError,
                           UnauthenticatedError, __version__)
from parley_client.aio import Client, Watch


def test_async_with_says_hello_and_records_the_session(server):
    async def main():
        client = connect(server)
        assert client.closed and repr(client).endswith("not connected>")
        with pytest.raises(RuntimeError, match="not connected"):
            await client.call("ping")
        async with client:
            assert client.session["protocol_version"] == 1 and client.session["key"]["role"] == "ADMIN"
            assert client.key_id == server.admin_key.split("_")[1]
            assert client.limits["max_frame_bytes"] == 1048576 and client.max_request_bytes == 1048576
            assert await client.call("ping") == {}
            assert await client.open() is client  # already open: nothing happens
            assert repr(client).endswith("authenticated>") and server.admin_key not in repr(client)
        assert client.closed
        with pytest.raises(ConnectionClosedError, match="the client was closed"):
            await client.call("ping")
        with pytest.raises(RuntimeError, match="reconnect"):
            await client.open()
        await client.reconnect()  # a new connection, hello with the same key
        assert not client.closed and await client.call("ping") == {}
        await client.close()
        awaited = await connect(server)  # `await Client(...)` opens too
        assert awaited.session is not None
        await awaited.close()
        await awaited.close()  # idempotent

    run(main())
    assert f"client=parley-python/{__version__}" in server.log_text()


def test_explicit_hello_and_what_is_allowed_before_it(server):
    async def main():
        async with connect(server, api_key=None) as client:
            assert client.session is None and client.max_request_bytes == 65536
            assert await client.call("ping") == {}
            assert (await client.call("server.info"))["protocol_version"] == 1
            with pytest.raises(UnauthenticatedError) as info:
                await client.call("tenants.list")
            assert info.value.code == -32001 and info.value.kind == "unauthenticated"
            with pytest.raises(UnauthenticatedError):
                await client.hello("prly_" + "0" * 16 + "_" + "A" * 43)
            assert not client.closed  # a failed hello keeps the connection
            result = await client.hello(server.admin_key, client_name="explicit-aio/1")
            assert result["key"]["role"] == "ADMIN"
            assert "items" in await client.call("tenants.list", limit=1)

    run(main())


def test_a_wrong_key_fails_open_and_closes(server):
    async def main():
        client = connect(server, api_key="prly_nope")
        with pytest.raises(UnauthenticatedError):
            await client.open()
        assert client.closed

    run(main())


def test_from_env(server, monkeypatch):
    monkeypatch.setenv("PARLEY_SERVER", f"127.0.0.1:{server.port}")
    monkeypatch.setenv("PARLEY_API_KEY", server.admin_key)

    async def main():
        async with Client.from_env(timeout=10) as client:
            assert client.session is not None and client.port == server.port

    run(main())


def test_from_env_without_a_key_refuses_like_the_blocking_client(server, monkeypatch):
    monkeypatch.setenv("PARLEY_SERVER", f"127.0.0.1:{server.port}")
    monkeypatch.delenv("PARLEY_API_KEY", raising=False)
    with pytest.raises(ValueError, match="PARLEY_API_KEY is not set"):
        Client.from_env()  # at once, before any event loop or connection
    monkeypatch.setenv("PARLEY_API_KEY", "")
    with pytest.raises(ValueError, match="PARLEY_API_KEY"):
        Client.from_env()
    monkeypatch.setenv("PARLEY_SERVER", "no-port")
    with pytest.raises(ValueError, match="host:port"):
        Client.from_env(api_key=None)
    monkeypatch.setenv("PARLEY_SERVER", f"127.0.0.1:{server.port}")

    async def main():
        async with Client.from_env(api_key=None) as client:  # on purpose: only hello, ping, server.info
            assert client.session is None and await client.call("ping") == {}

    run(main())


def test_method_is_positional_only_so_params_may_be_named_method(server):
    async def main():
        async with connect(server) as client:
            page = await client.call("audit.list", method="tenants.create", limit=5)
            assert all(record["method"] == "tenants.create" for record in page["items"])
            assert (await client.call_params("tenants.list", {"limit": 1}, timeout=5))["items"] is not None

    run(main())


def test_crud_round_trip_and_errors(server):
    async def main():
        async with connect(server) as client:
            tenant = await client.call("tenants.create", slug="aio-crud", name="Acme", default_language="cs")
            tid = tenant["id"]
            assert await client.call("tenants.get", id=tid) == tenant
            with pytest.raises(ConflictError) as info:
                await client.call("tenants.create", slug="aio-crud", name="Again")
            assert info.value.reason == "already_exists" and info.value.field == "slug"
            group = await client.call("groups.create", tenant_id=tid, name="Sales", queue_size=20)
            with pytest.raises(ConflictError) as info:
                await client.call("groups.update", tenant_id=tid, id=group["id"], queue_size=5,
                                  expected_revision=group["revision"] - 1)
            assert info.value.reason == "revision_mismatch" and info.value.current_revision == group["revision"]
            with pytest.raises(InvalidParamsError) as info:
                await client.call("groups.update", tenant_id=tid, id=group["id"], queue_size=5000, bogus=1)
            assert {e["path"] for e in info.value.errors} == {"queue_size", "bogus"}
            with pytest.raises(MethodNotFoundError):
                await client.call("groups.frobnicate")
            assert (await client.call("tenants.delete", id=tid, cascade=True))["deleted"] is True
            with pytest.raises(NotFoundError) as info:
                await client.call("tenants.get", id=tid)
            assert (info.value.object_type, info.value.object_id) == ("tenant", tid)

    run(main())


def test_iterate_follows_next_cursor(server):
    async def main():
        async with connect(server) as client:
            tenant = await client.call("tenants.create", slug="aio-iterate", name="Iterate")
            tid = tenant["id"]
            created = await client.call_many([("groups.create", {"tenant_id": tid, "name": f"Group {i}"})
                                              for i in range(7)])
            pages = []
            original = client.call_params

            async def spy(method, params=None, **kwargs):
                pages.append(dict(params or {}))
                return await original(method, params, **kwargs)

            client.call_params = spy  # type: ignore[method-assign]
            listed = [g["id"] async for g in client.iterate("groups.list", tenant_id=tid, limit=2)]
            del client.call_params
            assert listed == sorted(g["id"] for g in created)
            assert len(pages) == 4 and "cursor" not in pages[0] and all("cursor" in p for p in pages[1:])
            assert [g async for g in client.iterate("groups.list", tenant_id=tid, name_prefix="nothing")] == []
            await client.call("tenants.delete", id=tid, cascade=True)

    run(main())


def test_two_hundred_gathered_calls_share_one_connection(server):
    """asyncio.gather of 200 calls: all in flight at once on one connection (beyond the server's 64),
    each answer routed to its own call by id."""
    async def main():
        async with connect(server) as client:
            tenants = await asyncio.gather(*(client.call("tenants.create", slug=f"aio-gather-{i}", name=f"G {i}")
                                              for i in range(4)))
            conn = client._conn
            calls = [client.call("tenants.get", id=tenants[i % 4]["id"]) if i % 3 else client.call("ping")
                     for i in range(200)]
            results = await asyncio.gather(*calls)
            for i, result in enumerate(results):
                assert result == ({} if i % 3 == 0 else tenants[i % 4])
            assert client._conn is conn and not conn.pending  # one connection, nothing left waiting
            mixed = await asyncio.gather(client.call("ping"), client.call("tenants.get", id="tnt_missing"),
                                         client.call("nope"), return_exceptions=True)
            assert mixed[0] == {} and isinstance(mixed[1], NotFoundError) and isinstance(mixed[2], MethodNotFoundError)
            await asyncio.gather(*(client.call("tenants.delete", id=t["id"]) for t in tenants))

    run(main())


def test_a_slow_hello_is_overtaken_by_pings(server):
    """A wrong secret costs an argon2id verification; pings sent after it are answered first."""
    async def main():
        async with connect(server) as client:
            wrong = f"prly_{client.key_id}_" + "Z" * 43
            arrivals = []
            hello = await client.submit("hello", {"api_key": wrong, "protocol_version": 1})
            hello.add_done_callback(lambda f: arrivals.append("hello"))
            pings = [await client.submit("ping") for _ in range(3)]
            pings[0].add_done_callback(lambda f: arrivals.append("ping0"))
            assert await asyncio.gather(*pings) == [{}, {}, {}]
            with pytest.raises(UnauthenticatedError):
                await hello
            assert arrivals.index("ping0") < arrivals.index("hello"), arrivals
            assert await client.call("tenants.list", limit=1) is not None  # the failed hello changed nothing

    run(main())


def test_call_many_beyond_the_in_flight_limit_keeps_order(server):
    async def main():
        async with connect(server) as client:
            results = await client.call_many(["ping"] * 150 + [("server.info", None)])
            assert results[:150] == [{}] * 150 and results[150]["name"] == "parleyd"
            mixed = await client.call_many(["ping", ("tenants.get", {"id": "tnt_missing"}), ("nope",)],
                                           return_exceptions=True)
            assert mixed[0] == {} and isinstance(mixed[1], NotFoundError) and isinstance(mixed[2], MethodNotFoundError)
            with pytest.raises(NotFoundError):
                await client.call_many(["ping", ("tenants.get", {"id": "tnt_missing"})])
            assert await client.call_many([]) == []

    run(main())


def test_pipeline_and_batch(server):
    async def main():
        async with connect(server) as client:
            async with client.pipeline() as pipe:
                ping = pipe.call("ping")
                info = pipe.call("server.info")
                missing = pipe.call_params("tenants.get", {"id": "tnt_missing"})
                assert len(pipe) == 3 and not ping.done()
            assert ping.result() == {} and info.result()["name"] == "parleyd"
            assert isinstance(missing.exception(), NotFoundError)
            assert pipe.results[0] == {} and isinstance(pipe.results[2], NotFoundError)
            again = client.pipeline()
            again.call("ping")
            assert await again.execute() == [{}]
            with pytest.raises(RuntimeError):
                await again.execute()

            results = await client.batch([("ping", None), ("tenants.get", {"id": "tnt_missing"}), "server.info"],
                                         return_exceptions=True)
            assert results[0] == {} and isinstance(results[1], NotFoundError) and results[2]["name"] == "parleyd"
            with pytest.raises(NotFoundError):
                await client.batch(["ping", ("tenants.get", {"id": "tnt_missing"})])
            assert await client.batch(["ping"] * 64) == [{}] * 64
            with pytest.raises(ValueError, match="at most 64"):
                await client.batch(["ping"] * 65)
            with pytest.raises(ValueError):
                await client.batch([])

    run(main())


def test_notifications_get_no_answer(server):
    async def main():
        async with connect(server) as client:
            await client.notify("ping")
            await client.notify("nope")
            await client.notify("tenants.list", limit=0)
            assert await client.call("ping") == {}
            await asyncio.sleep(0.05)
            assert client._conn._last_null_error is None and not client.closed

    run(main())


def test_timeouts_and_cancellation_leave_the_connection_usable(server):
    async def main():
        async with connect(server) as client:
            wrong = {"api_key": f"prly_{client.key_id}_" + "Y" * 43, "protocol_version": 1}
            with pytest.raises(ParleyTimeoutError, match="no response to hello"):
                await client.call_params("hello", wrong, timeout=0.001)
            with pytest.raises(asyncio.TimeoutError):  # the caller's own timeout cancels the call
                await asyncio.wait_for(client.call_params("hello", wrong), 0.001)
            await asyncio.sleep(0.5)  # the late answers arrive and are dropped
            assert await client.call("ping") == {} and not client._conn.pending

    run(main())


def test_close_fails_pending_calls_with_a_clear_error(server):
    async def main():
        client = await connect(server)
        wrong = {"api_key": f"prly_{client.key_id}_" + "X" * 43, "protocol_version": 1}
        pending = [asyncio.ensure_future(client.call_params("hello", wrong)) for _ in range(3)]
        await asyncio.sleep(0)  # the requests are written; their answers take an argon2id verification
        await client.close()
        outcomes = await asyncio.gather(*pending, return_exceptions=True)
        assert all(isinstance(o, ConnectionClosedError) and "the client was closed" in str(o) for o in outcomes), outcomes

    run(main())


def test_watch_receives_changes_made_on_another_connection_while_calls_are_in_flight(server):
    async def main():
        async with connect(server) as watcher, connect(server) as writer:
            tenant = await writer.call("tenants.create", slug="aio-watch", name="Watch")
            tid = tenant["id"]
            async with watcher.watch(tenant_id=tid, families=["groups"]) as events:
                assert isinstance(events, Watch) and isinstance(events.revision, int)

                async def changes():
                    return [await writer.call("groups.create", tenant_id=tid, name=f"Watched {i}") for i in range(3)]

                async def receive(count):
                    return [await events.next_event(timeout=10) for _ in range(count)]

                pings = [watcher.call("ping") for _ in range(100)]  # calls in flight on the watching connection
                created, received, *answers = await asyncio.gather(changes(), receive(3), *pings)
                assert answers == [{}] * 100
                assert [e["id"] for e in received] == [g["id"] for g in created]
                assert all(e["type"] == "created" and e["family"] == "groups" and e["tenant_id"] == tid
                           and e["subscription_id"] == events.subscription_id for e in received)
                assert events.last_revision == created[-1]["revision"]
                assert await events.next_event(timeout=0.1) is None
            assert events.closed and [e async for e in events] == []

            # Resume after the last event seen: only what came later, via `await client.watch(...)`.
            later = await writer.call("groups.update", tenant_id=tid, id=created[0]["id"], queue_size=7)
            resumed = await watcher.watch(tenant_id=tid, families=["groups"], from_revision=events.last_revision)
            async for event in resumed:
                assert (event["type"], event["revision"]) == ("updated", later["revision"])
                assert event["object"]["queue_size"] == 7
                break
            await resumed.close()
            assert await watcher.call("ping") == {}
            await writer.call("tenants.delete", id=tid, cascade=True)

    run(main())


def test_a_revoked_key_surfaces_the_servers_closing_error(server):
    """PROTOCOL.md §6.7: the server sends -32001 with id null, then closes; the watch waiting on the
    connection and every later call raise that error (connection_closed true)."""
    async def main():
        async with connect(server) as admin:
            tenant = await admin.call("tenants.create", slug="aio-revoke", name="Revoke")
            created = await admin.call("api_keys.create", name="aio reader", role="TENANT_READER",
                                       tenant_id=tenant["id"])
            async with connect(server, api_key=created["api_key"]) as reader:
                assert reader.session["key"]["role"] == "TENANT_READER"
                events = await reader.watch()
                await admin.call("api_keys.revoke", id=reader.key_id)
                with pytest.raises(UnauthenticatedError) as info:
                    await events.next_event(timeout=10)
                assert info.value.connection_closed and "closing" in info.value.message
                assert reader.closed
                with pytest.raises(UnauthenticatedError) as info:
                    await reader.call("ping")
                assert info.value.connection_closed
            await admin.call("tenants.delete", id=tenant["id"], cascade=True)

    run(main())


def test_payload_too_large_locally_and_from_the_server(server):
    async def main():
        padding = "x" * 70000
        async with connect(server, api_key=None) as client:
            with pytest.raises(PayloadTooLargeError) as info:
                await client.call("ping", padding=padding)
            assert info.value.limit == 65536 and info.value.data["local"] is True and not client.closed
            client.max_request_bytes = None
            with pytest.raises(PayloadTooLargeError) as info:  # the server's closing error frame
                await client.call("ping", padding=padding)
            assert info.value.limit == 65536 and info.value.connection_closed and "local" not in info.value.data
            assert client.closed
            with pytest.raises(PayloadTooLargeError):
                await client.call("ping")
            await client.reconnect()
            assert await client.call("ping") == {}

    run(main())


def test_busy_at_the_connection_cap(make_server):
    server = make_server("--max-connections", "1")

    async def main():
        async with connect(server) as first:
            with pytest.raises(BusyError) as info:
                await connect(server).open()
            assert info.value.connection_closed
            assert await first.call("ping") == {}

    run(main())


def test_sigterm_closes_connected_clients(make_server):
    server = make_server()

    async def main():
        client = await connect(server)
        waiting = asyncio.ensure_future(client.watch())
        subscription = await waiting
        assert await asyncio.get_running_loop().run_in_executor(None, server.stop) == 0
        with pytest.raises(ConnectionClosedError):
            await subscription.next_event(timeout=10)
        deadline = time.monotonic() + 5
        while not client.closed and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        with pytest.raises(ConnectionClosedError):
            await client.call("ping")
        await client.close()

    run(main())
