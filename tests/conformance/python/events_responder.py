"""Scenario helper: an official Python hub that answers one event on the topic given as argv[1].

Run beside ``js/events_ask.mjs``: the JavaScript client asks, this hub
replies through our server. Exits after answering (or fails after 60 s).

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import time

import ftrack_api

topic = sys.argv[1]
session = ftrack_api.Session(auto_connect_event_hub=False)
session.event_hub.connect()
asked = []


def answer(event):
    asked.append({"data": event["data"], "source": event["source"]})
    return {"from": "python", "echo": event["data"]}


session.event_hub.subscribe("topic=%s" % topic, answer)
deadline = time.time() + 60
while not asked and time.time() < deadline:
    session.event_hub.wait(0.1)
assert asked, "no question arrived"
session.event_hub.wait(0.5)
session.close()
print(json.dumps({"asked": asked}, sort_keys=True))
