"""TLS against a real parleyd (issue 12): verification, names, expiry, client certificates,
plaintext on a TLS listener, SIGHUP reloads, and the plaintext-key refusal. Certificates are made
by the tests with the openssl command."""

from __future__ import annotations

import os
import signal
import ssl
import threading
import time

import pytest

from certificates import Certificates, have_openssl
from parley_client import (Client, ConnectionClosedError, ParleyConnectionError, PlaintextRefusedError,
                           ProtocolError, TLSError)

pytestmark = pytest.mark.skipif(not have_openssl(), reason="the openssl command is needed to make certificates")


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return Certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(make_server, certs):
    def start(*extra: str, cert: str = "server.pem", key: str = "server.key"):
        return make_server("--tls-cert", certs.path(cert), "--tls-key", certs.path(key), *extra)
    return start


def connect(server, certs, **kwargs):
    kwargs.setdefault("tls_ca", certs.path("ca.pem"))
    return Client("127.0.0.1", server.port, server.admin_key, timeout=10, **kwargs)


def test_handshake_and_hello_by_address_and_by_name(tls_server, certs):
    server = tls_server()
    with connect(server, certs) as client:
        assert client.tls and client.session["key"]["role"] == "ADMIN"
        assert client.call("ping") == {}
        assert "tls" in repr(client)
        subject = dict(item[0] for item in client.peer_certificate["subject"])
        assert subject["commonName"] == "localhost"
    with Client("localhost", server.port, server.admin_key, timeout=10, tls_ca=certs.path("ca.pem")) as client:
        assert client.call("ping") == {}
    with connect(server, certs, tls_server_name="localhost") as client:
        assert client.call("ping") == {}


def test_many_threads_share_one_tls_connection(tls_server, certs):
    """Reads and writes on different threads: the TLS state is only touched under its lock."""
    server = tls_server()
    with connect(server, certs) as client:
        tenant = client.call("tenants.create", slug="tls-threads", name="TLS threads")
        errors = []

        def work(index: int) -> None:
            try:
                for round_ in range(40):
                    name = f"g-{index}-{round_}"
                    group = client.call("groups.create", tenant_id=tenant["id"], name=name)
                    assert client.call("groups.get", tenant_id=tenant["id"], id=group["id"])["name"] == name
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        page = client.call("groups.list", tenant_id=tenant["id"], limit=500)
        assert len(page["items"]) == 320
        # A large response crosses many TLS records.
        big = client.batch([("groups.list", {"tenant_id": tenant["id"], "limit": 500})] * 8)
        assert all(len(p["items"]) == 320 for p in big)
        client.call("tenants.delete", id=tenant["id"], cascade=True)


def test_watch_events_arrive_over_tls(tls_server, certs):
    server = tls_server()
    with connect(server, certs) as writer, connect(server, certs) as watcher:
        tenant = writer.call("tenants.create", slug="tls-watch", name="TLS watch")
        with watcher.watch(tenant_id=tenant["id"], families=["groups"]) as events:
            writer.call("groups.create", tenant_id=tenant["id"], name="watched")
            event = events.next_event(timeout=10)
            assert event is not None and event["object"]["name"] == "watched"


def test_an_unknown_ca_is_refused(tls_server, certs):
    server = tls_server()
    with pytest.raises(TLSError, match="certificate verify failed|unable to get local issuer"):
        connect(server, certs, tls_ca=certs.path("stranger-ca.pem"))


def test_the_system_trust_store_does_not_know_the_test_ca(tls_server, certs):
    server = tls_server()
    with pytest.raises(TLSError, match="certificate"):
        Client("127.0.0.1", server.port, server.admin_key, timeout=10, tls=True)


def test_a_certificate_for_another_name_is_refused(tls_server, certs):
    server = tls_server(cert="other.pem", key="other.key")
    with pytest.raises(TLSError, match="mismatch|doesn't match|not valid for"):
        connect(server, certs)
    # Asking for a name the server's certificate does not carry is refused too.
    good = tls_server()
    with pytest.raises(TLSError, match="mismatch|doesn't match|not valid for"):
        connect(good, certs, tls_server_name="other.example")


def test_an_expired_certificate_is_refused(tls_server, certs):
    server = tls_server(cert="expired.pem", key="expired.key")
    with pytest.raises(TLSError, match="expired"):
        connect(server, certs)


def _refused_by_server(server, certs, **kwargs):
    """With TLS 1.3 the client finishes its handshake first; the server's refusal of the client
    certificate arrives as an alert on the first read."""
    try:
        client = connect(server, certs, **kwargs)
    except (TLSError, ConnectionClosedError) as error:
        return error
    client.close()
    pytest.fail("the server should have refused the connection")


def test_client_certificates_when_the_server_requires_them(tls_server, certs):
    server = tls_server("--tls-client-ca", certs.path("ca.pem"))
    error = _refused_by_server(server, certs)
    assert "CERTIFICATE_REQUIRED" in str(error) or "certificate" in str(error).lower()
    _refused_by_server(server, certs, tls_cert=certs.path("stranger-client.pem"),
                       tls_key=certs.path("stranger-client.key"))
    with connect(server, certs, tls_cert=certs.path("client.pem"), tls_key=certs.path("client.key")) as client:
        assert client.call("ping") == {}


def test_plaintext_against_a_tls_listener_is_closed(tls_server, certs):
    server = tls_server("--tls-handshake-timeout", "2")
    started = time.monotonic()
    with Client("127.0.0.1", server.port, timeout=10) as client:
        with pytest.raises((ConnectionClosedError, ProtocolError)) as caught:
            client.call("ping")
    if isinstance(caught.value, ProtocolError):  # the server's alert arrived: the client says what it means
        assert "speaks TLS" in str(caught.value)
    assert time.monotonic() - started < 8
    assert server.process.poll() is None


def test_sighup_swaps_the_certificate_for_new_connections_only(make_server, tmp_path):
    local = Certificates(tmp_path)  # its own files: renewing them must not disturb other tests
    server = make_server("--tls-cert", local.path("server.pem"), "--tls-key", local.path("server.key"))
    old = connect(server, local)
    before = old.peer_certificate["serialNumber"]
    renewed = local.renew_server()
    assert renewed.upper() != before.upper()
    os.kill(server.process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 10
    while "TLS certificate and key reloaded" not in server.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    with connect(server, local) as fresh:
        assert fresh.peer_certificate["serialNumber"].upper() == renewed.upper()
    assert old.call("ping") == {}  # the live connection keeps its session and its certificate
    assert old.peer_certificate["serialNumber"] == before
    old.close()


def test_a_key_is_not_sent_in_plaintext_off_loopback():
    # 192.0.2.1 is TEST-NET-1: the refusal comes before any connection is attempted.
    with pytest.raises(PlaintextRefusedError, match="tls=True"):
        Client("192.0.2.1", 7411, "prly_x_y", timeout=1)
    with pytest.raises(ValueError, match="contradicts"):
        Client("127.0.0.1", 7411, tls=False, tls_ca="ca.pem")
    with pytest.raises(ValueError, match="go together"):
        Client("127.0.0.1", 7411, tls_cert="client.pem")


def test_a_key_in_plaintext_is_allowed_on_loopback_or_when_asked(server):
    with Client("127.0.0.1", server.port, server.admin_key, timeout=10) as client:
        assert not client.tls and client.peer_certificate is None
    with Client("localhost", server.port, server.admin_key, timeout=10, allow_plaintext=True) as client:
        assert client.call("ping") == {}


def test_from_env_reads_the_cli_variables(tls_server, certs, monkeypatch):
    server = tls_server()
    monkeypatch.setenv("PARLEY_SERVER", f"127.0.0.1:{server.port}")
    monkeypatch.setenv("PARLEY_API_KEY", server.admin_key)
    monkeypatch.setenv("PARLEY_TLS_CA", certs.path("ca.pem"))
    monkeypatch.setenv("PARLEY_TLS_SERVER_NAME", "localhost")
    with Client.from_env(timeout=10) as client:
        assert client.tls and client.call("ping") == {}
    monkeypatch.setenv("PARLEY_TLS_SERVER_NAME", "other.example")
    with pytest.raises(TLSError):
        Client.from_env(timeout=10)


def test_an_ssl_context_is_used_as_given(tls_server, certs):
    server = tls_server()
    context = ssl.create_default_context(cafile=certs.path("ca.pem"))
    with Client("127.0.0.1", server.port, server.admin_key, timeout=10, tls=context) as client:
        assert client.call("ping") == {}
    with pytest.raises(ParleyConnectionError):
        Client("127.0.0.1", server.port, server.admin_key, timeout=10, tls=ssl.create_default_context())
