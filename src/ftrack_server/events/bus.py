"""The event bus of one server process: local routing, plus Redis fan-out when configured.

Every event, whether a client published it or the server made it (such as
``ftrack.update`` after a commit), goes through `EventBus.publish`: it is
delivered at once to this process's connections and, with Redis, sent to the
other processes, which deliver it to theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ..signing import Signer
from . import envelope as envelopes
from . import packets
from .router import Router
from .sessions import SessionIds
from .settings import EventSettings

log = logging.getLogger("ftrack_server.events")


class EventBus:
    """Connections, subscribers and the way events reach them."""

    def __init__(self, settings: EventSettings | None = None, signer: Signer | None = None):
        """`signer` signs session ids: give every process serving the same users the same key."""
        self.settings = settings or EventSettings()
        self.router = Router()
        self.sessions = SessionIds(lifetime=max(60.0, self.settings.timeout), signer=signer)
        self._fanout = None
        if self.settings.redis_url:
            from .redis_fanout import RedisFanout

            self._fanout = RedisFanout(self.settings.redis_url, self.settings.redis_channel, self.deliver)

    async def start(self) -> None:
        if self._fanout is not None:
            await self._fanout.start()

    async def stop(self) -> None:
        for connection in self.router.connections:
            end = getattr(connection, "end", None)
            if end is not None:
                end("server")
        if self._fanout is not None:
            await self._fanout.stop()

    @property
    def wants_updates(self) -> bool:
        """Whether anyone might receive an ``ftrack.update``: worth describing a batch's changes."""
        return self.router.subscriber_count > 0 or (self._fanout is not None and self._fanout.connected)

    def publish(self, envelope: Mapping) -> None:
        """Route a clean envelope (see `envelope.clean`) here and in the other processes."""
        text = packets.dumps(envelopes.payload(envelope))
        self.router.deliver(envelope, packets.event(text))
        if self._fanout is not None:
            self._fanout.send(text)

    def deliver(self, payload_text: str) -> None:
        """Route an event packet payload that another process published."""
        try:
            envelope = envelopes.from_payload(packets.loads(payload_text))
        except (ValueError, envelopes.EnvelopeError) as error:
            log.warning("Ignored an event from Redis that is not an ftrack event: %s", error)
            return
        self.router.deliver(envelope, packets.event(payload_text))
