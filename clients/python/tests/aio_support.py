"""Helpers for the asyncio client's tests: plain pytest functions run their coroutine with
:func:`run` (``asyncio.run``, bounded in time), no pytest plugin needed."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Optional

from parley_client.aio import Client


def run(coroutine: Awaitable[Any], timeout: float = 60.0) -> Any:
    """Runs ``coroutine`` in a fresh event loop, failing after ``timeout`` seconds."""
    async def bounded() -> Any:
        return await asyncio.wait_for(coroutine, timeout)
    return asyncio.run(bounded())


def connect(server: Any, api_key: Optional[str] = "admin", **kwargs: Any) -> Client:
    """An (unopened) asyncio client for a test server; ``api_key="admin"`` is its ADMIN key."""
    key = server.admin_key if api_key == "admin" else api_key
    kwargs.setdefault("timeout", 10)
    return Client("127.0.0.1", server.port, key, **kwargs)
