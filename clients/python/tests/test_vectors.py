"""Replays protocol/vectors/*.json against a real parleyd through the client's own codec: the
request bytes are written as they are, the response is read with FrameDecoder, re-framed with
encode_frame and compared byte for byte; error responses are also mapped with error_from_response."""

from __future__ import annotations

import json
import socket
import time

import pytest

from parleyd import VECTORS_DIR
from parley_client import ERROR_CLASSES, ParleyError, error_from_response
from parley_client.framing import FrameDecoder, decode_json, encode_frame, encode_json, encode_request

CASES = [case for path in sorted(VECTORS_DIR.glob("*.json"))
         for case in json.loads(path.read_text(encoding="utf-8"))]
IO_TIMEOUT = 10.0


class Raw:
    """A socket read through the client's FrameDecoder."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        self.decoder = FrameDecoder()
        self.ready: list = []

    def read_payload(self, timeout: float = IO_TIMEOUT) -> bytes:
        deadline = time.monotonic() + timeout
        while not self.ready:
            self.sock.settimeout(max(0.001, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            assert chunk, "the server closed the connection"
            self.ready += self.decoder.feed(chunk)
        return self.ready.pop(0)

    def wait_closed(self, timeout: float = 5.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False
        assert chunk == b"", f"unexpected bytes before the close: {chunk!r}"
        return not self.ready and self.decoder.buffered == 0

    def probe(self, quiet: float = 0.0) -> None:
        """A ping must be the next frame (so nothing unexpected came before it), and nothing may
        follow it for `quiet` seconds."""
        probe_id = f"probe-{time.monotonic_ns()}"
        self.sock.sendall(encode_request(probe_id, "ping"))
        assert decode_json(self.read_payload()) == {"jsonrpc": "2.0", "id": probe_id, "result": {}}
        if quiet:
            with pytest.raises(socket.timeout):
                self.read_payload(timeout=quiet)


def split(data: bytes) -> list:
    decoder = FrameDecoder()
    payloads = decoder.feed(data)
    assert decoder.buffered == 0
    return payloads


def test_there_are_vectors():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(server, case):
    raw = Raw(server.port)
    try:
        if case["requires_hello"]:
            raw.sock.sendall(encode_request("hello", "hello", {"api_key": server.admin_key, "protocol_version": 1}))
            assert "result" in decode_json(raw.read_payload())
        raw.sock.sendall(bytes.fromhex(case["request_hex"]))
        if case["response_hex"] is None:
            raw.probe(quiet=0.1)
            return
        expected = split(bytes.fromhex(case["response_hex"]))
        received = [raw.read_payload() for _ in expected]
        assert b"".join(map(encode_frame, received)).hex() == case["response_hex"]
        for payload in received:
            message = decode_json(payload)
            for entry in message if isinstance(message, list) else [message]:
                error = error_from_response(entry)
                if error is not None:
                    assert isinstance(error, ParleyError)
                    assert type(error) is ERROR_CLASSES[entry["error"]["code"]]
                    assert error.kind == entry["error"]["data"]["kind"]
        if case["then"] == "closed":
            assert raw.wait_closed(), "the server did not close the connection"
        else:
            raw.probe()
    finally:
        raw.sock.close()


def test_client_encoder_reproduces_the_vector_requests_it_can_express():
    """Every vector request that is one compact, valid request object is exactly what
    encode_request writes for the same id, method and params."""
    reproduced = []
    for case in CASES:
        payloads = split(bytes.fromhex(case["request_hex"])) if len(case["request_hex"]) > 8 else []
        if len(payloads) != 1:
            continue
        try:
            message = json.loads(payloads[0])
            compact = encode_json(message)
        except ValueError:  # invalid JSON, or a lone surrogate that UTF-8 cannot encode
            continue
        if (not isinstance(message, dict) or list(message) not in (["jsonrpc", "id", "method"], ["jsonrpc", "id", "method", "params"])
                or message["jsonrpc"] != "2.0" or not isinstance(message["method"], str)
                or not isinstance(message.get("params", {}), dict)
                or isinstance(message["id"], bool) or not isinstance(message["id"], (int, str))
                or compact != payloads[0]):
            continue
        assert encode_request(message["id"], message["method"], message.get("params")) == bytes.fromhex(case["request_hex"])
        reproduced.append(case["name"])
    assert {"ping", "ping_string_id", "ping_int64_min_id", "tenants_get_not_found"} <= set(reproduced), reproduced
