"""An ftrack event plugin: print every change the server announces.

Put this file in a folder listed in ``FTRACK_EVENT_PLUGIN_PATH`` (or pass the
folder in ``plugin_paths``). Each ``ftrack_api.Session`` created afterwards
loads it and calls ``register(session)``. Then keep a session listening::

    FTRACK_EVENT_PLUGIN_PATH=docs/examples python -c "
    import ftrack_api
    session = ftrack_api.Session(auto_connect_event_hub=True)
    session.event_hub.wait()
    "

Or run this file directly, which does the same for you.
"""

from __future__ import annotations

import logging

import ftrack_api
import ftrack_api.event.base

logger = logging.getLogger(__name__)


def print_update(event: ftrack_api.event.base.Event) -> None:
    """Print one line per entity changed in an ``ftrack.update`` event."""
    user = event["data"].get("user") or {}
    for entity in event["data"].get("entities", []):
        changed = ", ".join(entity.get("keys") or [])
        print(
            f"{entity.get('action', '?'):>6} {entity.get('entity_type') or entity.get('entityType')}"
            f" {entity.get('entityId')}"
            f"{f' ({changed})' if changed else ''}"
            f" by {user.get('name', 'someone')}"
        )


def register(session: ftrack_api.Session, **kw: object) -> None:
    """Subscribe to ``ftrack.update`` on *session*'s event hub."""
    # FTRACK_EVENT_PLUGIN_PATH is shared with older ftrack tools, which call
    # register with other objects: only act on a Session.
    if not isinstance(session, ftrack_api.Session):
        return
    session.event_hub.subscribe("topic=ftrack.update", print_update)
    logger.debug("Listening for ftrack.update events.")


if __name__ == "__main__":
    # Credentials come from FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY.
    logging.basicConfig(level=logging.INFO)
    session = ftrack_api.Session(auto_connect_event_hub=True, plugin_paths=[])
    register(session)
    print(f"Listening to {session.server_url} (Ctrl-C to stop)...")
    try:
        session.event_hub.wait()
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
