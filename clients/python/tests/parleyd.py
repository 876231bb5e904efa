"""A real parleyd on a temporary database and a loopback port, for the client's tests: the shared
protocol/testing/parleyd_harness.py (conftest.py puts it on `sys.path`), as these tests use it."""

from __future__ import annotations

import pathlib
from typing import List, Optional

import parleyd_harness
from parleyd_harness import REPO_ROOT, VECTORS_DIR  # noqa: F401 (imported from here by the tests)


def find_parleyd() -> Optional[pathlib.Path]:
    """$PARLEY_BIN_DIR/parleyd, else <repo>/.build/debug/parleyd; None when neither exists."""
    return parleyd_harness.find_parleyd(missing_ok=True)


class Server(parleyd_harness.Parleyd):
    """`parleyd init --db` (prints the admin key), then `parleyd serve` on 127.0.0.1:0."""

    def __init__(self, binary: pathlib.Path, workdir: pathlib.Path, extra_args: Optional[List[str]] = None):
        super().__init__(binary, workdir, extra_args, poll=0.01)
