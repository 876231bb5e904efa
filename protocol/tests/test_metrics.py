"""`parleyd serve --metrics-listen`: Prometheus text at GET /metrics."""

from __future__ import annotations

import http.client
import socket
import uuid


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scrape(port: int, path: str = "/metrics") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def samples(text: str) -> dict[str, float]:
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def test_metrics_count_requests_connections_commits_and_argon2(make_server):
    port = free_port()
    server = make_server("--metrics-listen", f"127.0.0.1:{port}")
    with server.connect() as conn:
        conn.hello(server.admin_key)
        created = conn.request("tenants.create", {"slug": f"m-{uuid.uuid4().hex[:10]}", "name": "Metrics"})
        assert "result" in created
        assert conn.request("tenants.get", {"id": "tnt_00000000000000000000000000"}, id=2)["error"]["code"] == -32004
        status, text = scrape(port)
        assert status == 200
        values = samples(text)
        assert values['parley_requests_total{method="tenants.create",outcome="ok"}'] == 1
        assert values['parley_requests_total{method="tenants.get",outcome="not_found"}'] == 1
        assert values['parley_request_duration_seconds_count{method="hello"}'] >= 1
        assert values["parley_open_connections"] >= 1
        assert values["parley_store_revision"] == created["result"]["revision"]
        assert values["parley_commit_batch_size_count"] >= 1 and values["parley_commit_duration_seconds_count"] >= 1
        assert values["parley_argon2_wait_seconds_count"] >= 1 and "parley_argon2_queue_depth" in values
        assert "# TYPE parley_request_duration_seconds histogram" in text
    assert scrape(port, "/other")[0] == 404


def test_every_method_has_its_ok_series_before_its_first_call(make_server):
    """Each method's `ok` counter is made once per server, so it is exported at 0 from the start."""
    port = free_port()
    server = make_server("--metrics-listen", f"127.0.0.1:{port}")
    status, text = scrape(port)
    assert status == 200
    values = samples(text)
    assert values['parley_requests_total{method="groups.get",outcome="ok"}'] == 0
    assert values['parley_requests_total{method="tenants.delete",outcome="ok"}'] == 0
    with server.connect() as conn:
        conn.hello(server.admin_key)
    assert samples(scrape(port)[1])['parley_requests_total{method="hello",outcome="ok"}'] == 1
