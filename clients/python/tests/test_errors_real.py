"""Every error class raised from a real parleyd answer (internal and gone, which the server cannot be
made to produce on demand, are in test_fake_server.py)."""

from __future__ import annotations

import socket
import time

import pytest

from parley_client import (BusyError, Client, ForbiddenError,
                           InvalidParamsError, InvalidRequestError, MethodNotFoundError,
                           NotFoundError, ParseError, PayloadTooLargeError, RateLimitedError,
                           UnauthenticatedError, ConflictError, error_from_response)
from parley_client.framing import FrameDecoder, decode_json, encode_frame, encode_json


def raw_exchange(port: int, payload: bytes):
    """Sends one frame over a plain socket; returns the parsed response (read with FrameDecoder)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(encode_frame(payload))
        decoder = FrameDecoder()
        while True:
            chunk = sock.recv(65536)
            assert chunk
            payloads = decoder.feed(chunk)
            if payloads:
                return decode_json(payloads[0])


def test_parse_error(server):
    # The client itself always writes valid JSON, and a parse error carries id null; so the frame
    # goes over a plain socket and the client's mapping turns the real answer into the exception.
    error = error_from_response(raw_exchange(server.port, b'{"jsonrpc":"2.0","id":1,'))
    assert isinstance(error, ParseError) and error.code == -32700


def test_invalid_request(server):
    error = error_from_response(raw_exchange(server.port, encode_json({"jsonrpc": "1.0", "id": 3, "method": "ping"})))
    assert isinstance(error, InvalidRequestError) and error.code == -32600


def test_method_not_found(admin):
    with pytest.raises(MethodNotFoundError) as info:
        admin.call("tenants.frobnicate")
    assert info.value.code == -32601


def test_invalid_params_lists_every_problem(admin):
    with pytest.raises(InvalidParamsError) as info:
        admin.call("tenants.list", limit=0, cursor="nope")
    assert info.value.errors == [{"path": "limit", "message": "must be between 1 and 1000"},
                                 {"path": "cursor", "message": "is not a cursor returned by this list"}]


def test_unauthenticated(server):
    with Client("127.0.0.1", server.port) as client:
        with pytest.raises(UnauthenticatedError):
            client.call("tenants.list")
        with pytest.raises(UnauthenticatedError):
            client.hello("prly_not_a_key")


def test_forbidden_and_not_found_for_a_tenant_reader(admin, server, tenant):
    created = admin.call("api_keys.create", name="reader", role="TENANT_READER", tenant_id=tenant["id"])
    with Client("127.0.0.1", server.port, created["api_key"]) as reader:
        assert reader.session["key"]["role"] == "TENANT_READER"
        assert reader.call("groups.list", tenant_id=tenant["id"])["items"] == []
        with pytest.raises(ForbiddenError) as info:
            reader.call("groups.create", tenant_id=tenant["id"], name="Nope")
        assert info.value.code == -32003
        with pytest.raises(NotFoundError) as info:
            reader.call("groups.list", tenant_id="tnt_01M87TWQ0A9XVRRTH65NC114TW")
        assert info.value.object_type == "tenant"


def test_conflict(admin, tenant):
    with pytest.raises(ConflictError) as info:
        admin.call("tenants.create", slug=tenant["slug"], name="Twin")
    assert info.value.reason == "already_exists"


def test_rate_limited(make_server):
    server = make_server("--key-rate-limit", "1", "--key-rate-burst", "1")
    with Client("127.0.0.1", server.port, server.admin_key) as client:
        assert client.limits["key_requests_per_second"] == 1
        results = client.call_many(["ping", "ping", "ping"], return_exceptions=True)
        limited = [r for r in results if isinstance(r, RateLimitedError)]
        assert limited, results
        assert isinstance(limited[0].retry_after_ms, int) and limited[0].retry_after_ms >= 1
        assert limited[0].retry_after == limited[0].retry_after_ms / 1000
        assert not client.closed  # nothing ran, the connection stays


def test_payload_too_large_locally_and_from_the_server(server):
    padding = "x" * 70000
    with Client("127.0.0.1", server.port) as client:
        # The client knows the pre-hello limit: refused locally, nothing sent, connection intact.
        with pytest.raises(PayloadTooLargeError) as info:
            client.call("ping", padding=padding)
        assert info.value.limit == 65536 and info.value.data["local"] is True
        assert not info.value.connection_closed
        assert client.call("ping") == {}
        # With the check off the server refuses the frame: one -32011 with id null, then it closes.
        client.max_request_bytes = None
        with pytest.raises(PayloadTooLargeError) as info:
            client.call("ping", padding=padding)
        assert info.value.limit == 65536 and info.value.connection_closed and "local" not in info.value.data
        assert client.closed
        with pytest.raises(PayloadTooLargeError):  # later calls say why the connection is gone
            client.call("ping")
        client.reconnect()
        assert client.call("ping") == {}


def test_busy_at_the_connection_cap(make_server):
    server = make_server("--max-connections", "1")
    with Client("127.0.0.1", server.port, server.admin_key) as first:
        with pytest.raises(BusyError) as info:
            Client("127.0.0.1", server.port, server.admin_key)
        assert info.value.connection_closed
        assert first.call("ping") == {}
    # A client without a key sees the busy answer on its first call, whenever it makes it. (The
    # server frees the first slot asynchronously: retry while busy, as a real client would.)
    deadline = time.monotonic() + 5
    while True:
        try:
            holder = Client("127.0.0.1", server.port, server.admin_key)
            break
        except BusyError:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    with holder:
        second = Client("127.0.0.1", server.port)
        with pytest.raises(BusyError):
            second.call("ping")
        with pytest.raises(BusyError):
            second.call("ping")
        assert second.closed
        second.close()
