"""A subscriber: a subscription, the callback it runs and who it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ftrack_api.event.subscription import Subscription


class Subscriber:
    """Calls *callback* for events matching *subscription*.

    *metadata* describes the subscriber (it always holds an ``id``) and is
    what event targets are matched against. Lower *priority* runs first.
    """

    def __init__(
        self,
        subscription: str,
        callback: Callable[[Any], Any],
        metadata: dict[str, Any],
        priority: int,
    ):
        self.subscription = Subscription(subscription)
        self.callback = callback
        self.metadata = metadata
        self.priority = priority

    def __str__(self) -> str:
        return (
            f'<{type(self).__name__} metadata={self.metadata} '
            f'subscription="{self.subscription}">'
        )

    def interested_in(self, event: Any) -> bool:
        """Return whether *event* matches this subscriber's subscription."""
        return self.subscription.includes(event)
