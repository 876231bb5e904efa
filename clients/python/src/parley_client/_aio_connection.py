"""One asyncio connection to Parley: an :class:`asyncio.Protocol` and its routing tables. Internal
to :mod:`parley_client.aio`.

The event loop hands every received chunk to :meth:`Connection.data_received`, which decodes the
frames (:class:`~parley_client.framing.FrameDecoder`) and routes each message at once, as the
blocking client's reader thread does (:mod:`parley_client._routing`): a response to the future of
its id, a ``watch.event`` to its watch, other notifications to ``on_notification``. Reading never
waits for anyone, so pipelining cannot deadlock against the server's 64-in-flight back-pressure.
Writes are :meth:`asyncio.Transport.write` calls of whole frames (never interleaved), followed by
a wait while the transport's buffer is above its high-water mark.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import socket
import ssl
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Set

from ._options import NotificationHandler, TLSTarget
from ._routing import (Notification, NullIdError, classify, clone_exception, closed_error, entries,
                       looks_like_tls)
from .errors import ConnectionClosedError, ParleyConnectionError, ParleyError, ProtocolError
from .framing import FrameDecoder, decode_json
from .tls import TLSError

if TYPE_CHECKING:  # pragma: no cover
    from ._aio_watch import Watch

__all__ = ["Connection", "Pending", "open_connection"]

log = logging.getLogger("parley_client")


class Pending:
    """A request waiting for its response."""

    __slots__ = ("future", "method", "on_result")

    def __init__(self, future: "asyncio.Future[Any]", method: str,
                 on_result: Optional[Callable[[Any], None]]) -> None:
        self.future = future
        self.method = method
        self.on_result = on_result


class Connection(asyncio.Protocol):
    """The protocol object of one connection (created by :func:`open_connection`)."""

    def __init__(self, address: str, tls: bool, max_response_bytes: int,
                 on_notification: Optional[NotificationHandler]) -> None:
        self.loop = asyncio.get_running_loop()
        self.address = address
        self.tls = tls
        self.decoder = FrameDecoder(max_response_bytes)
        self.on_notification = on_notification
        self.transport: Optional[asyncio.Transport] = None
        self.pending: Dict[Any, Pending] = {}
        self.watches: Dict[Any, "Watch"] = {}
        self.closed = False
        self.close_exception: Optional[BaseException] = None
        self.last_send = self.loop.time()
        self._last_null_error: Optional[ParleyError] = None
        self._first_read = True
        self._paused = False
        self._drain_waiters: List["asyncio.Future[None]"] = []
        self._lost: "asyncio.Future[None]" = self.loop.create_future()
        self._tasks: Set["asyncio.Future[Any]"] = set()  # async on_notification handlers

    # ------------------------------------------------------------------ asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            except OSError:  # pragma: no cover - e.g. unusual socket families
                pass

    def data_received(self, data: bytes) -> None:
        if self.closed:
            return
        try:
            if self._first_read and not self.tls and looks_like_tls(data):
                raise ProtocolError(f"{self.address} speaks TLS: connect with tls=True (or tls_ca=FILE)")
            self._first_read = False
            for payload in self.decoder.feed(data):
                self._dispatch(decode_json(payload))
                if self.closed:
                    return
        except ProtocolError as error:
            log.error("closing the connection to %s: %s", self.address, error)
            self.shutdown(error, abort=True)
        except Exception as error:  # pragma: no cover - a bug; never leave callers hanging
            log.exception("the parley connection failed to route a frame")
            self.shutdown(ProtocolError(f"the client's reader failed: {error!r}"), abort=True)

    def eof_received(self) -> bool:
        return False  # the transport closes; connection_lost says why

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        if not self.closed:
            fatal = self._last_null_error
            if fatal is not None:
                # The error frame with id null that came last says why (PROTOCOL.md §10 item 7).
                fatal.connection_closed = True
                self.shutdown(fatal)
            elif exc is None:
                self.shutdown(ConnectionClosedError("the server closed the connection"))
            else:
                self.shutdown(ConnectionClosedError(f"the connection was lost: {exc}"))
        self._wake_writers()
        if not self._lost.done():
            self._lost.set_result(None)

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._wake_writers()

    # ------------------------------------------------------------------ writing

    def closed_error(self) -> BaseException:
        """What a call on this closed connection raises (a fresh instance)."""
        return closed_error(self.close_exception)

    def register(self, request_id: Any, pending: Pending) -> None:
        if self.closed:
            raise self.closed_error()
        self.pending[request_id] = pending

    def forget(self, request_id: Any) -> None:
        self.pending.pop(request_id, None)

    def write(self, data: bytes) -> None:
        """Queues whole frames on the transport (they go out in the order written)."""
        if self.closed or self.transport is None:
            raise self.closed_error()
        self.transport.write(data)
        self.last_send = self.loop.time()

    async def drain(self, timeout: Optional[float]) -> None:
        """Waits while the transport's buffer is above its high-water mark (the server is not
        reading); after ``timeout`` seconds the connection is closed, as a half-sent frame cannot be
        taken back."""
        while self._paused and not self.closed:
            waiter: "asyncio.Future[None]" = self.loop.create_future()
            self._drain_waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, timeout)
            except asyncio.TimeoutError:
                self.shutdown(ConnectionClosedError("writing to the server timed out; the connection was closed"),
                              abort=True)
            finally:
                if waiter in self._drain_waiters:
                    self._drain_waiters.remove(waiter)
        if self.closed:
            raise self.closed_error()

    def _wake_writers(self) -> None:
        waiters, self._drain_waiters = self._drain_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # ------------------------------------------------------------------ routing

    def _dispatch(self, message: Any) -> None:
        self._last_null_error = None
        for entry in entries(message):
            self._dispatch_one(entry)

    def _dispatch_one(self, message: Any) -> None:
        item = classify(message)
        if isinstance(item, Notification):
            self._notification(item)
            return
        if isinstance(item, NullIdError):
            log.warning("the server sent an error for no request: %s", item.error)
            self._last_null_error = item.error
            return
        pending = self.pending.pop(item.id, None)
        if pending is None or pending.future.done():
            log.debug("dropping a response to id %r (timed out, cancelled or unknown)", item.id)
            return
        if item.error is not None:
            pending.future.set_exception(item.error)
            return
        if pending.on_result is not None:
            try:
                pending.on_result(item.result)
            except Exception as error:
                pending.future.set_exception(error)
                return
        pending.future.set_result(item.result)

    def _notification(self, item: Notification) -> None:
        subscription = item.subscription_id
        if subscription is not None:
            watch = self.watches.get(subscription)
            if watch is not None:
                watch._deliver(item.method, item.params)
                return
        if self.on_notification is None:
            log.debug("ignoring a notification %r", item.method)
            return
        try:
            outcome = self.on_notification(item.method, item.params)
            if inspect.isawaitable(outcome):
                task = asyncio.ensure_future(outcome)
                self._tasks.add(task)
                task.add_done_callback(self._handler_done)
        except Exception:
            log.exception("the notification handler failed")

    def _handler_done(self, task: "asyncio.Future[Any]") -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("the notification handler failed", exc_info=task.exception())

    # ------------------------------------------------------------------ closing

    def shutdown(self, exc: BaseException, *, abort: bool = False) -> None:
        """Closes the transport and fails everything waiting with (a copy of) ``exc``. Idempotent."""
        if self.closed:
            return
        self.closed = True
        self.close_exception = exc
        pending, self.pending = self.pending, {}
        watches, self.watches = list(self.watches.values()), {}
        if self.transport is not None:
            if abort:
                self.transport.abort()
            else:
                self.transport.close()
        for entry in pending.values():
            if not entry.future.done():
                entry.future.set_exception(clone_exception(exc))
        for watch in watches:
            watch._connection_closed(clone_exception(exc))
        self._wake_writers()

    async def wait_lost(self, timeout: float) -> None:
        """Waits until the transport has closed; aborts it after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(asyncio.shield(self._lost), timeout)
        except asyncio.TimeoutError:
            if self.transport is not None:
                self.transport.abort()


async def open_connection(host: str, port: int, tls: TLSTarget, timeout: Optional[float],
                          max_response_bytes: int, on_notification: Optional[NotificationHandler]) -> Connection:
    """Connects (and shakes hands, with TLS) within ``timeout`` seconds each; raises
    :class:`ParleyConnectionError` or :class:`TLSError` like the blocking client."""
    loop = asyncio.get_running_loop()
    address = f"{host}:{port}"
    try:
        transport, conn = await asyncio.wait_for(
            loop.create_connection(lambda: Connection(address, tls is not None, max_response_bytes, on_notification),
                                   host, port), timeout)
    except asyncio.TimeoutError:
        raise ParleyConnectionError(f"could not connect to {address}: timed out") from None
    except OSError as error:
        raise ParleyConnectionError(f"could not connect to {address}: {error}") from error
    if tls is None:
        return conn
    context, server_name = tls
    # wait_for bounds the handshake; asyncio's own limit is set beyond it so that a timeout is
    # reported as one.
    handshake_limit = None if timeout is None else timeout + 5.0
    try:
        secure = await asyncio.wait_for(
            loop.start_tls(transport, conn, context, server_hostname=server_name,
                           ssl_handshake_timeout=handshake_limit), timeout)
    except (ssl.SSLError, OSError, asyncio.TimeoutError) as error:
        transport.abort()
        raise _tls_error(address, error) from error
    except BaseException:
        transport.abort()
        raise
    if secure is None:  # pragma: no cover - the transport closed during the handshake
        raise TLSError(f"TLS with {address}: the connection closed during the handshake")
    conn.transport = secure  # type: ignore[assignment]
    return conn


def _tls_error(address: str, error: BaseException) -> TLSError:
    if isinstance(error, ssl.SSLCertVerificationError):
        return TLSError(f"TLS with {address}: the server's certificate was refused: {error.verify_message}")
    if isinstance(error, ssl.SSLError):
        return TLSError(f"TLS with {address}: the TLS handshake failed: {error.reason or error}")
    if isinstance(error, asyncio.TimeoutError):
        return TLSError(f"TLS with {address}: the handshake timed out")
    return TLSError(f"TLS with {address}: the connection failed during the handshake (is it a TLS listener, "
                    f"and does it want a client certificate?): {error}")
