"""The asyncio Parley client: the blocking :class:`parley_client.Client`'s API as coroutines.

::

    import asyncio
    from parley_client.aio import Client

    async def main() -> None:
        async with Client("127.0.0.1", 7411, api_key="prly_...") as client:   # connects, says hello
            tenant = await client.call("tenants.create", slug="acme", name="Acme")
            pongs = await asyncio.gather(*(client.call("ping") for _ in range(200)))  # one connection
            async for group in client.iterate("groups.list", tenant_id=tenant["id"]):
                print(group["name"])
            async with client.watch(tenant_id=tenant["id"]) as events:
                async for event in events:
                    print(event["revision"], event["type"], event["id"])

    asyncio.run(main())

Same method names, arguments, errors (:mod:`parley_client.errors`), TLS options
(:mod:`parley_client.tls`) and ``from_env`` rules as the blocking client; the differences are only
what asyncio needs: a :class:`Client` connects in ``async with`` (or ``await Client(...)``, or
:meth:`Client.open`), every method that talks to the server is a coroutine, :meth:`Client.submit`
and :meth:`Pipeline.call` give :class:`asyncio.Future` objects, :meth:`Client.iterate` is an async
generator and a :class:`Watch` an async iterator. One client belongs to one event loop (it is not
thread-safe); any number of tasks may share it: every request gets a fresh id and responses are
matched by id, in whatever order they come.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, AsyncIterator, Dict, Generator, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._aio_connection import Connection, Pending, open_connection
from ._aio_watch import Watch, WatchStart
from ._options import (DEFAULT_CLIENT_NAME, DEFAULT_HOST, DEFAULT_PORT, PROTOCOL_VERSION, CallSpec,
                       NotificationHandler, check_batch, check_request_size, frame_limit_of,
                       from_env_arguments, hello_params, keepalive_for, normalise_call, refuse_plaintext,
                       resolve_tls, watch_params)
from ._routing import clone_exception, page_of, subscribed
from .errors import ConnectionClosedError, ParleyException, ParleyTimeoutError
from .framing import (DEFAULT_MAX_RESPONSE_BYTES, MAX_FRAME_BYTES_BEFORE_HELLO, encode_frame, encode_json,
                      request_object)
from .tls import TLSSetting

__all__ = ["Client", "Pipeline", "Watch", "DEFAULT_PORT", "DEFAULT_CLIENT_NAME", "PROTOCOL_VERSION"]

_CLOSE_WAIT = 2.0  # seconds close() waits for the transport to finish before aborting it


class Client:
    """An asyncio connection to a Parley server.

    ``Client(...)`` only checks its arguments; the connection opens (and, with an ``api_key``,
    authenticates with ``hello``) in ``async with Client(...) as client:``, ``client = await
    Client(...)`` or ``await client.open()``. Leave the ``async with`` block or ``await
    client.close()`` to close it.

    The arguments are those of :class:`parley_client.Client`:

    Args:
        host, port: the server address (default ``127.0.0.1:7411``).
        api_key: the key (``prly_...``) for :meth:`hello`; without one, only ``hello``, ``ping`` and
            ``server.info`` may be called until :meth:`hello` succeeds.
        timeout: seconds to wait for connecting, for the TLS handshake, for each response and for a
            write the server does not take (``None``: wait forever). A call that times out raises
            :class:`~parley_client.ParleyTimeoutError`; it may still run on the server.
        client_name: sent with ``hello`` for the server's logs.
        max_response_bytes: the largest response frame accepted; a larger header closes the
            connection with :class:`~parley_client.FrameTooLargeError`.
        on_notification: called as ``handler(method, params)`` for every server notification that
            no :class:`Watch` consumes, on the event loop while a frame is routed: it must not block.
            If it returns an awaitable (an ``async def`` handler), that runs as a task.
        tls, tls_ca, tls_server_name, tls_cert, tls_key: TLS as in :class:`parley_client.Client`
            (``True``: the system's trust store; an :class:`ssl.SSLContext` is used as given; any
            ``tls_*`` option implies ``tls=True``). A failed handshake raises
            :class:`~parley_client.TLSError`.
        allow_plaintext: send the API key without TLS to an address that is not loopback; without
            it, a key for such an address raises :class:`~parley_client.PlaintextRefusedError`.
    """

    def __init__(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, api_key: Optional[str] = None, *,
                 timeout: Optional[float] = 10.0, client_name: str = DEFAULT_CLIENT_NAME,
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 on_notification: Optional[NotificationHandler] = None,
                 tls: TLSSetting = None, tls_ca: Optional[str] = None, tls_server_name: Optional[str] = None,
                 tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                 allow_plaintext: bool = False) -> None:
        self.host = host
        self.allow_plaintext = allow_plaintext
        self._tls = resolve_tls(host, tls, tls_ca, tls_server_name, tls_cert, tls_key)
        if api_key is not None:
            refuse_plaintext(host, self._tls, allow_plaintext)
        self.port = int(port)
        self.timeout = timeout
        self.client_name = client_name
        self.max_response_bytes = max_response_bytes
        self.on_notification = on_notification
        #: The largest request payload the client sends, in bytes; a larger request raises
        #: :class:`~parley_client.PayloadTooLargeError` locally (``data["local"]`` true) without
        #: being sent. ``None`` turns the check off. 64 KiB until ``hello`` succeeds, then
        #: ``limits.max_frame_bytes``.
        self.max_request_bytes: Optional[int] = MAX_FRAME_BYTES_BEFORE_HELLO
        self._initial_key = api_key
        self._api_key: Optional[str] = None
        self._session: Optional[Dict[str, Any]] = None
        self._ids = itertools.count(1)
        self._conn: Optional[Connection] = None

    @classmethod
    def from_env(cls, **kwargs: Any) -> "Client":
        """A client configured like the ``parley`` CLI (and :meth:`parley_client.Client.from_env`):
        ``PARLEY_SERVER`` (``host:port``, default ``127.0.0.1:7411``), ``PARLEY_API_KEY`` and
        ``PARLEY_TLS``, ``PARLEY_TLS_CA``, ``PARLEY_TLS_SERVER_NAME``, ``PARLEY_TLS_CERT``,
        ``PARLEY_TLS_KEY``; keyword arguments win. Without ``PARLEY_API_KEY`` (and no ``api_key``
        argument) it raises :class:`ValueError` at once, as the CLI refuses; ``api_key=None``
        connects without a key on purpose. The client is not connected yet: ``async with
        Client.from_env() as client:``."""
        host, port, kwargs = from_env_arguments(kwargs)
        return cls(host, port, **kwargs)

    # ------------------------------------------------------------------ connection

    async def open(self) -> "Client":
        """Connects and, with the ``api_key`` given, says ``hello``; returns the client. Does nothing
        when already open. A client whose connection has closed opens again with :meth:`reconnect`."""
        if self._conn is not None:
            if not self._conn.closed:
                return self
            raise RuntimeError("this client's connection is closed; use reconnect() for a new one")
        await self._connect(self._initial_key)
        return self

    async def _connect(self, api_key: Optional[str]) -> None:
        self._session = None
        if self.max_request_bytes is not None:
            self.max_request_bytes = MAX_FRAME_BYTES_BEFORE_HELLO
        self._conn = await open_connection(self.host, self.port, self._tls, self.timeout,
                                           self.max_response_bytes, self._route_notification)
        if api_key is not None:
            try:
                await self.hello(api_key)
            except BaseException:
                await self.close()
                raise

    def _route_notification(self, method: str, params: Any) -> Any:
        if self.on_notification is not None:
            return self.on_notification(method, params)
        return None

    def __await__(self) -> Generator[Any, None, "Client"]:
        return self.open().__await__()

    async def __aenter__(self) -> "Client":
        return await self.open()

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the connection. Calls still waiting raise :class:`~parley_client.ConnectionClosedError`
        ("the client was closed"); watches end. Idempotent."""
        conn = self._conn
        if conn is None:
            return
        conn.shutdown(ConnectionClosedError("the client was closed"))
        await conn.wait_lost(_CLOSE_WAIT)

    async def reconnect(self) -> "Client":
        """Opens a new connection (closing the current one) and says ``hello`` again with the last
        key that succeeded (or the one given to the constructor). Calls and watches of the old
        connection end."""
        api_key = self._api_key or self._initial_key
        if self._conn is not None:
            self._conn.shutdown(ConnectionClosedError("the client reconnected"))
            await self._conn.wait_lost(_CLOSE_WAIT)
        await self._connect(api_key)
        return self

    def _connection(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the client is not connected: use `async with Client(...) as client`, "
                               "`client = await Client(...)` or `await client.open()` first")
        return self._conn

    @property
    def closed(self) -> bool:
        """Whether there is no open connection: not opened yet, or closed (by :meth:`close`, the
        server or the network)."""
        return self._conn is None or self._conn.closed

    @property
    def session(self) -> Optional[Dict[str, Any]]:
        """The result of the last successful ``hello`` on this connection (``None`` before)."""
        return self._session

    @property
    def limits(self) -> Optional[Dict[str, Any]]:
        """The server's limits from ``hello`` (``None`` before a successful ``hello``)."""
        return None if self._session is None else self._session.get("limits")

    @property
    def key_id(self) -> Optional[str]:
        """The public id of the key this connection is authenticated with."""
        key = (self._session or {}).get("key")
        return key.get("id") if isinstance(key, dict) else None

    @property
    def tls(self) -> bool:
        """Whether the connection speaks TLS."""
        return self._tls is not None

    @property
    def peer_certificate(self) -> Optional[Dict[str, Any]]:
        """The server's verified certificate as :meth:`ssl.SSLSocket.getpeercert` gives it; ``None``
        without TLS (or before connecting)."""
        if self._tls is None or self._conn is None or self._conn.transport is None:
            return None
        return self._conn.transport.get_extra_info("peercert")

    def __repr__(self) -> str:
        if self._conn is None:
            state = "not connected"
        else:
            state = "closed" if self.closed else ("authenticated" if self._session else "open")
        key = f" key={self.key_id}" if self.key_id else ""
        tls = " tls" if self._tls is not None else ""
        return f"<parley_client.aio.Client {self.host}:{self.port}{tls}{key} {state}>"

    # ------------------------------------------------------------------ hello

    async def hello(self, api_key: str, *, client_name: Optional[str] = None) -> Dict[str, Any]:
        """Authenticates this connection (``hello``, protocol version 1) and returns the result
        (``protocol_version``, ``server_version``, ``key``, ``limits``). Raises as
        :meth:`parley_client.Client.hello` does: :class:`UnauthenticatedError` for any key failure
        (the connection stays usable), :class:`RateLimitedError`, :class:`BusyError`,
        :class:`PlaintextRefusedError` (before sending anything)."""
        refuse_plaintext(self.host, self._tls, self.allow_plaintext)
        params = hello_params(api_key, self.client_name if client_name is None else client_name)
        result = await self.call_params("hello", params)
        frame_limit = frame_limit_of(result)
        self._session = result
        self._api_key = api_key
        if frame_limit is not None and self.max_request_bytes is not None:
            self.max_request_bytes = frame_limit
        return result

    # ------------------------------------------------------------------ calls

    def _enqueue(self, method: str, params: Optional[Mapping[str, Any]], on_result: Any = None
                 ) -> Tuple[int, "asyncio.Future[Any]"]:
        """Writes one request on the transport now (without waiting for its buffer to drain) and
        returns its id and future."""
        conn = self._connection()
        request_id = next(self._ids)
        payload = encode_json(request_object(method, params, request_id))
        check_request_size(payload, self.max_request_bytes)
        future: "asyncio.Future[Any]" = conn.loop.create_future()
        conn.register(request_id, Pending(future, method, on_result))
        try:
            conn.write(encode_frame(payload))
        except BaseException:
            conn.forget(request_id)
            raise
        return request_id, future

    async def _submit(self, method: str, params: Optional[Mapping[str, Any]],
                      on_result: Any = None) -> Tuple[int, "asyncio.Future[Any]"]:
        request_id, future = self._enqueue(method, params, on_result)
        await self._connection().drain(self.timeout)
        return request_id, future

    async def submit(self, method: str, params: Optional[Mapping[str, Any]] = None) -> "asyncio.Future[Any]":
        """Sends one request now and returns an :class:`asyncio.Future` for its result (it raises
        the :class:`~parley_client.ParleyError` subclass of an error response). The building block
        of pipelining: submit many, then ``await asyncio.gather(*futures)``. ``await`` returns once
        the request is written (it waits only while the server is not reading)."""
        _, future = await self._submit(method, params)
        return future

    async def _wait(self, conn: Connection, request_id: Any, future: "asyncio.Future[Any]",
                    timeout: Optional[float], method: str) -> Any:
        wait = self.timeout if timeout is None else timeout
        try:
            return await asyncio.wait_for(future, wait)
        except asyncio.TimeoutError:
            if future.done() and not future.cancelled():  # pragma: no cover - raced with the response
                return future.result()
            raise ParleyTimeoutError(f"no response to {method} within {wait} s") from None
        finally:
            if not future.done() or future.cancelled():
                conn.forget(request_id)  # a late answer is dropped

    async def call_params(self, method: str, params: Optional[Mapping[str, Any]] = None, *,
                          timeout: Optional[float] = None) -> Any:
        """Calls ``method`` with ``params`` (a mapping, or ``None``) and returns its result.

        For param names that are not identifiers, or a per-call ``timeout`` (default: the
        client's). Raises the :class:`~parley_client.ParleyError` subclass of the error response,
        :class:`~parley_client.ParleyTimeoutError` or :class:`~parley_client.ConnectionClosedError`.
        Cancelling the awaiting task forgets the call (its answer is dropped; it may still run).
        """
        conn = self._connection()
        request_id, future = await self._submit(method, params)
        return await self._wait(conn, request_id, future, timeout, method)

    async def call(self, method: str, /, **params: Any) -> Any:
        """Calls ``method`` with keyword params and returns its result::

            tenant = await client.call("tenants.create", slug="acme", name="Acme")

        ``method`` is positional-only, so a param may be called ``method`` (``audit.list``)."""
        return await self.call_params(method, params or None)

    async def notify(self, method: str, /, **params: Any) -> None:
        """Sends a notification: the server runs it and answers nothing, not even an error."""
        conn = self._connection()
        payload = encode_json(request_object(method, params or None))
        check_request_size(payload, self.max_request_bytes)
        conn.write(encode_frame(payload))
        await conn.drain(self.timeout)

    async def ping(self) -> None:
        """``ping``: a liveness check and keepalive."""
        await self.call_params("ping")

    # ------------------------------------------------------------------ many calls

    def pipeline(self) -> "Pipeline":
        """A :class:`Pipeline`: queue calls, then send them in one write with :meth:`Pipeline.execute`
        (also done when an ``async with`` block ends without an exception)."""
        return Pipeline(self)

    async def call_many(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
                        timeout: Optional[float] = None) -> List[Any]:
        """Pipelines ``calls`` (``[("tenants.get", {"id": ...}), ("ping", None), ...]``): all are
        written at once as separate frames, run concurrently on the server, and the results come back
        in the order of ``calls``. With ``return_exceptions=False`` the first error (in call order)
        is raised once every response has arrived; with ``True`` errors are returned in place.
        ``timeout`` bounds the wait between two responses (default: the client's timeout)."""
        specs = [normalise_call(c) for c in calls]
        if not specs:
            return []
        conn = self._connection()
        frames: List[bytes] = []
        ids: List[int] = []
        for method, params in specs:
            request_id = next(self._ids)
            payload = encode_json(request_object(method, params, request_id))
            check_request_size(payload, self.max_request_bytes)
            frames.append(encode_frame(payload))
            ids.append(request_id)
        futures = self._register_all(conn, ids, [m for m, _ in specs])
        await self._send_all(conn, ids, b"".join(frames))
        return await self._collect(conn, ids, futures, [m for m, _ in specs], return_exceptions, timeout)

    def _register_all(self, conn: Connection, ids: Sequence[int], methods: Sequence[str]) -> List["asyncio.Future[Any]"]:
        futures = []
        try:
            for request_id, method in zip(ids, methods):
                future: "asyncio.Future[Any]" = conn.loop.create_future()
                conn.register(request_id, Pending(future, method, None))
                futures.append(future)
        except BaseException:
            for request_id in ids:
                conn.forget(request_id)
            raise
        return futures

    async def _send_all(self, conn: Connection, ids: Sequence[int], data: bytes) -> None:
        try:
            conn.write(data)
        except BaseException:
            for request_id in ids:
                conn.forget(request_id)
            raise
        await conn.drain(self.timeout)

    async def _collect(self, conn: Connection, ids: Sequence[int], futures: Sequence["asyncio.Future[Any]"],
                       methods: Sequence[str], return_exceptions: bool, timeout: Optional[float]) -> List[Any]:
        results: List[Any] = []
        try:
            for index, future in enumerate(futures):
                try:
                    results.append(await self._wait(conn, ids[index], future, timeout, methods[index]))
                except ParleyTimeoutError:
                    raise
                except ParleyException as error:
                    results.append(error)
        except BaseException:  # a timeout or a cancellation: the rest is forgotten
            for request_id, future in zip(ids, futures):
                conn.forget(request_id)
                if future.done() and not future.cancelled():
                    future.exception()  # retrieved: no "exception was never retrieved" warning
                future.cancel()
            raise
        if not return_exceptions:
            for item in results:
                if isinstance(item, BaseException):
                    raise item
        return results

    async def batch(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
                    timeout: Optional[float] = None) -> List[Any]:
        """Sends ``calls`` as one JSON-RPC batch (one frame holding an array, PROTOCOL.md §3.3) and
        returns the results in the order of ``calls``; at most ``limits.max_batch_entries`` (64)
        entries, else :class:`ValueError` (use :meth:`call_many`). Errors as in :meth:`call_many`."""
        specs = [normalise_call(c) for c in calls]
        check_batch(specs, self.limits)
        conn = self._connection()
        ids = [next(self._ids) for _ in specs]
        payload = encode_json([request_object(m, p, i) for i, (m, p) in zip(ids, specs)])
        check_request_size(payload, self.max_request_bytes)
        futures = self._register_all(conn, ids, [m for m, _ in specs])
        await self._send_all(conn, ids, encode_frame(payload))
        return await self._collect(conn, ids, futures, [m for m, _ in specs], return_exceptions, timeout)

    # ------------------------------------------------------------------ pagination

    async def iterate(self, method: str, /, **params: Any) -> AsyncIterator[Dict[str, Any]]:
        """Yields every item of a list method, page after page, following ``next_cursor``::

            async for group in client.iterate("groups.list", tenant_id=tid, limit=500):
                ...

        ``limit`` is the page size; pages are fetched lazily, one call per page."""
        params = dict(params)
        while True:
            items, cursor = page_of(method, await self.call_params(method, params))
            for item in items:
                yield item
            if cursor is None:
                return
            params["cursor"] = cursor

    # ------------------------------------------------------------------ watch

    def watch(self, tenant_id: Optional[str] = None, families: Optional[Sequence[str]] = None,
              from_revision: Optional[int] = None, *, keepalive: Optional[float] = None) -> WatchStart:
        """Subscribes to configuration changes (``watch.subscribe``)::

            async with client.watch(tenant_id=tid, families=["groups"]) as events:
                async for event in events:   # {"subscription_id", "revision", "tenant_id", "family",
                    ...                      #  "type": "created|updated|deleted", "id", "object"}

        or ``events = await client.watch(...)`` (then ``await events.close()``). Events arrive while
        other calls are in flight on the same connection. ``from_revision`` resumes from history;
        one the server no longer keeps raises :class:`~parley_client.GoneError`. Leaving the block
        sends ``watch.unsubscribe``. While waiting, the watch pings after ``keepalive`` seconds
        without a request (default: a third of the server's idle timeout)."""
        params = watch_params(tenant_id, families, from_revision)

        async def start() -> Watch:
            conn = self._connection()
            watch = Watch(self, conn, keepalive_for(self.limits, keepalive))

            def register(result: Any) -> None:
                # Runs while the subscribe response is routed, before any later frame: the
                # events that follow it reach this watch.
                watch.subscription_id, watch.revision = subscribed(result)
                conn.watches[watch.subscription_id] = watch

            request_id, future = await self._submit("watch.subscribe", params, on_result=register)
            await self._wait(conn, request_id, future, None, "watch.subscribe")
            return watch

        return WatchStart(start)


class Pipeline:
    """Calls queued locally and sent together::

        async with client.pipeline() as p:
            tenant = p.call("tenants.get", id=tid)       # an asyncio.Future
            groups = p.call("groups.list", tenant_id=tid)
        print(tenant.result(), p.results)

    :meth:`execute` writes every queued request as its own frame in one write and returns the
    results in queue order. A pipeline can be executed once.
    """

    def __init__(self, client: Client) -> None:
        self._client = client
        self._calls: List[Tuple[str, Optional[Mapping[str, Any]], "asyncio.Future[Any]"]] = []
        self._executed = False
        #: The results of :meth:`execute` (errors in place), ``None`` before.
        self.results: Optional[List[Any]] = None

    def __len__(self) -> int:
        return len(self._calls)

    def call(self, method: str, /, **params: Any) -> "asyncio.Future[Any]":
        """Queues a call; returns a future resolved by :meth:`execute`."""
        return self.call_params(method, params or None)

    def call_params(self, method: str, params: Optional[Mapping[str, Any]] = None) -> "asyncio.Future[Any]":
        """Queues a call with a params mapping; returns a future resolved by :meth:`execute`."""
        if self._executed:
            raise RuntimeError("this pipeline was already executed")
        future: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._calls.append((method, params, future))
        return future

    async def execute(self, *, return_exceptions: bool = False, timeout: Optional[float] = None) -> List[Any]:
        """Sends the queued calls and returns their results in order (see :meth:`Client.call_many`)."""
        if self._executed:
            raise RuntimeError("this pipeline was already executed")
        self._executed = True
        try:
            results = await self._client.call_many([(m, p) for m, p, _ in self._calls], return_exceptions=True,
                                                   timeout=timeout)
        except asyncio.CancelledError:
            for _, _, future in self._calls:
                future.cancel()
            raise
        except BaseException as error:
            for _, _, future in self._calls:
                _settle(future, clone_exception(error))
            raise
        for (_, _, future), result in zip(self._calls, results):
            _settle(future, result)
        self.results = results
        if not return_exceptions:
            for item in results:
                if isinstance(item, BaseException):
                    raise item
        return results

    async def __aenter__(self) -> "Pipeline":
        return self

    async def __aexit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is None and not self._executed:
            await self.execute(return_exceptions=True)


def _settle(future: "asyncio.Future[Any]", outcome: Any) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
        future.exception()  # execute() reports it too: no "exception was never retrieved" warning
    else:
        future.set_result(outcome)
