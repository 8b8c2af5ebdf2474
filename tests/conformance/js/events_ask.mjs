// Official JS client asks, an official Python hub (python/events_responder.py) answers.
//
// The topic is process.argv[2]. The responder may still be starting, so the
// question is repeated (with a short reply timeout) until an answer comes.
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";

import { Event, Session } from "@ftrack/api";

const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;
const topic = process.argv[2];
const session = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, { autoConnectEventHub: true });
await session.initializing;

let reply;
let attempts = 0;
const deadline = Date.now() + 60000;
while (!reply && Date.now() < deadline) {
  attempts += 1;
  try {
    reply = await session.eventHub.publishAndWaitForReply(new Event(topic, { question: "ping" }), { timeout: 2 });
  } catch (error) {
    if (error.name !== "EventServerReplyTimeoutError") throw error;
  }
}
assert.ok(reply, "no answer from the Python hub");
console.log(JSON.stringify({ reply: reply.data, replySource: reply.source, attempts }));
process.exit(0);
