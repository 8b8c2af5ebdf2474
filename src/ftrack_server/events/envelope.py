"""The event envelope: what a client may publish, and what the server sends on."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

#: The only top-level keys the Python client accepts on a received event.
KEYS = ("id", "topic", "data", "source", "target", "inReplyToEvent", "sent")

#: The socket.io event name every ftrack event travels under.
EVENT_NAME = "ftrack.event"

SUBSCRIBE_TOPIC = "ftrack.meta.subscribe"
UNSUBSCRIBE_TOPIC = "ftrack.meta.unsubscribe"
UPDATE_TOPIC = "ftrack.update"


class EnvelopeError(ValueError):
    """A published event the server cannot route; the message says why."""


def from_payload(payload: Any) -> dict:
    """The envelope inside a decoded event packet payload ``{"name", "args": [envelope]}``."""
    if not isinstance(payload, Mapping):
        raise EnvelopeError("The event packet must hold a JSON object.")
    name = payload.get("name")
    if name != EVENT_NAME:
        raise EnvelopeError(f'Unsupported event name {name!r}: only "{EVENT_NAME}" is handled.')
    args = payload.get("args")
    if not isinstance(args, list) or len(args) != 1 or not isinstance(args[0], Mapping):
        raise EnvelopeError('"args" must be a list holding exactly one event object.')
    return clean(args[0])


def clean(event: Mapping) -> dict:
    """The envelope with only the keys clients accept, in their wire spelling.

    Ids, source and target pass through unchanged: replies are correlated by them.
    """
    topic = event.get("topic")
    if not isinstance(topic, str) or not topic:
        raise EnvelopeError('The event needs a "topic" string.')
    target = event.get("target")
    if target is None:
        target = ""
    if not isinstance(target, str):
        raise EnvelopeError('"target" must be an expression string.')
    source = event.get("source")
    if source is None:
        source = {}
    data = event.get("data")
    if data is None:
        data = {}
    reply_to = event.get("inReplyToEvent", event.get("in_reply_to_event"))
    event_id = event.get("id")
    return {
        "id": event_id if event_id not in (None, "") else uuid.uuid4().hex,
        "topic": topic,
        "data": data,
        "source": source,
        "target": target,
        "inReplyToEvent": reply_to,
        "sent": event.get("sent"),
    }


def payload(envelope: Mapping) -> dict:
    """The packet payload carrying `envelope`."""
    return {"name": EVENT_NAME, "args": [envelope]}
