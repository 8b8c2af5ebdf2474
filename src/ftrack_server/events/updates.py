"""``ftrack.update``: the event the server publishes after a committed batch changed data."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from ..store.changes import parent_ids
from .envelope import UPDATE_TOPIC

APPLICATION_ID = "ftrack.server"


#: Entities per ``ftrack.update`` event: a batch of thousands of creates is announced in several
#: events of bounded size rather than one that no client queue could take.
ENTITIES_PER_EVENT = 500


def update_events(
    entities: list[dict], user: Mapping, client_token: str | None = None, push_token: str | None = None
) -> list[dict]:
    """The envelopes announcing `entities`, in order, at most `ENTITIES_PER_EVENT` in each."""
    return [
        update_event(entities[start:start + ENTITIES_PER_EVENT], user, client_token, push_token)
        for start in range(0, len(entities), ENTITIES_PER_EVENT)
    ]


def update_event(
    entities: list[dict], user: Mapping, client_token: str | None = None, push_token: str | None = None
) -> dict:
    """The envelope announcing `entities` (change objects, see `store.changes`) changed by `user`."""
    name = " ".join(str(part) for part in (user.get("first_name"), user.get("last_name")) if part)
    source = {
        "id": uuid.uuid4().hex,
        "applicationId": APPLICATION_ID,
        "user": {"username": user.get("username"), "id": user.get("id")},
    }
    if client_token:
        source["clientToken"] = client_token
    return {
        "id": uuid.uuid4().hex,
        "topic": UPDATE_TOPIC,
        "data": {
            "entities": entities,
            "parents": parent_ids(entities),
            "user": {"userid": user.get("id"), "name": name or user.get("username")},
            "clientToken": client_token,
            "pushToken": push_token,
        },
        "source": source,
        "target": "",
        "inReplyToEvent": None,
        "sent": None,
    }
