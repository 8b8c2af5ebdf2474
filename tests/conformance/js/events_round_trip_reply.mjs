// Official JS client: the last hop of test_events_round_trip.py.
//
// Subscribes to the topic process.argv[2] and answers every event with its
// data plus `js: true` (the subscriber's return value becomes the reply).
// Exits 1 s after the first event (so the reply, and the answer to a repeated
// event, get out), or fails after 20 s without one.
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";

import { Session } from "@ftrack/api";

const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;
const topic = process.argv[2];
const session = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, { autoConnectEventHub: true });
await session.initializing;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const got = [];
session.eventHub.subscribe(`topic=${topic}`, (event) => {
  got.push({ id: event.id, data: event.data, source: event.source });
  return { ...event.data, js: true };
});

const deadline = Date.now() + 20000;
while (got.length === 0 && Date.now() < deadline) await sleep(50);
assert.ok(got.length > 0, `no event arrived on ${topic}`);
await sleep(1000);
console.log(JSON.stringify({ got }));
process.exit(0);
