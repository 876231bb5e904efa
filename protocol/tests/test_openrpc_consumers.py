"""The OpenRPC document as a third-party consumer reads it (issue 16): the `openrpc` package from
PyPI models every OpenRPC 1.x object with pydantic, as code generators do. It refused the document
while methods' errors were `$ref`s (782 validation errors: `code` and `message` missing); it must
read every method, param, result and error now."""

from __future__ import annotations

import json

import pytest

import harness

openrpc_objects = pytest.importorskip("openrpc._objects", reason="the openrpc package (./dev test installs it with pip)")


def test_a_generator_style_consumer_reads_the_whole_document():
    document = json.loads(harness.OPENRPC_PATH.read_text())
    model = openrpc_objects.OpenRPC(**document)
    assert len(model.methods) == len(document["methods"])
    by_name = {method.name: method for method in model.methods}
    for method in document["methods"]:
        parsed = by_name[method["name"]]
        assert [error.code for error in parsed.errors or []] == [error["code"] for error in method.get("errors", [])], method["name"]
        assert all(error.message for error in parsed.errors or []), method["name"]
