"""A parsed subscription expression."""

from __future__ import annotations

from typing import Any

from ftrack_api.event.expression import Parser


class Subscription:
    """The expression text *subscription* and the events it includes.

    Raises :exc:`~ftrack_api.exception.ParseError` for invalid text.
    """

    #: Shared by every subscription; parsing is cached per expression text.
    parser = Parser()

    def __init__(self, subscription: str):
        self._subscription = subscription
        self._expression = self.parser.parse(subscription)

    def __str__(self) -> str:
        return self._subscription

    def includes(self, event: Any) -> bool:
        """Return whether *event* matches this subscription."""
        return self._expression.match(event)
