"""TLS for the asyncio client against a real parleyd, with the same options and errors as the
blocking client (test_tls.py): verification, names, expiry, client certificates, from_env, an
ssl.SSLContext as given, plaintext on a TLS listener, and the plaintext-key refusal."""

from __future__ import annotations

import asyncio
import ssl
import time

import pytest

from aio_support import run
from certificates import Certificates, have_openssl
from parley_client import (ConnectionClosedError, ParleyConnectionError, PlaintextRefusedError, ProtocolError,
                           TLSError)
from parley_client.aio import Client

pytestmark = pytest.mark.skipif(not have_openssl(), reason="the openssl command is needed to make certificates")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return Certificates(tmp_path_factory.mktemp("aio-tls"))


@pytest.fixture
def tls_server(make_server, certs):
    def start(*extra: str, cert: str = "server.pem", key: str = "server.key"):
        return make_server("--tls-cert", certs.path(cert), "--tls-key", certs.path(key), *extra)
    return start


def connect(server, certs, host="127.0.0.1", **kwargs) -> Client:
    kwargs.setdefault("tls_ca", certs.path("ca.pem"))
    return Client(host, server.port, server.admin_key, timeout=10, **kwargs)


def test_handshake_hello_pipelining_and_watch_over_tls(tls_server, certs):
    server = tls_server()

    async def main():
        async with connect(server, certs) as client, connect(server, certs, host="localhost") as writer:
            assert client.tls and client.session["key"]["role"] == "ADMIN" and "tls" in repr(client)
            subject = dict(item[0] for item in client.peer_certificate["subject"])
            assert subject["commonName"] == "localhost"
            tenant = await writer.call("tenants.create", slug="aio-tls", name="TLS")
            async with client.watch(tenant_id=tenant["id"], families=["groups"]) as events:
                created, *pongs = await asyncio.gather(
                    writer.call("groups.create", tenant_id=tenant["id"], name="over tls"),
                    *(client.call("ping") for _ in range(200)))
                assert pongs == [{}] * 200
                event = await events.next_event(timeout=10)
                assert event is not None and event["id"] == created["id"]
            # A large response crosses many TLS records.
            await writer.call_many([("groups.create", {"tenant_id": tenant["id"], "name": f"g{i}"}) for i in range(100)])
            pages = await client.batch([("groups.list", {"tenant_id": tenant["id"], "limit": 500})] * 8)
            assert all(len(p["items"]) == 101 for p in pages)
            await writer.call("tenants.delete", id=tenant["id"], cascade=True)
        async with connect(server, certs, tls_server_name="localhost") as client:
            assert await client.call("ping") == {}

    run(main())


def test_an_unknown_ca_an_untrusted_store_a_wrong_name_and_expiry_are_refused(tls_server, certs):
    good = tls_server()
    other = tls_server(cert="other.pem", key="other.key")
    expired = tls_server(cert="expired.pem", key="expired.key")

    async def main():
        with pytest.raises(TLSError, match="certificate verify failed|unable to get local issuer"):
            await connect(good, certs, tls_ca=certs.path("stranger-ca.pem")).open()
        with pytest.raises(TLSError, match="certificate"):
            await Client("127.0.0.1", good.port, good.admin_key, timeout=10, tls=True).open()
        with pytest.raises(TLSError, match="mismatch|doesn't match|not valid for"):
            await connect(other, certs).open()
        with pytest.raises(TLSError, match="mismatch|doesn't match|not valid for"):
            await connect(good, certs, tls_server_name="other.example").open()
        with pytest.raises(TLSError, match="expired"):
            await connect(expired, certs).open()

    run(main())


def test_client_certificates_when_the_server_requires_them(tls_server, certs):
    server = tls_server("--tls-client-ca", certs.path("ca.pem"))

    async def refused(**kwargs):
        # With TLS 1.3 the server's refusal arrives as an alert on the first read.
        try:
            client = await connect(server, certs, **kwargs).open()
        except (TLSError, ConnectionClosedError) as error:
            return error
        await client.close()
        pytest.fail("the server should have refused the connection")

    async def main():
        error = await refused()
        assert "certificate" in str(error).lower()
        await refused(tls_cert=certs.path("stranger-client.pem"), tls_key=certs.path("stranger-client.key"))
        async with connect(server, certs, tls_cert=certs.path("client.pem"), tls_key=certs.path("client.key")) as c:
            assert await c.call("ping") == {}

    run(main())


def test_plaintext_against_a_tls_listener_is_closed(tls_server):
    server = tls_server("--tls-handshake-timeout", "2")

    async def main():
        started = time.monotonic()
        async with Client("127.0.0.1", server.port, timeout=10) as client:
            with pytest.raises((ConnectionClosedError, ProtocolError)) as caught:
                await client.call("ping")
        if isinstance(caught.value, ProtocolError):
            assert "speaks TLS" in str(caught.value)
        assert time.monotonic() - started < 8

    run(main())
    assert server.process.poll() is None


def test_from_env_reads_the_cli_variables(tls_server, certs, monkeypatch):
    server = tls_server()
    monkeypatch.setenv("PARLEY_SERVER", f"127.0.0.1:{server.port}")
    monkeypatch.setenv("PARLEY_API_KEY", server.admin_key)
    monkeypatch.setenv("PARLEY_TLS_CA", certs.path("ca.pem"))
    monkeypatch.setenv("PARLEY_TLS_SERVER_NAME", "localhost")

    async def main():
        async with Client.from_env(timeout=10) as client:
            assert client.tls and await client.call("ping") == {}
        monkeypatch.setenv("PARLEY_TLS_SERVER_NAME", "other.example")
        with pytest.raises(TLSError):
            await Client.from_env(timeout=10).open()

    run(main())


def test_an_ssl_context_is_used_as_given(tls_server, certs):
    server = tls_server()

    async def main():
        context = ssl.create_default_context(cafile=certs.path("ca.pem"))
        async with Client("127.0.0.1", server.port, server.admin_key, timeout=10, tls=context) as client:
            assert await client.call("ping") == {}
        with pytest.raises(ParleyConnectionError):
            await Client("127.0.0.1", server.port, server.admin_key, timeout=10, tls=ssl.create_default_context()).open()

    run(main())


def test_a_key_is_not_sent_in_plaintext_off_loopback():
    # 192.0.2.1 is TEST-NET-1: the refusal comes from the constructor, before any connection.
    with pytest.raises(PlaintextRefusedError, match="tls=True"):
        Client("192.0.2.1", 7411, "prly_x_y", timeout=1)
    with pytest.raises(ValueError, match="contradicts"):
        Client("127.0.0.1", 7411, tls=False, tls_ca="ca.pem")
    with pytest.raises(ValueError, match="go together"):
        Client("127.0.0.1", 7411, tls_cert="client.pem")
