"""The asyncio client's watch: an async iterator of ``watch.event`` params (PROTOCOL.md §9.5).
Internal module; use :meth:`parley_client.aio.Client.watch`."""

from __future__ import annotations

import asyncio
import collections
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Deque, Dict, Generator, List, Optional, Set, Tuple

from ._routing import clone_exception, watch_closed_error
from .errors import ParleyException

if TYPE_CHECKING:  # pragma: no cover
    from ._aio_connection import Connection
    from .aio import Client

__all__ = ["Watch", "WatchStart"]

log = logging.getLogger("parley_client")

_STOP = object()
_EMPTY = object()


class Watch:
    """A subscription's events (made by :meth:`parley_client.aio.Client.watch`)::

        async with client.watch(tenant_id=tid, families=["groups"]) as events:
            async for event in events:
                ...

    Events are buffered in memory as they arrive, while calls are in flight too, until consumed.
    Iteration ends (``StopAsyncIteration``) after :meth:`close`. Once the buffered events are
    consumed it raises :class:`~parley_client.WatchClosedError` if the server ended the
    subscription (``watch.closed``), or the connection's error (:class:`ConnectionClosedError`,
    or the server's closing error such as :class:`UnauthenticatedError` for a revoked key) if the
    connection closed. :attr:`last_revision` is the revision of the last event consumed: to resume
    on a new connection, pass it as ``from_revision``.
    """

    def __init__(self, client: "Client", conn: "Connection", keepalive: float) -> None:
        self._client = client
        self._conn = conn
        self._keepalive = keepalive
        self._items: Deque[Any] = collections.deque()
        self._waiters: Set["asyncio.Future[None]"] = set()
        self._closed = False
        self._ended_by_server = False
        self._end: Optional[BaseException] = None
        #: The id the server gave this subscription.
        self.subscription_id: Any = None
        #: The store revision when the subscription started (from ``watch.subscribe``).
        self.revision: Optional[int] = None
        #: The revision of the last event returned.
        self.last_revision: Optional[int] = None
        #: Notifications other than ``watch.event`` / ``watch.closed`` that carried this
        #: subscription id, as ``(method, params)`` (kept for later protocol versions).
        self.notices: List[Tuple[str, Dict[str, Any]]] = []

    # called by the connection while it routes a frame
    def _deliver(self, method: str, params: Dict[str, Any]) -> None:
        if method == "watch.event":
            self._put(params)
        elif method == "watch.closed":
            # The server ends the subscription (e.g. reason "slow_consumer") and closes the
            # connection; the events before it are still delivered, then this ends the iteration.
            self._conn.watches.pop(self.subscription_id, None)
            self._ended_by_server = True
            self._put((_STOP, watch_closed_error(self.subscription_id, params)))
        else:
            log.warning("watch %s: notification %s %r", self.subscription_id, method, params)
            self.notices.append((method, params))

    def _connection_closed(self, exc: BaseException) -> None:
        self._put((_STOP, exc))

    def _put(self, item: Any) -> None:
        self._items.append(item)
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _take(self, wait: float) -> Any:
        """The next buffered item, waiting at most ``wait`` seconds (``_EMPTY`` if none came)."""
        if not self._items:
            waiter: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait((waiter,), timeout=max(wait, 0.0))
            finally:
                self._waiters.discard(waiter)
                if not waiter.done():
                    waiter.cancel()
        return self._items.popleft() if self._items else _EMPTY

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called or the connection ended."""
        return self._closed or self._end is not None

    def __aiter__(self) -> "Watch":
        return self

    async def __anext__(self) -> Dict[str, Any]:
        while True:
            event = await self.next_event(timeout=None)
            if event is not None:
                return event
            if self._closed:
                raise StopAsyncIteration

    async def next_event(self, timeout: Optional[float] = None) -> Optional[Dict[str, Any]]:
        """The next event, waiting at most ``timeout`` seconds (``None``: until one arrives);
        ``None`` on timeout or after :meth:`close`. Raises the connection's error once the
        connection has closed and every buffered event was returned. While waiting, pings the
        server after ``keepalive`` seconds without a request."""
        if self._end is not None:
            raise clone_exception(self._end)
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self._closed:
            self._maybe_ping()
            wait = self._keepalive
            if deadline is not None:
                wait = min(wait, deadline - loop.time())
                if wait <= 0:
                    return None
            item = await self._take(wait)
            if item is _EMPTY:
                continue
            if item is _STOP:
                return None
            if isinstance(item, tuple) and item and item[0] is _STOP:
                self._end = item[1]
                raise clone_exception(item[1])
            event: Dict[str, Any] = item
            revision = event.get("revision")
            if isinstance(revision, int):
                self.last_revision = revision
            return event
        return None

    def _maybe_ping(self) -> None:
        conn = self._conn
        if (not conn.closed and self._client._conn is conn
                and conn.loop.time() - conn.last_send >= self._keepalive):
            try:
                _, future = self._client._enqueue("ping", None)
                future.add_done_callback(lambda f: f.cancelled() or f.exception())  # the answer does not matter
            except ParleyException:
                pass  # the close reaches the buffer

    async def close(self, timeout: Optional[float] = None) -> None:
        """Stops the subscription: ``watch.unsubscribe`` (best effort, errors are logged) and ends
        iteration. Events still buffered are dropped. Idempotent."""
        if self._closed:
            return
        self._closed = True
        conn = self._conn
        if self.subscription_id is not None:
            conn.watches.pop(self.subscription_id, None)
        self._items.clear()
        self._put(_STOP)
        if (conn.closed or self.subscription_id is None or self._ended_by_server
                or self._client._conn is not conn):
            return
        try:
            await self._client.call_params("watch.unsubscribe", {"subscription_id": self.subscription_id},
                                           timeout=timeout)
        except ParleyException as error:
            log.warning("watch.unsubscribe %s failed: %s", self.subscription_id, error)

    async def __aenter__(self) -> "Watch":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<parley_client.aio.Watch {self.subscription_id!r} {state} last_revision={self.last_revision}>"


class WatchStart:
    """What :meth:`parley_client.aio.Client.watch` returns: await it for the :class:`Watch`, or use
    it as ``async with client.watch(...) as events:``, which closes the watch at the end."""

    def __init__(self, start: Callable[[], Awaitable[Watch]]) -> None:
        self._start = start
        self._watch: Optional[Watch] = None

    def __await__(self) -> Generator[Any, None, Watch]:
        return self._start().__await__()  # type: ignore[attr-defined]

    async def __aenter__(self) -> Watch:
        self._watch = await self._start()
        return self._watch

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._watch is not None:
            await self._watch.close()
