"""TLS for the Parley client (PROTOCOL.md §1.4), standard library ``ssl`` only.

The client reads on one thread and writes on others. An OpenSSL connection must not be used by two
threads at once, so the TLS state is an :class:`ssl.SSLObject` over memory buffers, touched only
under one lock, while the slow socket reads and writes happen outside it (:class:`TLSStream`).
Only writers take encrypted bytes out of the outgoing buffer, and they do so in the order they
send them, so records reach the wire in the order OpenSSL made them.

Verification is always on with ``tls=True`` and the options: the server's certificate must chain to
the trust store (the system's, or ``tls_ca``) and carry the host name (or ``tls_server_name``). To
trust something else, pass your own :class:`ssl.SSLContext`; there is no switch that turns
verification off.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import threading
from typing import Mapping, Optional, Union

from .errors import ParleyConnectionError, ParleyException

__all__ = ["TLSError", "PlaintextRefusedError", "TLSStream", "client_context", "is_loopback",
           "tls_options_from_env"]

#: ``tls=`` of :class:`~parley_client.Client`: off, on with the default context, or your context.
TLSSetting = Union[None, bool, ssl.SSLContext]

_TRUE = {"1", "true", "yes", "on"}


class TLSError(ParleyConnectionError):
    """The TLS handshake failed: the server's certificate is not trusted, expired or for another
    name, the server wants a client certificate, or the server does not speak TLS."""


class PlaintextRefusedError(ParleyException, ValueError):
    """An API key would be sent in plaintext to an address that is not loopback. Use ``tls=True``
    (or ``tls_ca=...``), or ``allow_plaintext=True`` if the network path is private."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback address, where plaintext stays on the machine."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def client_context(ca_file: Optional[str] = None, cert_file: Optional[str] = None,
                   key_file: Optional[str] = None) -> ssl.SSLContext:
    """A verifying client context: TLS 1.2 or later, certificates checked against ``ca_file`` (else the
    system's trust store) with host names checked, and a client certificate when ``cert_file`` is given."""
    if (cert_file is None) != (key_file is None):
        raise ValueError("tls_cert and tls_key go together (a client certificate needs its key)")
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if cert_file is not None:
            context.load_cert_chain(cert_file, key_file)
    except (OSError, ssl.SSLError) as error:
        raise TLSError(f"cannot load the TLS files: {error}") from error
    return context


def tls_options_from_env(environ: Optional[Mapping[str, str]] = None) -> dict:
    """The ``Client`` keyword arguments from ``PARLEY_TLS``, ``PARLEY_TLS_CA``,
    ``PARLEY_TLS_SERVER_NAME``, ``PARLEY_TLS_CERT`` and ``PARLEY_TLS_KEY`` (the CLI's variables; any
    of the last four turns TLS on). Empty when none is set."""
    env = os.environ if environ is None else environ

    def value(name: str) -> Optional[str]:
        text = env.get(name)
        return text if text else None

    options = {"tls_ca": value("PARLEY_TLS_CA"), "tls_server_name": value("PARLEY_TLS_SERVER_NAME"),
               "tls_cert": value("PARLEY_TLS_CERT"), "tls_key": value("PARLEY_TLS_KEY")}
    kwargs = {name: text for name, text in options.items() if text is not None}
    if kwargs or (value("PARLEY_TLS") or "").lower() in _TRUE:
        kwargs["tls"] = True
    return kwargs


class TLSStream:
    """A TLS connection over a connected socket with the socket methods the client uses
    (``recv``, ``sendall``, ``shutdown``, ``close``, ``settimeout``, ``setsockopt``)."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, server_name: str) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._ssl = context.wrap_bio(self._incoming, self._outgoing, server_side=False,
                                     server_hostname=server_name)
        self._lock = threading.Lock()  # guards _ssl and the two buffers
        self._send_lock = threading.Lock()  # keeps pulled records in wire order

    def handshake(self) -> None:
        """Runs the handshake on the calling thread (before the reader starts); raises
        :class:`TLSError` with OpenSSL's reason when it fails."""
        while True:
            try:
                with self._lock:
                    self._ssl.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                data = self._sock.recv(65536)
                with self._lock:
                    if data:
                        self._incoming.write(data)
                    else:
                        self._incoming.write_eof()
                if not data:
                    raise TLSError("the server closed the connection during the TLS handshake "
                                   "(is it a TLS listener, and does it want a client certificate?)")
            except ssl.SSLCertVerificationError as error:
                raise TLSError(f"the server's certificate was refused: {error.verify_message}") from error
            except ssl.SSLError as error:
                self._flush_quietly()
                raise TLSError(f"the TLS handshake failed: {error.reason or error}") from error

    @property
    def version(self) -> Optional[str]:
        """The negotiated protocol (``TLSv1.3``)."""
        with self._lock:
            return self._ssl.version()

    def peer_certificate(self) -> dict:
        """The server's verified certificate as :meth:`ssl.SSLSocket.getpeercert` gives it."""
        with self._lock:
            return self._ssl.getpeercert() or {}

    def recv(self, size: int) -> bytes:
        """Decrypted bytes (at least one), or ``b""`` at the end of the stream. Raises
        ``socket.timeout`` like the socket, and :class:`ssl.SSLError` for a broken stream (an
        alert from the server, such as a refused client certificate, arrives here)."""
        while True:
            with self._lock:
                plain = self._read_available(size)
            if plain:
                return plain
            data = self._sock.recv(65536)
            with self._lock:
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()
                    return self._read_available(size, at_eof=True)

    def _read_available(self, size: int, at_eof: bool = False) -> bytes:
        chunks = []
        while True:
            try:
                chunk = self._ssl.read(size)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLZeroReturnError:  # close_notify
                break
            except ssl.SSLEOFError:
                if at_eof:
                    break
                raise
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)

    def sendall(self, data: bytes) -> None:
        with self._send_lock:
            with self._lock:
                self._ssl.write(data)
                records = self._outgoing.read()
            self._sock.sendall(records)

    def _flush(self) -> None:
        with self._send_lock:
            with self._lock:
                records = self._outgoing.read()
            if records:
                self._sock.sendall(records)

    def _flush_quietly(self) -> None:
        try:
            self._flush()
        except OSError:
            pass

    def shutdown(self, how: int) -> None:
        """Closes the socket for reading and writing (wakes the reader); no close_notify is waited for."""
        self._sock.shutdown(how)

    def close(self) -> None:
        self._sock.close()

    def settimeout(self, timeout: Optional[float]) -> None:
        self._sock.settimeout(timeout)

    def setsockopt(self, *args: object) -> None:
        self._sock.setsockopt(*args)  # type: ignore[arg-type]
