// Official JS client: its event hub through our server.
//
// What it proves:
// * `autoConnectEventHub: true` connects (handshake with api_user/api_key in
//   the query string, then the websocket).
// * A subscriber gets the hub's own event and its return value comes back as
//   the reply of `publishAndWaitForReply`.
// * `ftrack.update` arrives after `session.create`, carrying the session's
//   `clientToken` (sent by the client as the `ftrack-Clienttoken` header).
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { Event, Session } from "@ftrack/api";

const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;
const session = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, { autoConnectEventHub: true });
await session.initializing;

const topic = `conformance.js.${randomUUID().slice(0, 8)}`;
const got = [];
const updates = [];
session.eventHub.subscribe(`topic=${topic}`, (event) => {
  got.push(event.data);
  return { echo: event.data.n };
});
session.eventHub.subscribe("topic=ftrack.update", (event) => updates.push(event));

// One round trip on the socket: the subscriptions sent before it are registered.
const reply = await session.eventHub.publishAndWaitForReply(new Event(topic, { n: 7 }), { timeout: 15 });
assert.deepEqual(reply.data, { echo: 7 });
assert.deepEqual(got, [{ n: 7 }]);

const schema = (await session.query("select id from ProjectSchema limit 1")).data[0];
const created = await session.create("Project", {
  name: `conf_js_events_${randomUUID().slice(0, 8)}`,
  full_name: "events",
  project_schema_id: schema.id,
});
const projectId = created.data.id;
const deadline = Date.now() + 15000;
let update;
while (!update && Date.now() < deadline) {
  update = updates.find((event) => event.data.entities.some((entity) => entity.entityId === projectId));
  if (!update) await new Promise((resolve) => setTimeout(resolve, 100));
}
assert.ok(update, "no ftrack.update for the created project");

console.log(JSON.stringify({
  reply: reply.data,
  replyInReplyTo: reply.inReplyToEvent,
  got,
  clientToken: session.clientToken,
  updateClientToken: update.data.clientToken,
  updateSourceToken: update.source.clientToken,
  updateEntity: update.data.entities.find((entity) => entity.entityId === projectId),
  updateUser: update.source.user.username,
}));
process.exit(0);
