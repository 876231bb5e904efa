"""What both clients (blocking and asyncio) do with a frame once it is decoded, without I/O.

A received message is one response, a batch of responses, or a server notification
(PROTOCOL.md §3). :func:`entries` splits a frame into its entries and :func:`classify` tells each
one apart:

- :class:`Notification`: ``method`` and no ``id`` (``watch.event``, ``watch.closed``);
- :class:`Response`: routed to the pending call of its ``id``;
- :class:`NullIdError`: an error with ``"id": null``, which no call can claim; when the server closes
  the connection right after one, it is the reason (PROTOCOL.md §10 item 7).

Anything else is a :class:`~parley_client.ProtocolError`, after which the connection is closed.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union

from .errors import (ConnectionClosedError, ParleyError, ProtocolError, WatchClosedError,
                     error_from_object)

__all__ = ["Notification", "Response", "NullIdError", "entries", "classify", "watch_closed_error",
           "clone_exception", "closed_error", "looks_like_tls", "subscribed", "page_of"]


class Notification(NamedTuple):
    """A server notification: ``method`` and ``params``; :attr:`subscription_id` when it names one."""

    method: Any
    params: Any

    @property
    def subscription_id(self) -> Any:
        return self.params.get("subscription_id") if isinstance(self.params, dict) else None


class Response(NamedTuple):
    """A response to the request ``id``: ``error`` (the exception) or ``result``."""

    id: Any
    result: Any
    error: Optional[ParleyError]


class NullIdError(NamedTuple):
    """An error response with ``"id": null``."""

    error: ParleyError


Incoming = Union[Notification, Response, NullIdError]


def entries(message: Any) -> List[Any]:
    """The entries of one frame: the array of a batch response, else the message itself."""
    if isinstance(message, list):
        if not message:
            raise ProtocolError("the server sent an empty batch response")
        return message
    return [message]


def classify(message: Any) -> Incoming:
    """What one entry is; raises :class:`ProtocolError` for something that is none of them."""
    if not isinstance(message, dict):
        raise ProtocolError(f"the server sent a message that is not an object: {message!r:.200}")
    if "method" in message and "id" not in message:
        return Notification(message.get("method"), message.get("params"))
    if "id" not in message or ("result" in message) == ("error" in message):
        raise ProtocolError(f"the server sent an invalid response: {message!r:.200}")
    if message["id"] is None:
        return NullIdError(error_from_object(message.get("error")))
    if "error" in message:
        return Response(message["id"], None, error_from_object(message["error"]))
    return Response(message["id"], message["result"], None)


def watch_closed_error(subscription_id: Any, params: Dict[str, Any]) -> WatchClosedError:
    """The exception that ends a watch the server closed with ``watch.closed``."""
    reason = params.get("reason")
    return WatchClosedError(f"the server closed watch {subscription_id}"
                            + (f" ({reason})" if isinstance(reason, str) else ""), params)


def subscribed(result: Any) -> Tuple[Any, Optional[int]]:
    """``(subscription_id, revision)`` from a ``watch.subscribe`` result."""
    if not isinstance(result, dict) or "subscription_id" not in result:
        raise ProtocolError(f"watch.subscribe returned {result!r:.200}")
    return result["subscription_id"], result.get("revision")


def page_of(method: str, page: Any) -> Tuple[List[Any], Optional[str]]:
    """``(items, next_cursor)`` of a list method's page."""
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise ProtocolError(f"{method} did not return a page ({{items, next_cursor}})")
    return page["items"], page.get("next_cursor")


def clone_exception(exc: BaseException) -> BaseException:
    """A fresh copy of ``exc``, so that each waiting caller raises its own instance."""
    if isinstance(exc, ParleyError):
        clone: BaseException = type(exc)(exc.code, exc.message, exc.data)
        clone.connection_closed = exc.connection_closed  # type: ignore[attr-defined]
        return clone
    if isinstance(exc, WatchClosedError):
        return WatchClosedError(str(exc), exc.params)
    if isinstance(exc, ConnectionClosedError):
        return ConnectionClosedError(str(exc), exc.error)
    try:
        return type(exc)(*exc.args)
    except Exception:  # pragma: no cover - exotic exception types
        return exc


def closed_error(close_exception: Optional[BaseException]) -> BaseException:
    """What a call on a closed connection raises: the server's closing error (a copy) when there
    was one, else a :class:`ConnectionClosedError` saying why."""
    exc = close_exception or ConnectionClosedError("the connection is closed")
    if isinstance(exc, ParleyError):
        return clone_exception(exc)
    if isinstance(exc, ConnectionClosedError):
        return ConnectionClosedError(str(exc), exc.error)
    return ConnectionClosedError(f"the connection is closed: {exc}")


def looks_like_tls(data: bytes) -> bool:
    """Whether ``data`` starts like a TLS record (an alert or a handshake, version 3.x): what a TLS
    listener sends a plaintext client. No Parley frame starts so (it would announce over 350 MB)."""
    return len(data) >= 3 and data[0] in (0x15, 0x16) and data[1] == 0x03 and data[2] <= 0x04
