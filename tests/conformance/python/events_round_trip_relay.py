"""Scenario (our client): relay a question from topic argv[1] to topic argv[2] and answer with the reply.

The middle of ``test_events_round_trip.py``: the first event on argv[1] (from
the official Python client) is forwarded as a new event on argv[2] with an
``on_reply``; the first reply to that (from the official JavaScript client)
is sent back to the original publisher with ``publish_reply``, carrying both
the question and the JavaScript answer. The responder may still be starting,
so the forwarded event is published again every 1.5 s until it answers (20 s
at most).

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import time

import ftrack_api
from ftrack_api.event.base import Event

ask_topic, relay_topic = sys.argv[1], sys.argv[2]
session = ftrack_api.Session(auto_connect_event_hub=False)
hub = session.event_hub
hub.connect()

state = {"question": None, "questions": 0, "js_reply": None, "answered": False}
forwarded = []


def on_question(event):
    state["questions"] += 1
    if state["question"] is None:
        state["question"] = event
    # Answered later, once the JavaScript client has replied.


def on_js_reply(event):
    if state["js_reply"] is not None:
        return
    state["js_reply"] = event
    question = state["question"]
    hub.publish_reply(question, data={"relay": "openftrack", "question": question["data"], "js": event["data"]})
    state["answered"] = True


hub.subscribe(f"topic={ask_topic}", on_question)
deadline = time.time() + 20
next_forward = 0.0
while not state["answered"] and time.time() < deadline:
    if state["question"] is not None and time.time() >= next_forward:
        event = Event(relay_topic, data={"relayed": state["question"]["data"], "from": "openftrack"})
        hub.publish(event, on_reply=on_js_reply)
        forwarded.append(event["id"])
        next_forward = time.time() + 1.5
    hub.wait(0.1)
assert state["question"] is not None, f"no question arrived on {ask_topic}"
assert state["answered"], f"no reply from the JavaScript client to {len(forwarded)} event(s) on {relay_topic}"
hub.wait(0.5)

question, js_reply = state["question"], state["js_reply"]
summary = {
    "hub_id": hub.id,
    "client": ftrack_api.__file__,
    "questions": state["questions"],
    "question": {"id": question["id"], "data": question["data"], "source": question["source"]},
    "forwarded": forwarded,
    "js_reply": {
        "topic": js_reply["topic"],
        "data": js_reply["data"],
        "source": js_reply["source"],
        "in_reply_to_event": js_reply["in_reply_to_event"],
    },
}
session.close()
print(json.dumps(summary, sort_keys=True))
