"""Scenario (official Python client): ask a question on the topic argv[1] and wait for the answer.

Run by ``test_events_round_trip.py`` beside a relay running our client
(``events_round_trip_relay.py``) and an official JavaScript responder
(``js/events_round_trip_reply.mjs``). The relay may still be starting, so the
question is published again every 2 s until a reply arrives (20 s at most).

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import time
import uuid

import ftrack_api
from ftrack_api.event.base import Event

topic = sys.argv[1]
session = ftrack_api.Session(auto_connect_event_hub=False)
hub = session.event_hub
hub.connect()

question = {"question": "ping", "nonce": uuid.uuid4().hex}
asked = []
replies = []
deadline = time.time() + 20
next_ask = 0.0
while not replies and time.time() < deadline:
    if time.time() >= next_ask:
        event = Event(topic, data=dict(question))
        hub.publish(event, on_reply=replies.append)
        asked.append(event["id"])
        next_ask = time.time() + 2.0
    hub.wait(0.1)
assert replies, f"no reply to {len(asked)} question(s) on {topic}"

reply = replies[0]
summary = {
    "hub_id": hub.id,
    "question": question,
    "asked": asked,
    "reply": {
        "topic": reply["topic"],
        "data": reply["data"],
        "source": reply["source"],
        "target": reply["target"],
        "in_reply_to_event": reply["in_reply_to_event"],
    },
}
session.close()
print(json.dumps(summary, sort_keys=True))
