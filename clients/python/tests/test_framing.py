"""The codec and the error mapping, without a server."""

from __future__ import annotations

import pickle
import struct

import pytest

from parley_client import (ERROR_CLASSES, BusyError, ConflictError, FrameTooLargeError, GoneError,
                           InvalidParamsError, NotFoundError, ParleyError, ProtocolError,
                           RateLimitedError, error_from_object, error_from_response)
from parley_client.framing import (FrameDecoder, decode_json, encode_frame, encode_json,
                                   encode_notification, encode_request)


def test_encode_request_matches_the_spec_example():
    # PROTOCOL.md §1.2: ping with id 1.
    assert encode_request(1, "ping").hex() == (
        "000000287b226a736f6e727063223a22322e30222c226964223a312c226d6574686f64223a2270696e67227d")


def test_encode_notification_has_no_id_and_keeps_utf8_raw():
    frame = encode_notification("tags.create", {"name": "Věc"})
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4
    assert frame[4:] == '{"jsonrpc":"2.0","method":"tags.create","params":{"name":"Věc"}}'.encode()


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_json_numbers_are_refused_before_sending(bad):
    with pytest.raises(ValueError):
        encode_request(1, "ping", {"x": bad})


def test_params_must_be_a_mapping_and_ids_int_or_str():
    with pytest.raises(TypeError):
        encode_request(1, "ping", [1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encode_request(True, "ping")  # type: ignore[arg-type]


def test_decoder_handles_byte_by_byte_reads_and_many_frames_per_read():
    frames = [encode_frame(encode_json({"id": i, "result": {"x": "é" * i}})) for i in range(5)]
    stream = b"".join(frames)
    decoder = FrameDecoder()
    payloads = []
    for index in range(len(stream)):
        payloads += decoder.feed(stream[index:index + 1])
    assert [decode_json(p)["id"] for p in payloads] == list(range(5))
    assert decoder.buffered == 0
    decoder = FrameDecoder()
    assert [decode_json(p)["id"] for p in decoder.feed(stream)] == list(range(5))
    # A split header, then the rest with the start of the next frame.
    decoder = FrameDecoder()
    assert decoder.feed(stream[:2]) == []
    assert decoder.buffered == 2
    out = decoder.feed(stream[2:len(frames[0]) + 3])
    assert len(out) == 1 and decoder.buffered == 3


@pytest.mark.parametrize("header", [b"\xff\xff\xff\xff", struct.pack(">I", 1025), b"\x00\x00\x00\x00"])
def test_decoder_refuses_absurd_and_empty_lengths_from_the_header_alone(header):
    decoder = FrameDecoder(max_frame_bytes=1024)
    with pytest.raises(FrameTooLargeError):
        decoder.feed(header)  # no payload byte needed: refused before buffering


def test_decoder_accepts_exactly_the_limit():
    decoder = FrameDecoder(max_frame_bytes=4)
    assert decoder.feed(encode_frame(b"1234")) == [b"1234"]


@pytest.mark.parametrize("payload", [b"\xff", b'{"a":', b"NaN", b'{"a":Infinity}'])
def test_decode_json_raises_protocol_error(payload):
    with pytest.raises(ProtocolError):
        decode_json(payload)


def test_every_code_of_the_spec_has_its_class():
    expected = {
        -32700: "parse_error", -32600: "invalid_request", -32601: "method_not_found",
        -32602: "invalid_params", -32603: "internal", -32001: "unauthenticated", -32003: "forbidden",
        -32004: "not_found", -32009: "conflict", -32010: "rate_limited", -32011: "payload_too_large",
        -32012: "gone", -32014: "busy",
    }
    assert {code: cls.KIND for code, cls in ERROR_CLASSES.items()} == expected
    for code, kind in expected.items():
        error = error_from_object({"code": code, "message": "m", "data": {"kind": kind}})
        assert type(error) is ERROR_CLASSES[code]
        assert isinstance(error, ParleyError) and error.code == code and error.kind == kind


def test_error_attributes():
    params = error_from_object({"code": -32602, "message": "invalid params: 1 problem",
                                "data": {"kind": "invalid_params", "errors": [{"path": "limit", "message": "bad"}]}})
    assert isinstance(params, InvalidParamsError)
    assert params.errors == [{"path": "limit", "message": "bad"}]
    assert "limit: bad" in str(params)
    conflict = error_from_object({"code": -32009, "message": "m", "data": {
        "kind": "conflict", "reason": "revision_mismatch", "current_revision": 7}})
    assert isinstance(conflict, ConflictError)
    assert (conflict.reason, conflict.current_revision, conflict.field) == ("revision_mismatch", 7, None)
    limited = error_from_object({"code": -32010, "message": "m", "data": {"kind": "rate_limited", "retry_after_ms": 1500}})
    assert isinstance(limited, RateLimitedError) and limited.retry_after_ms == 1500 and limited.retry_after == 1.5
    gone = error_from_object({"code": -32012, "message": "m", "data": {"kind": "gone", "compact_revision": 40}})
    assert isinstance(gone, GoneError) and gone.compact_revision == 40
    missing = error_from_object({"code": -32004, "message": "m", "data": {"kind": "not_found", "type": "group", "id": "grp_1"}})
    assert isinstance(missing, NotFoundError) and (missing.object_type, missing.object_id) == ("group", "grp_1")


def test_unknown_codes_map_to_the_base_class_with_their_kind():
    error = error_from_object({"code": -32099, "message": "teapot", "data": {"kind": "teapot", "extra": 1}})
    assert type(error) is ParleyError and error.kind == "teapot" and error.data["extra"] == 1
    # An unknown code with a known kind maps by kind; junk never raises while mapping.
    assert type(error_from_object({"code": -1, "message": "m", "data": {"kind": "busy"}})) is BusyError
    assert type(error_from_object("junk")) is ParleyError
    assert error_from_object({"code": -32001}).message == ""
    assert error_from_response({"jsonrpc": "2.0", "id": 1, "result": {}}) is None


def test_errors_pickle_and_repr():
    error = error_from_object({"code": -32009, "message": "m", "data": {"kind": "conflict", "reason": "in_use"}})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ConflictError and copy.reason == "in_use" and copy.message == "m"
    assert "ConflictError(code=-32009" in repr(error)
    assert str(error) == "conflict (-32009): m [reason: in_use]"
