"""Scenario: the official client's event hub through our server.

What it proves:
* ``session.event_hub.connect()`` completes the socket.io handshake and the
  websocket upgrade; the hub reports itself connected.
* A subscriber receives the hub's own published event (the round trip
  through the server is the only path), once even with two matching
  subscribers on one hub; a data filter is honoured.
* A callback's return value comes back as a reply to ``on_reply``.
* A targeted event reaches only the subscriber whose metadata matches.
* ``ftrack.update`` arrives after a commit, naming the created entities.
* After ``unsubscribe``, events stop; acks of every kind are well formed:
  the client logs no warning or error about them, and its receive thread
  survives (otherwise ``wait`` would deliver nothing).

Prints a JSON summary as its last stdout line.
"""

import json
import logging
import time
import uuid

import ftrack_api
from ftrack_api.event.base import Event


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append("%s: %s" % (record.name, record.getMessage()))


problems = Collect()
logging.getLogger("ftrack_api").addHandler(problems)
logging.getLogger("ftrack_api").setLevel(logging.WARNING)

session = ftrack_api.Session(auto_connect_event_hub=False)
hub = session.event_hub
hub.connect()
assert hub.connected

topic = "conformance.python.%s" % uuid.uuid4().hex[:8]
seen = {"plain": [], "filtered": [], "targeted": [], "other_target": [], "updates": [], "replies": []}


def plain(event):
    seen["plain"].append(event["data"]["n"])
    return {"echo": event["data"]["n"]}


hub.subscribe("topic=%s" % topic, plain)
hub.subscribe("topic=%s and data.kind=special" % topic, lambda e: seen["filtered"].append(e["data"]["n"]))
target_id = hub.subscribe("topic=%s.targeted" % topic, lambda e: seen["targeted"].append(e["data"]["n"]),
                          subscriber={"id": "conformance-target-%s" % uuid.uuid4().hex[:6]})
hub.subscribe("topic=%s.targeted" % topic, lambda e: seen["other_target"].append(e["data"]["n"]))
hub.subscribe("topic=ftrack.update", lambda e: seen["updates"].append(e))


def wait_until(condition, timeout=15.0):
    deadline = time.time() + timeout
    while not condition() and time.time() < deadline:
        hub.wait(0.1)
    return condition()


hub.publish(Event(topic, data={"n": 1}), on_reply=lambda e: seen["replies"].append(e["data"]))
hub.publish(Event(topic, data={"n": 2, "kind": "special"}))
hub.publish(Event("%s.targeted" % topic, data={"n": 3}, target="id=%s" % target_id))
assert wait_until(lambda: len(seen["plain"]) >= 2 and seen["targeted"] and seen["replies"])

# A commit from this session: the server announces it.
schema = session.query("ProjectSchema").first()
project = session.create("Project", {
    "name": "conf_events_%s" % uuid.uuid4().hex[:8], "full_name": "events", "project_schema": schema,
})
session.commit()
assert wait_until(lambda: any(
    entity["entityId"] == project["id"] for event in seen["updates"] for entity in event["data"]["entities"]))
update = next(e for e in seen["updates"]
              if any(entity["entityId"] == project["id"] for entity in e["data"]["entities"]))

hub.unsubscribe(target_id)
hub.publish(Event("%s.targeted" % topic, data={"n": 4}, target="id=%s" % target_id))
hub.publish(Event(topic, data={"n": 5}))
assert wait_until(lambda: 5 in seen["plain"])
hub.wait(0.3)

session.close()
print(json.dumps({
    "plain": seen["plain"],
    "filtered": seen["filtered"],
    "targeted": seen["targeted"],
    "other_target": seen["other_target"],
    "replies": seen["replies"],
    "update_entity": [e for e in update["data"]["entities"] if e["entityId"] == project["id"]][0],
    "update_keys": sorted(update.keys()),
    "problems": problems.messages,
}, default=str, sort_keys=True))
