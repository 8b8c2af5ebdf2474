"""Subscribers of this process's connections, and who receives an event.

An event goes once to each connection holding at least one subscriber whose
subscription matches the event and, for a targeted event, whose metadata
matches the target. The client fans out to its own callbacks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ftrack_api.event.expression import Expression, Parser
from ftrack_api.exception import ParseError

log = logging.getLogger("ftrack_server.events")

_parser = Parser()


class Outlet(Protocol):
    """Where a connection's packets go (see `connection.Connection`)."""

    def send(self, frame: str) -> bool: ...


@dataclass(frozen=True)
class Subscriber:
    metadata: dict
    subscription: str
    expression: Expression

    @property
    def id(self) -> str:
        return self.metadata["id"]


class SubscriptionError(ValueError):
    """A subscribe or unsubscribe request the server refuses; the message says why."""


def parse_expression(text: Any, what: str) -> Expression:
    """Parse a subscription or target with the client's own parser."""
    if not isinstance(text, str):
        raise SubscriptionError(f"The {what} must be an expression string, got {text!r}.")
    try:
        return _parser.parse(text)
    except ParseError as error:
        raise SubscriptionError(f"Invalid {what} expression {text!r}: {error}") from None


class Router:
    """The connections of this process and their subscribers."""

    def __init__(self) -> None:
        self._subscribers: dict[Outlet, dict[str, Subscriber]] = {}
        self.subscriber_count = 0

    @property
    def connections(self) -> list[Outlet]:
        return list(self._subscribers)

    def add(self, outlet: Outlet) -> None:
        self._subscribers.setdefault(outlet, {})

    def remove(self, outlet: Outlet) -> None:
        """Forget a connection and every subscriber it registered."""
        removed = self._subscribers.pop(outlet, None)
        if removed:
            self.subscriber_count -= len(removed)

    def subscribe(self, outlet: Outlet, data: Any) -> Subscriber:
        """Register ``data = {"subscriber": metadata, "subscription": text}`` for `outlet`.

        A subscriber id already registered by this connection is replaced:
        clients re-send every subscription after (re)connecting.
        """
        if not isinstance(data, Mapping):
            raise SubscriptionError('The subscribe event needs data {"subscriber": {...}, "subscription": "..."}.')
        metadata = _metadata(data.get("subscriber"))
        expression = parse_expression(data.get("subscription"), "subscription")
        subscriber = Subscriber(dict(metadata), data["subscription"], expression)
        registered = self._subscribers.get(outlet)
        if registered is None:
            raise SubscriptionError("The connection is closed.")
        if subscriber.id not in registered:
            self.subscriber_count += 1
        registered[subscriber.id] = subscriber
        return subscriber

    def unsubscribe(self, outlet: Outlet, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise SubscriptionError('The unsubscribe event needs data {"subscriber": {"id": ...}}.')
        metadata = _metadata(data.get("subscriber"))
        registered = self._subscribers.get(outlet, {})
        if registered.pop(metadata["id"], None) is None:
            raise SubscriptionError(f"No subscriber with id {metadata['id']!r} on this connection.")
        self.subscriber_count -= 1

    def subscribers(self, outlet: Outlet) -> list[Subscriber]:
        return list(self._subscribers.get(outlet, {}).values())

    def deliver(self, envelope: Mapping, frame: str) -> int:
        """Send `frame` (the packet of `envelope`) to every interested connection; return how many."""
        target_text = envelope.get("target") or ""
        target: Expression | None = None
        if target_text:
            try:
                target = _parser.parse(target_text)
            except ParseError as error:
                log.warning("Dropped event %s: invalid target %r: %s", envelope.get("id"), target_text, error)
                return 0
        delivered = 0
        for outlet, subscribers in list(self._subscribers.items()):
            for subscriber in subscribers.values():
                if target is not None and not target.match(subscriber.metadata):
                    continue
                if subscriber.expression.match(envelope):
                    if outlet.send(frame):
                        delivered += 1
                    break
        return delivered


def _metadata(value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise SubscriptionError('"subscriber" must be an object with an "id".')
    subscriber_id = value.get("id")
    if not isinstance(subscriber_id, str) or not subscriber_id:
        raise SubscriptionError('"subscriber" needs an "id" string.')
    return value
