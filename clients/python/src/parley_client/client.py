"""The Parley client: one TCP connection, many concurrent calls.

Design (PROTOCOL.md §4, §10)
----------------------------
Each connection has one **reader thread** (a daemon) that does nothing but read frames and route
them:

- a response is matched to its request **by id** through a map ``id -> Future``
  (:class:`concurrent.futures.Future`); responses may arrive in any order;
- a batch response (an array) is routed entry by entry;
- a notification (``watch.event``) goes to the :class:`Watch` whose ``subscription_id`` it carries;
- an error frame with ``"id": null`` cannot be matched; if the server closes the connection right
  after it (frame too large, key revoked or expired, hello timeout, connection cap), that error is
  what every pending and later call raises.

Callers, on any number of threads, allocate a fresh integer id, register a future, write their
frame(s) under a write lock, and wait on the future. Because the reader never stops reading,
pipelining any number of requests cannot deadlock against the server's 64-in-flight back-pressure.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import queue
import socket
import ssl
import threading
import time
import weakref
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ._options import (DEFAULT_CLIENT_NAME, DEFAULT_HOST, DEFAULT_PORT, PROTOCOL_VERSION, CallSpec,
                       NotificationHandler, check_batch, check_request_size, frame_limit_of,
                       from_env_arguments, hello_params, keepalive_for, normalise_call, refuse_plaintext,
                       resolve_tls, watch_params)
from ._routing import (Notification, NullIdError, classify, clone_exception, closed_error, entries,
                       looks_like_tls, page_of, subscribed, watch_closed_error)
from .errors import (ConnectionClosedError, ParleyConnectionError, ParleyError, ParleyException,
                     ParleyTimeoutError, ProtocolError)
from .tls import TLSError, TLSSetting, TLSStream
from .framing import (DEFAULT_MAX_RESPONSE_BYTES, MAX_FRAME_BYTES_BEFORE_HELLO, FrameDecoder,
                      decode_json, encode_frame, encode_json, request_object)

__all__ = ["Client", "Pipeline", "Watch", "DEFAULT_PORT", "DEFAULT_CLIENT_NAME", "PROTOCOL_VERSION"]

log = logging.getLogger("parley_client")

_WRITE_CHUNK = 64 * 1024  # each sendall (and its timeout) covers at most this much


class _Pending:
    __slots__ = ("future", "method", "on_result")

    def __init__(self, future: "concurrent.futures.Future[Any]", method: str,
                 on_result: Optional[Callable[[Any], None]]) -> None:
        self.future = future
        self.method = method
        self.on_result = on_result


def _new_future() -> "concurrent.futures.Future[Any]":
    future: "concurrent.futures.Future[Any]" = concurrent.futures.Future()
    future.set_running_or_notify_cancel()  # running: callers cannot cancel it under the reader
    return future


class _Connection:
    """One TCP connection, its reader thread and its routing tables. Internal."""

    def __init__(self, host: str, port: int, timeout: Optional[float], max_response_bytes: int,
                 on_notification: Optional[NotificationHandler],
                 tls: Optional[Tuple[ssl.SSLContext, str]] = None) -> None:
        self.address = (host, port)
        try:
            raw = socket.create_connection((host, port), timeout=timeout)
        except OSError as error:
            raise ParleyConnectionError(f"could not connect to {host}:{port}: {error}") from error
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        except OSError:  # pragma: no cover - e.g. unusual socket families
            pass
        # The timeout bounds writes (a server that stops reading for that long); the reader simply
        # loops on it.
        raw.settimeout(timeout)
        self.sock: Union[socket.socket, TLSStream] = raw
        if tls is not None:
            stream = TLSStream(raw, tls[0], tls[1])
            try:
                stream.handshake()
            except TLSError as error:
                raw.close()
                raise TLSError(f"TLS with {host}:{port}: {error}") from error.__cause__
            except socket.timeout:
                raw.close()
                raise TLSError(f"TLS with {host}:{port}: the handshake timed out") from None
            except OSError as error:
                raw.close()
                raise TLSError(f"TLS with {host}:{port}: the connection failed during the handshake: {error}") from error
            self.sock = stream
        self.decoder = FrameDecoder(max_response_bytes)
        self.on_notification = on_notification
        self.lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.pending: Dict[Any, _Pending] = {}
        self.watches: Dict[Any, "Watch"] = {}
        self.closed = False
        self.close_exception: Optional[BaseException] = None
        self.last_send = time.monotonic()
        self._last_null_error: Optional[ParleyError] = None
        self.reader = threading.Thread(target=self._read_loop, name=f"parley-reader-{host}:{port}",
                                       daemon=True)
        self.reader.start()

    # ------------------------------------------------------------------ writing

    def closed_error(self) -> BaseException:
        return closed_error(self.close_exception)

    def register(self, request_id: Any, pending: _Pending) -> None:
        with self.lock:
            if self.closed:
                raise self.closed_error()
            self.pending[request_id] = pending

    def forget(self, request_id: Any) -> None:
        with self.lock:
            self.pending.pop(request_id, None)

    def send(self, data: bytes) -> None:
        """Writes whole frames; on failure the connection is closed (a half-written frame cannot be
        taken back) and the error raised is the one every pending call gets."""
        with self.write_lock:
            if self.closed:
                raise self.closed_error()
            try:
                view = memoryview(data)
                for start in range(0, len(view), _WRITE_CHUNK):
                    self.sock.sendall(view[start:start + _WRITE_CHUNK])
                self.last_send = time.monotonic()
            except socket.timeout:
                self.shutdown(ConnectionClosedError("writing to the server timed out; the connection was closed"))
                raise self.closed_error() from None
            except OSError as error:
                # The server closed the connection; let the reader see its last frame (which says
                # why) before deciding what to report.
                if threading.current_thread() is not self.reader:
                    self.reader.join(timeout=1.0)
                self.shutdown(ConnectionClosedError(f"the connection was lost while writing: {error}"))
                raise self.closed_error() from None

    # ------------------------------------------------------------------ reading

    def _read_loop(self) -> None:
        first_read = True
        try:
            while True:
                try:
                    data = self.sock.recv(65536)
                except socket.timeout:
                    if self.closed:
                        return
                    continue
                except OSError as error:
                    # A reset often follows the server's last frame (it closed with our bytes unread).
                    self._closed_by_server(f"the connection was lost: {error}")
                    return
                if not data:
                    self._closed_by_server("the server closed the connection")
                    return
                if first_read and not isinstance(self.sock, TLSStream) and looks_like_tls(data):
                    raise ProtocolError(f"{self.address[0]}:{self.address[1]} speaks TLS: connect with tls=True "
                                        "(or tls_ca=FILE)")
                first_read = False
                for payload in self.decoder.feed(data):
                    self._dispatch(decode_json(payload))
        except ProtocolError as error:
            log.error("closing the connection to %s:%s: %s", *self.address, error)
            self.shutdown(error)
        except Exception as error:  # pragma: no cover - a bug; never leave callers hanging
            log.exception("parley reader thread failed")
            self.shutdown(ProtocolError(f"the client's reader failed: {error!r}"))
        finally:
            # Only the reader closes the socket (after shutdown() woke it), so that it never reads
            # from a descriptor number the process may already have reused.
            self._close_socket()

    def _close_socket(self) -> None:
        try:
            self.sock.close()
        except OSError:  # pragma: no cover
            pass

    def _closed_by_server(self, description: str) -> None:
        fatal = self._last_null_error
        if fatal is not None:
            # The error frame with id null that came last says why (PROTOCOL.md §10 item 7).
            fatal.connection_closed = True
            self.shutdown(fatal)
        else:
            self.shutdown(ConnectionClosedError(description))

    def _dispatch(self, message: Any) -> None:
        self._last_null_error = None
        for entry in entries(message):
            self._dispatch_one(entry)

    def _dispatch_one(self, message: Any) -> None:
        item = classify(message)
        if isinstance(item, Notification):
            self._notification(item.method, item.params)
            return
        if isinstance(item, NullIdError):
            log.warning("the server sent an error for no request: %s", item.error)
            self._last_null_error = item.error
            return
        with self.lock:
            pending = self.pending.pop(item.id, None)
        if pending is None:
            log.debug("dropping a response to id %r (timed out or unknown)", item.id)
            return
        if item.error is not None:
            pending.future.set_exception(item.error)
            return
        result = item.result
        if pending.on_result is not None:
            try:
                pending.on_result(result)
            except Exception as error:
                pending.future.set_exception(error)
                return
        pending.future.set_result(result)

    def _notification(self, method: Any, params: Any) -> None:
        if isinstance(params, dict):
            subscription = params.get("subscription_id")
            if subscription is not None:
                with self.lock:
                    watch = self.watches.get(subscription)
                if watch is not None:
                    watch._deliver(method, params)
                    return
        if self.on_notification is not None:
            try:
                self.on_notification(method, params)
            except Exception:
                log.exception("the notification handler failed")
        else:
            log.debug("ignoring a notification %r", method)

    # ------------------------------------------------------------------ closing

    def shutdown(self, exc: BaseException) -> None:
        """Closes the socket and fails everything waiting with (a copy of) ``exc``. Idempotent."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self.close_exception = exc
            pending, self.pending = self.pending, {}
            watches, self.watches = list(self.watches.values()), {}
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader, which then closes the socket
        except OSError:
            pass
        for entry in pending.values():
            if not entry.future.done():
                entry.future.set_exception(clone_exception(exc))
        for watch in watches:
            watch._connection_closed(clone_exception(exc))
        if threading.current_thread() is not self.reader:
            self.reader.join(timeout=2.0)
            if self.reader.is_alive():  # pragma: no cover - a reader stuck in a callback
                self._close_socket()


class Client:
    """A connection to a Parley server.

    ``Client(host, port, api_key)`` connects at once and, with an ``api_key``, authenticates with
    ``hello`` (protocol version 1). Use it as a context manager, or call :meth:`close`.

    Every method may be called from several threads at once: calls share the connection and are
    matched to their responses by id (see the module docstring for the design).

    Args:
        host, port: the server address (default ``127.0.0.1:7411``).
        api_key: the key (``prly_...``) for :meth:`hello`; without one, only ``hello``, ``ping`` and
            ``server.info`` may be called until :meth:`hello` succeeds (and the server closes a
            connection that does not complete ``hello`` within its hello timeout, 10 s by default).
        timeout: seconds to wait for connecting, for each response and for each write
            (``None``: wait forever). A call that times out raises :class:`ParleyTimeoutError`;
            it may still run on the server.
        client_name: sent with ``hello`` for the server's logs.
        max_response_bytes: the largest response frame accepted; a larger header closes the
            connection with :class:`~parley_client.FrameTooLargeError`.
        on_notification: called on the reader thread as ``handler(method, params)`` for every
            server notification that no :class:`Watch` consumes. It must not block.
        tls: ``True`` speaks TLS and verifies the server against the system's trust store (or
            ``tls_ca``) and its name; an :class:`ssl.SSLContext` is used as given. Any of
            ``tls_ca``, ``tls_server_name``, ``tls_cert`` implies ``tls=True``. A failed handshake
            raises :class:`~parley_client.TLSError`.
        tls_ca: a PEM file of CA certificates to trust instead of the system's.
        tls_server_name: the name the server's certificate must carry, if not ``host``.
        tls_cert, tls_key: a PEM client certificate and its key, for servers that require one.
        allow_plaintext: send the API key without TLS to an address that is not loopback; without
            it, :meth:`hello` raises :class:`~parley_client.PlaintextRefusedError` there.
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
        #: The TLS context and the name the certificate must carry; ``None`` for plaintext.
        self._tls: Optional[Tuple[ssl.SSLContext, str]] = resolve_tls(host, tls, tls_ca, tls_server_name,
                                                                      tls_cert, tls_key)
        if api_key is not None:
            self._refuse_plaintext()
        self.port = int(port)
        self.timeout = timeout
        self.client_name = client_name
        self.max_response_bytes = max_response_bytes
        self.on_notification = on_notification
        #: The largest request payload the client sends, in bytes; a larger request raises
        #: :class:`PayloadTooLargeError` locally (``data["local"]`` true) without being sent, so that
        #: the connection and the calls in flight survive. ``None`` turns the check off. It is the
        #: server's pre-``hello`` limit until ``hello`` succeeds, then ``limits.max_frame_bytes``.
        self.max_request_bytes: Optional[int] = MAX_FRAME_BYTES_BEFORE_HELLO
        self._api_key: Optional[str] = None
        self._session: Optional[Dict[str, Any]] = None
        self._ids = itertools.count(1)
        self._id_lock = threading.Lock()
        self._box: List[Optional[_Connection]] = [None]
        self._finalizer = weakref.finalize(self, Client._finalize, self._box)
        self._conn = self._open()
        if api_key is not None:
            try:
                self.hello(api_key)
            except BaseException:
                self.close()
                raise

    @classmethod
    def from_env(cls, **kwargs: Any) -> "Client":
        """A client configured like the ``parley`` CLI: ``PARLEY_SERVER`` (``host:port``, default
        ``127.0.0.1:7411``), ``PARLEY_API_KEY`` and ``PARLEY_TLS``, ``PARLEY_TLS_CA``,
        ``PARLEY_TLS_SERVER_NAME``, ``PARLEY_TLS_CERT``, ``PARLEY_TLS_KEY``. Keyword arguments are passed to :class:`Client`.
        Without ``PARLEY_API_KEY`` (and no ``api_key`` argument) it raises :class:`ValueError`, as the CLI
        refuses; ``api_key=None`` connects without a key on purpose."""
        host, port, kwargs = from_env_arguments(kwargs)
        return cls(host, port, **kwargs)

    # ------------------------------------------------------------------ connection

    @staticmethod
    def _finalize(box: List[Optional[_Connection]]) -> None:
        conn = box[0]
        if conn is not None and not conn.closed:
            conn.shutdown(ConnectionClosedError("the client was garbage-collected"))

    def _open(self) -> _Connection:
        # The reader thread must not keep the Client alive (the finalizer closes a forgotten one).
        client_ref = weakref.ref(self)

        def on_notification(method: str, params: Any) -> None:
            client = client_ref()
            if client is not None and client.on_notification is not None:
                client.on_notification(method, params)
            else:
                log.debug("ignoring a notification %r", method)

        conn = _Connection(self.host, self.port, self.timeout, self.max_response_bytes, on_notification,
                           self._tls)
        self._box[0] = conn
        if self.max_request_bytes is not None:
            self.max_request_bytes = MAX_FRAME_BYTES_BEFORE_HELLO
        self._session = None
        return conn

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection. Calls still waiting raise :class:`ConnectionClosedError`; watches
        end (closing the connection ends every subscription on the server). Idempotent."""
        self._conn.shutdown(ConnectionClosedError("the client was closed"))

    def reconnect(self) -> "Client":
        """Opens a new connection (closing the current one) and says ``hello`` again with the last
        key that succeeded. Calls and watches of the old connection are ended."""
        self._conn.shutdown(ConnectionClosedError("the client reconnected"))
        api_key = self._api_key
        self._conn = self._open()
        if api_key is not None:
            self.hello(api_key)
        return self

    @property
    def closed(self) -> bool:
        """Whether the connection is closed (by :meth:`close`, the server or the network)."""
        return self._conn.closed

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

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("authenticated" if self._session else "open")
        key = f" key={self.key_id}" if self.key_id else ""
        tls = " tls" if self._tls is not None else ""
        return f"<parley_client.Client {self.host}:{self.port}{tls}{key} {state}>"

    @property
    def tls(self) -> bool:
        """Whether the connection speaks TLS."""
        return self._tls is not None

    @property
    def peer_certificate(self) -> Optional[Dict[str, Any]]:
        """The server's verified certificate (``subject``, ``serialNumber``, ``notAfter``, ...) as
        :meth:`ssl.SSLSocket.getpeercert` gives it; ``None`` without TLS."""
        sock = self._conn.sock
        return sock.peer_certificate() if isinstance(sock, TLSStream) else None

    def _refuse_plaintext(self) -> None:
        refuse_plaintext(self.host, self._tls, self.allow_plaintext)

    # ------------------------------------------------------------------ hello

    def hello(self, api_key: str, *, client_name: Optional[str] = None) -> Dict[str, Any]:
        """Authenticates this connection (``hello``, protocol version 1) and returns the result
        (``protocol_version``, ``server_version``, ``key``, ``limits``).

        Raises :class:`UnauthenticatedError` for any key failure (the connection stays usable),
        :class:`RateLimitedError` when ``hello`` is throttled, :class:`BusyError` when the server's
        verification queue is full, :class:`PlaintextRefusedError` (before sending anything) when the
        key would leave the machine unencrypted.
        """
        self._refuse_plaintext()
        params = hello_params(api_key, self.client_name if client_name is None else client_name)
        result = self.call_params("hello", params)
        frame_limit = frame_limit_of(result)
        self._session = result
        self._api_key = api_key
        if frame_limit is not None and self.max_request_bytes is not None:
            self.max_request_bytes = frame_limit
        return result

    # ------------------------------------------------------------------ calls

    def _next_id(self) -> int:
        with self._id_lock:
            return next(self._ids)

    def _check_size(self, payload: bytes) -> None:
        check_request_size(payload, self.max_request_bytes)

    def _submit(self, method: str, params: Optional[Mapping[str, Any]],
                on_result: Optional[Callable[[Any], None]] = None) -> "concurrent.futures.Future[Any]":
        conn = self._conn
        request_id = self._next_id()
        payload = encode_json(request_object(method, params, request_id))
        self._check_size(payload)
        future = _new_future()
        conn.register(request_id, _Pending(future, method, on_result))
        try:
            conn.send(encode_frame(payload))
        except BaseException:
            conn.forget(request_id)
            raise
        return future

    def submit(self, method: str, params: Optional[Mapping[str, Any]] = None) -> "concurrent.futures.Future[Any]":
        """Sends one request now and returns a :class:`concurrent.futures.Future` for its result
        (the future raises the :class:`ParleyError` subclass on an error response). The building
        block of pipelining: submit many, then collect. Note that ``future.result(timeout)`` raises
        :class:`concurrent.futures.TimeoutError`, not :class:`ParleyTimeoutError`. Done-callbacks run
        on the reader thread and must not block."""
        return self._submit(method, params)

    def _wait(self, future: "concurrent.futures.Future[Any]", timeout: Optional[float], method: str) -> Any:
        if threading.current_thread() is self._conn.reader and not future.done():
            # Only the reader thread can complete the future: waiting here would hang.
            raise RuntimeError("cannot wait for a Parley response on the client's reader thread "
                               "(from an on_notification handler or a future callback); use submit()")
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            if future.done():  # pragma: no cover - raced with the response
                return future.result()
            raise ParleyTimeoutError(f"no response to {method} within {timeout} s") from None

    def call_params(self, method: str, params: Optional[Mapping[str, Any]] = None, *,
                    timeout: Optional[float] = None) -> Any:
        """Calls ``method`` with ``params`` (a mapping, or ``None`` for none) and returns its result.

        Use it for param names that are not Python identifiers, or for a per-call ``timeout``
        (default: the client's). Raises the :class:`ParleyError` subclass of the error response,
        :class:`ParleyTimeoutError`, or :class:`ConnectionClosedError`.
        """
        future = self._submit(method, params)
        wait = self.timeout if timeout is None else timeout
        try:
            return self._wait(future, wait, method)
        except ParleyTimeoutError:
            self._forget(future)
            raise

    def _forget(self, future: "concurrent.futures.Future[Any]") -> None:
        conn = self._conn
        with conn.lock:
            for request_id, pending in list(conn.pending.items()):
                if pending.future is future:
                    del conn.pending[request_id]

    def call(self, method: str, /, **params: Any) -> Any:
        """Calls ``method`` with keyword params and returns its result (the ``result`` member)::

            tenant = client.call("tenants.create", slug="acme", name="Acme")

        ``method`` is positional-only, so a param may be called ``method`` (``audit.list``).
        Raises the :class:`ParleyError` subclass matching the error response.
        """
        return self.call_params(method, params or None)

    def notify(self, method: str, /, **params: Any) -> None:
        """Sends a notification: the server runs it and answers nothing, not even an error."""
        payload = encode_json(request_object(method, params or None))
        self._check_size(payload)
        self._conn.send(encode_frame(payload))

    def ping(self) -> None:
        """``ping``: a liveness check and keepalive."""
        self.call_params("ping")

    # ------------------------------------------------------------------ many calls

    def pipeline(self) -> "Pipeline":
        """A :class:`Pipeline`: queue calls, then send them in one write with :meth:`Pipeline.execute`
        (also done when a ``with`` block ends without an exception)."""
        return Pipeline(self)

    def call_many(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
                  timeout: Optional[float] = None) -> List[Any]:
        """Pipelines ``calls`` (``[("tenants.get", {"id": ...}), ("ping", None), ...]``): all are
        written at once as separate frames, run concurrently on the server, and the results come back
        **in the order of** ``calls`` whatever order the responses arrived in.

        With ``return_exceptions=False`` the first error (in call order) is raised once every response
        has arrived; with ``True``, errors are returned in place of results. ``timeout`` bounds the
        wait between two responses (default: the client's timeout).
        """
        specs = [normalise_call(c) for c in calls]
        if not specs:
            return []
        conn = self._conn
        futures: List["concurrent.futures.Future[Any]"] = []
        frames: List[bytes] = []
        ids: List[int] = []
        for method, params in specs:
            request_id = self._next_id()
            payload = encode_json(request_object(method, params, request_id))
            self._check_size(payload)
            frames.append(encode_frame(payload))
            ids.append(request_id)
        for request_id, (method, _) in zip(ids, specs):
            future = _new_future()
            conn.register(request_id, _Pending(future, method, None))
            futures.append(future)
        try:
            conn.send(b"".join(frames))
        except BaseException:
            for request_id in ids:
                conn.forget(request_id)
            raise
        return self._collect(conn, ids, futures, [m for m, _ in specs], return_exceptions, timeout)

    def _collect(self, conn: _Connection, ids: Sequence[Any], futures: Sequence["concurrent.futures.Future[Any]"],
                 methods: Sequence[str], return_exceptions: bool, timeout: Optional[float]) -> List[Any]:
        wait = self.timeout if timeout is None else timeout
        results: List[Any] = []
        for index, future in enumerate(futures):
            try:
                results.append(self._wait(future, wait, methods[index]))
            except ParleyTimeoutError:
                for request_id in ids:
                    conn.forget(request_id)
                raise
            except ParleyException as error:
                results.append(error)
        if not return_exceptions:
            for item in results:
                if isinstance(item, BaseException):
                    raise item
        return results

    def batch(self, calls: Iterable[CallSpec], *, return_exceptions: bool = False,
              timeout: Optional[float] = None) -> List[Any]:
        """Sends ``calls`` as **one JSON-RPC batch** (one frame holding an array, PROTOCOL.md §3.3)
        and returns the results in the order of ``calls``. The server runs the entries
        concurrently and answers when all are done. At most ``limits.max_batch_entries`` (64)
        entries; for more, use :meth:`call_many`. Errors as in :meth:`call_many`."""
        specs = [normalise_call(c) for c in calls]
        check_batch(specs, self.limits)
        conn = self._conn
        ids = [self._next_id() for _ in specs]
        payload = encode_json([request_object(m, p, i) for i, (m, p) in zip(ids, specs)])
        self._check_size(payload)
        futures = []
        for request_id, (method, _) in zip(ids, specs):
            future = _new_future()
            conn.register(request_id, _Pending(future, method, None))
            futures.append(future)
        try:
            conn.send(encode_frame(payload))
        except BaseException:
            for request_id in ids:
                conn.forget(request_id)
            raise
        return self._collect(conn, ids, futures, [m for m, _ in specs], return_exceptions, timeout)

    # ------------------------------------------------------------------ pagination

    def iterate(self, method: str, /, **params: Any) -> Iterator[Dict[str, Any]]:
        """Yields every item of a list method, page after page, following ``next_cursor``::

            for group in client.iterate("groups.list", tenant_id=tid, limit=500):
                ...

        ``limit`` is the page size. Pages are fetched lazily, one call per page.
        """
        params = dict(params)
        while True:
            items, cursor = page_of(method, self.call_params(method, params))
            yield from items
            if cursor is None:
                return
            params["cursor"] = cursor

    # ------------------------------------------------------------------ watch

    def watch(self, tenant_id: Optional[str] = None, families: Optional[Sequence[str]] = None,
              from_revision: Optional[int] = None, *, keepalive: Optional[float] = None) -> "Watch":
        """Subscribes to configuration changes (``watch.subscribe``) and returns a :class:`Watch`,
        an iterator of ``watch.event`` params::

            with client.watch(tenant_id=tid, families=["groups"]) as events:
                for event in events:      # {"subscription_id", "revision", "tenant_id", "family",
                    ...                   #  "type": "created|updated|deleted", "id", "object"}

        ``from_revision`` resumes from history (events after that revision; pass a previous
        watch's :attr:`Watch.last_revision`); one the server no longer keeps raises
        :class:`GoneError` (``compact_revision``). Leaving the ``with`` block (or :meth:`Watch.close`)
        sends ``watch.unsubscribe``. Closing the client ends every watch of its connection. While waiting for events the watch pings the server every
        ``keepalive`` seconds of silence (default: a third of the server's idle timeout).
        """
        params = watch_params(tenant_id, families, from_revision)
        conn = self._conn
        watch = Watch(self, conn, keepalive_for(self.limits, keepalive))

        def register(result: Any) -> None:
            # Runs on the reader thread before any later frame is read: events that follow the
            # subscribe response are routed to this watch.
            watch.subscription_id, watch.revision = subscribed(result)
            with conn.lock:
                conn.watches[watch.subscription_id] = watch

        future = self._submit("watch.subscribe", params, on_result=register)
        try:
            self._wait(future, self.timeout, "watch.subscribe")
        except ParleyTimeoutError:
            self._forget(future)
            raise
        return watch


class Pipeline:
    """Calls queued locally and sent together (redis-py style)::

        with client.pipeline() as p:
            tenant = p.call("tenants.get", id=tid)     # a Future
            groups = p.call("groups.list", tenant_id=tid)
        print(tenant.result(), p.results)

    :meth:`execute` writes every queued request as its own frame in one write and returns the
    results in queue order (responses are matched by id). A pipeline can be executed once.
    """

    def __init__(self, client: Client) -> None:
        self._client = client
        self._calls: List[Tuple[str, Optional[Mapping[str, Any]], "concurrent.futures.Future[Any]"]] = []
        self._executed = False
        #: The results of :meth:`execute` (errors in place), ``None`` before.
        self.results: Optional[List[Any]] = None

    def __len__(self) -> int:
        return len(self._calls)

    def call(self, method: str, /, **params: Any) -> "concurrent.futures.Future[Any]":
        """Queues a call; returns a future resolved by :meth:`execute`."""
        return self.call_params(method, params or None)

    def call_params(self, method: str, params: Optional[Mapping[str, Any]] = None) -> "concurrent.futures.Future[Any]":
        """Queues a call with a params mapping; returns a future resolved by :meth:`execute`."""
        if self._executed:
            raise RuntimeError("this pipeline was already executed")
        future = _new_future()
        self._calls.append((method, params, future))
        return future

    def execute(self, *, return_exceptions: bool = False, timeout: Optional[float] = None) -> List[Any]:
        """Sends the queued calls and returns their results in order (see :meth:`Client.call_many`)."""
        if self._executed:
            raise RuntimeError("this pipeline was already executed")
        self._executed = True
        try:
            results = self._client.call_many([(m, p) for m, p, _ in self._calls], return_exceptions=True,
                                             timeout=timeout)
        except BaseException as error:
            for _, _, future in self._calls:
                future.set_exception(clone_exception(error))
            raise
        for (_, _, future), result in zip(self._calls, results):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
        self.results = results
        if not return_exceptions:
            for item in results:
                if isinstance(item, BaseException):
                    raise item
        return results

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is None and not self._executed:
            self.execute(return_exceptions=True)


_STOP = object()


class Watch:
    """A subscription's events (created by :meth:`Client.watch`). Iterate it for event dicts.

    Events are buffered in memory by the reader thread until consumed. Iteration ends
    (``StopIteration``) after :meth:`close`. Once the buffered events are consumed it raises
    :class:`WatchClosedError` if the server ended the subscription (``watch.closed``, e.g. a
    consumer too slow to read), or :class:`ConnectionClosedError` (or the server error that closed
    it) if the connection closed. :attr:`last_revision` is the revision of the last event consumed:
    to resume on a new connection, pass it as ``from_revision``.
    """

    def __init__(self, client: Client, conn: _Connection, keepalive: float) -> None:
        self._client = client
        self._conn = conn
        self._queue: "queue.Queue[Any]" = queue.Queue()
        self._keepalive = keepalive
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

    # called on the reader thread
    def _deliver(self, method: str, params: Dict[str, Any]) -> None:
        if method == "watch.event":
            self._queue.put(params)
        elif method == "watch.closed":
            # The server ends the subscription (e.g. reason "slow_consumer") and closes the
            # connection; the events before it are still delivered, then this ends the iteration.
            with self._conn.lock:
                self._conn.watches.pop(self.subscription_id, None)
            self._ended_by_server = True
            self._queue.put((_STOP, watch_closed_error(self.subscription_id, params)))
        else:
            log.warning("watch %s: notification %s %r", self.subscription_id, method, params)
            self.notices.append((method, params))

    def _connection_closed(self, exc: BaseException) -> None:
        self._queue.put((_STOP, exc))

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called or the connection ended."""
        return self._closed or self._end is not None

    def __iter__(self) -> "Watch":
        return self

    def __next__(self) -> Dict[str, Any]:
        while True:
            event = self.next_event(timeout=None)
            if event is not None:
                return event
            if self._closed:
                raise StopIteration

    def next_event(self, timeout: Optional[float] = None) -> Optional[Dict[str, Any]]:
        """The next event, waiting at most ``timeout`` seconds (``None``: until one arrives);
        ``None`` on timeout or after :meth:`close`. Raises the connection's error once the
        connection has closed and every buffered event was returned."""
        if self._end is not None:
            raise clone_exception(self._end)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._closed:
            self._maybe_ping()
            wait = self._keepalive
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return None
            try:
                item = self._queue.get(timeout=max(wait, 0.0))
            except queue.Empty:
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
                and time.monotonic() - conn.last_send >= self._keepalive):
            try:
                future = self._client._submit("ping", None)
                future.add_done_callback(lambda f: f.exception())  # the answer does not matter
            except ParleyException:
                pass  # the close reaches the queue

    def close(self, timeout: Optional[float] = None) -> None:
        """Stops the subscription: ``watch.unsubscribe`` (best effort, errors are logged) and ends
        iteration. Events still buffered are dropped. Idempotent."""
        if self._closed:
            return
        self._closed = True
        conn = self._conn
        with conn.lock:
            if self.subscription_id is not None:
                conn.watches.pop(self.subscription_id, None)
        self._queue.put(_STOP)
        if (conn.closed or self.subscription_id is None or self._ended_by_server
                or self._client._conn is not conn):
            return
        try:
            self._client.call_params("watch.unsubscribe", {"subscription_id": self.subscription_id},
                                     timeout=timeout)
        except ParleyException as error:
            log.warning("watch.unsubscribe %s failed: %s", self.subscription_id, error)

    def __enter__(self) -> "Watch":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<parley_client.Watch {self.subscription_id!r} {state} last_revision={self.last_revision}>"
