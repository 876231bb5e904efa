"""Replays every byte-exact vector in protocol/vectors/*.json against a real server."""

from __future__ import annotations

import json
import struct

import pytest

import harness

VECTOR_FILES = sorted(harness.VECTORS_DIR.glob("*.json"))
CASE_KEYS = {"name", "description", "requires_hello", "request_hex", "response_hex", "then"}


def load_cases():
    cases = []
    for path in VECTOR_FILES:
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}:{case.get('name')}"))
    return cases


CASES = load_cases()


def split_frames(data: bytes) -> list[bytes]:
    frames, offset = [], 0
    while offset < len(data):
        assert offset + 4 <= len(data), "truncated frame header"
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        assert offset + 4 + length <= len(data), "truncated frame payload"
        frames.append(data[offset:offset + 4 + length])
        offset += 4 + length
    return frames


def test_vector_files_exist():
    assert VECTOR_FILES, "protocol/vectors holds no *.json vector file"
    assert CASES, "no vector cases"


def test_case_names_are_unique():
    names = [param.values[0]["name"] for param in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES)
def test_vector_is_well_formed(case):
    assert set(case) == CASE_KEYS
    assert isinstance(case["name"], str) and case["name"]
    assert isinstance(case["description"], str) and case["description"]
    assert isinstance(case["requires_hello"], bool)
    assert case["then"] in ("open", "closed")
    assert bytes.fromhex(case["request_hex"])
    if case["response_hex"] is None:
        assert case["then"] == "open"
        return
    for response in split_frames(bytes.fromhex(case["response_hex"])):
        message = json.loads(response[4:])
        # Byte-exact means canonical: members sorted by name, no white space (JSONWriter).
        assert response[4:] == json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize("case", CASES)
def test_vector_replay(server, case):
    request = bytes.fromhex(case["request_hex"])
    with server.connect() as conn:
        if case["requires_hello"]:
            conn.hello(server.admin_key)
        conn.send(request)
        if case["response_hex"] is None:
            # Nothing may come back: the next frame must be the answer to a probe ping.
            conn.probe()
            return
        expected = bytes.fromhex(case["response_hex"])
        received = b"".join(conn.read_frame() for _ in split_frames(expected))
        assert received.hex() == expected.hex(), (
            f"{case['name']}:\n  expected {expected[4:]!r}\n  received {received[4:]!r}")
        if case["then"] == "closed":
            assert conn.wait_closed(), f"{case['name']}: the server did not close the connection"
        else:
            conn.probe()
