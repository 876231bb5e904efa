#!/usr/bin/env python3
"""Regenerates protocol/vectors/frames.json by running each case against a real parleyd.

    PARLEY_BIN_DIR=<dir with parleyd> python3 protocol/tests/generate_vectors.py [--check]

The request bytes are defined here; the expected responses are whatever the server sends, so review
the diff of frames.json (and the code) before committing a regenerated file. With --check nothing is
written and the exit status says whether the file is up to date.
"""

from __future__ import annotations

import json
import pathlib
import socket
import struct
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "testing"))  # parleyd_harness, for harness

import harness  # noqa: E402

FRAMES_PATH = harness.VECTORS_DIR / "frames.json"

PING = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
NOTIFY_PING = b'{"jsonrpc":"2.0","method":"ping"}'


def case(name, description, payload=None, *, raw=None, requires_hello=False, then="open", no_response=False):
    """A case; `payload` is framed, `raw` is sent as is (for broken headers)."""
    request = raw if raw is not None else harness.frame(payload)
    return {
        "name": name,
        "description": description,
        "requires_hello": requires_hello,
        "request_hex": request.hex(),
        "expects_response": not no_response,
        "then": then,
    }


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


CASES = [
    # --- success
    case("ping", "A ping with an integer id; the result is an empty object.", PING),
    case("ping_string_id", "Ids may be strings; the response echoes the id exactly.",
         b'{"jsonrpc":"2.0","id":"req-7","method":"ping"}'),
    case("ping_int64_min_id", "Integer ids span the signed 64-bit range.",
         b'{"jsonrpc":"2.0","id":-9223372036854775808,"method":"ping"}'),
    case("ping_empty_params", "params may be an empty object.",
         b'{"jsonrpc":"2.0","id":2,"method":"ping","params":{}}'),
    case("ping_whitespace", "Insignificant JSON white space around and inside the message is allowed; member order is free.",
         b' {\n "method" : "ping",\t"id":3, "jsonrpc":"2.0" }\r\n'),
    case("ping_after_hello", "ping also works after hello (the response does not depend on the session).",
         b'{"jsonrpc":"2.0","id":4,"method":"ping"}', requires_hello=True),
    # --- parse errors (-32700, id null, connection stays open)
    case("parse_error_truncated", "Invalid JSON (truncated object).", b'{"jsonrpc":"2.0","id":1,'),
    case("parse_error_trailing_data", "Data after the JSON value is a parse error.", PING + b"x"),
    case("parse_error_invalid_utf8", "Invalid UTF-8 inside a string (0xC3 0x28).",
         b'{"jsonrpc":"2.0","id":"\xc3\x28","method":"ping"}'),
    case("parse_error_invalid_utf8_lead_byte", "A byte that can never start a JSON text (0xFF).", b"\xff"),
    case("parse_error_duplicate_member", "Duplicate object member names are refused.",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","id":2}'),
    case("parse_error_nesting_65", "Arrays nested 65 deep exceed the depth limit of 64.", nested(65)),
    case("nesting_64_is_parsed", "Nesting of exactly 64 levels parses; the batch entry is then not a request object (-32600).",
         nested(64)),
    case("parse_error_lone_surrogate", "A \\u escape of an unpaired surrogate is invalid.",
         b'{"jsonrpc":"2.0","id":"\\ud800","method":"ping"}'),
    # --- invalid requests (-32600)
    case("invalid_request_null_id", "id null is refused; the response id is null.",
         b'{"jsonrpc":"2.0","id":null,"method":"ping"}'),
    case("invalid_request_fractional_id", "A fractional id is refused; the response id is null.",
         b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}'),
    case("invalid_request_id_with_fraction_syntax", "1.0 is written with a fraction, so it is not an integer id.",
         b'{"jsonrpc":"2.0","id":1.0,"method":"ping"}'),
    case("invalid_request_boolean_id", "An id that is neither a string nor an integer is refused.",
         b'{"jsonrpc":"2.0","id":true,"method":"ping"}'),
    case("invalid_request_jsonrpc_missing", "jsonrpc must be \"2.0\"; a readable id is echoed.",
         b'{"id":1,"method":"ping"}'),
    case("invalid_request_jsonrpc_wrong", "jsonrpc \"1.0\" is refused.",
         b'{"jsonrpc":"1.0","id":1,"method":"ping"}'),
    case("invalid_request_method_not_string", "method must be a string.",
         b'{"jsonrpc":"2.0","id":1,"method":5}'),
    case("invalid_request_method_missing", "method is required.", b'{"jsonrpc":"2.0","id":1}'),
    case("invalid_request_unknown_member", "Members other than jsonrpc, id, method, params are refused.",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","extra":true}'),
    case("invalid_request_params_scalar", "params must be an object.",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","params":5}'),
    case("invalid_request_params_null", "params null is not an object either.",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","params":null}'),
    case("invalid_request_top_level_scalar", "A message must be an object or an array.", b"42"),
    case("invalid_request_bad_notification", "An entry without id that is not a valid request is answered with id null.",
         b'{"method":"ping"}'),
    # --- params
    case("invalid_params_array", "Positional (array) params are refused with -32602 on path \"params\".",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}'),
    case("invalid_params_unknown_param", "An unknown param is refused with -32602.",
         b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":1}}'),
    # --- methods
    case("method_not_found", "An unknown method gives -32601.", b'{"jsonrpc":"2.0","id":1,"method":"nope"}'),
    case("method_not_found_after_hello", "Method lookup comes before the permission check.",
         b'{"jsonrpc":"2.0","id":"m","method":"tenants.nope"}', requires_hello=True),
    case("unauthenticated_before_hello", "tenants.list before hello gives -32001.",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.list"}'),
    case("unauthenticated_rpc_discover_before_hello", "rpc.discover needs a session too.",
         b'{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}'),
    case("hello_wrong_key", "A well-formed key that does not exist: the same -32001 as every other key failure.",
         b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"api_key":"prly_0000000000000000_0000000000000000000000000000000000000000000","protocol_version":1}}'),
    case("hello_malformed_key", "A malformed key gives the same -32001.",
         b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"api_key":"secret","protocol_version":1}}'),
    case("hello_invalid_params", "hello lists every problem: missing api_key, unsupported protocol_version, unknown param.",
         b'{"jsonrpc":"2.0","id":1,"method":"hello","params":{"protocol_version":2,"user":"x"}}'),
    case("tenants_get_not_found", "tenants.get of an id that does not exist gives -32004.",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.get","params":{"id":"tnt_missing"}}', requires_hello=True),
    case("tenants_create_invalid_params", "Every invalid field is listed in data.errors, in a stable order.",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.create","params":{"slug":"-Bad","name":"","default_language":"english","timezone":"Mars/Olympus","dry_run":"yes","colour":"red"}}',
         requires_hello=True),
    case("tenants_list_invalid_params", "limit out of 1..1000 and a cursor that this list did not issue.",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.list","params":{"limit":0,"cursor":"zz"}}', requires_hello=True),
    case("tenants_update_not_found", "tenants.update of a missing tenant gives -32004.",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.update","params":{"id":"tnt_missing","name":"x"}}', requires_hello=True),
    case("tenants_delete_not_found", "tenants.delete of a missing tenant gives -32004 (also with dry_run).",
         b'{"jsonrpc":"2.0","id":1,"method":"tenants.delete","params":{"id":"tnt_missing","dry_run":true}}', requires_hello=True),
    # --- notifications
    case("notification_ping", "A notification (no id) gets no response.", NOTIFY_PING, no_response=True),
    case("notification_unknown_method", "Not even an error: an unknown method called as a notification is silent.",
         b'{"jsonrpc":"2.0","method":"nope"}', no_response=True),
    case("notification_before_hello", "A notification refused for lack of a session is silent too.",
         b'{"jsonrpc":"2.0","method":"tenants.list"}', no_response=True),
    case("notification_invalid_params", "A notification whose handler refuses its params is silent.",
         b'{"jsonrpc":"2.0","method":"ping","params":{"x":1}}', no_response=True),
    # --- batches
    case("batch_mixed",
         "A batch is answered by one array holding the responses of its requests in entry order (notifications "
         "omitted): success, -32601, -32001 (before hello), -32600 for a non-object entry, and -32600 for an id "
         "already used by a request in flight (here: earlier in the same batch).",
         b'[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"ping"},'
         b'{"jsonrpc":"2.0","id":"b","method":"nope"},{"jsonrpc":"2.0","id":2,"method":"tenants.list"},'
         b'1,{"jsonrpc":"2.0","id":1,"method":"ping"}]'),
    case("batch_single_entry", "A batch of one request is answered by an array of one response.",
         b'[{"jsonrpc":"2.0","id":"s","method":"ping"}]'),
    case("batch_notifications_only", "A batch made only of notifications gets no response at all (not []).",
         b"[" + b",".join([NOTIFY_PING] * 3) + b"]", no_response=True),
    case("batch_empty", "An empty batch gets one -32600 with id null.", b"[]"),
    case("batch_64_entries", "64 entries is the maximum batch.",
         b"[" + b",".join(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}' % i for i in range(64)) + b"]"),
    case("batch_65_entries", "65 entries is one more than allowed: one -32600, id null, nothing runs.",
         b"[" + b",".join(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}' % i for i in range(65)) + b"]"),
    # --- framing
    case("two_frames_in_one_write", "Frames are independent of TCP segments: two frames sent in one write get two "
         "responses (both are answered without running a method, so their order is fixed).",
         raw=harness.frame(b"{") + harness.frame(b'{"jsonrpc":"2.0","id":9,"method":"nope"}')),
    case("frame_empty", "A header declaring N = 0: one -32011 with id null, then the server closes.",
         raw=b"\x00\x00\x00\x00", then="closed"),
    case("frame_header_max", "A header declaring 0xFFFFFFFF bytes is refused from the header alone.",
         raw=b"\xff\xff\xff\xff", then="closed"),
    case("frame_over_limit_before_hello", "Before hello the limit is 65536 bytes; 65537 is refused from the header alone.",
         raw=struct.pack(">I", 65537), then="closed"),
    case("frame_over_limit_after_hello", "After hello the limit is 1048576 bytes (default); 1048577 is refused.",
         raw=struct.pack(">I", 1048577), requires_hello=True, then="closed"),
]


def run_case(server: harness.Server, spec: dict) -> str | None:
    with server.connect() as connection:
        if spec["requires_hello"]:
            connection.hello(server.admin_key)
        connection.send(bytes.fromhex(spec["request_hex"]))
        if not spec["expects_response"]:
            connection.probe()
            return None
        frames = [connection.read_frame()]
        if spec["name"] == "two_frames_in_one_write":
            frames.append(connection.read_frame())
        if spec["then"] == "closed":
            assert connection.wait_closed(), f"{spec['name']}: the server did not close the connection"
        else:
            connection.probe()
        return b"".join(frames).hex()


def generate() -> list[dict]:
    names = [spec["name"] for spec in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    with tempfile.TemporaryDirectory(prefix="parley-vectors-") as workdir:
        server = harness.Server(pathlib.Path(workdir))
        try:
            out = []
            for spec in CASES:
                response = run_case(server, spec)
                entry = {key: spec[key] for key in ("name", "description", "requires_hello", "request_hex")}
                entry["response_hex"] = response
                entry["then"] = spec["then"]
                out.append(entry)
        finally:
            status = server.stop()
        assert status == 0, f"parleyd exited with {status}"
    return out


def render(vectors: list[dict]) -> str:
    return json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    text = render(generate())
    if "--check" in sys.argv:
        current = FRAMES_PATH.read_text(encoding="utf-8") if FRAMES_PATH.exists() else ""
        if current != text:
            print(f"{FRAMES_PATH} is out of date", file=sys.stderr)
            return 1
        print(f"{FRAMES_PATH} is up to date")
        return 0
    FRAMES_PATH.parent.mkdir(parents=True, exist_ok=True)
    FRAMES_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {FRAMES_PATH.relative_to(harness.PROTOCOL_DIR.parent)} ({len(CASES)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
