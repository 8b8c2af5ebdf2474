// Official JS client: wrong credentials make `session.initializing` reject.
//
// What it proves: the constructor's first batch is refused for a wrong API
// key and for an unknown user; `initializing` rejects with an error named
// ServerError (the server reports InvalidCredentialsError or similar, which
// the client maps to ServerError), later calls on that session reject too,
// and the right credentials still work.
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { Session } from "@ftrack/api";

const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return { name: error.name, message: error.message };
  }
  throw new Error("expected the request to be rejected");
}

const wrongKey = new Session(FTRACK_SERVER, FTRACK_API_USER, "wrong-key");
const wrongKeyError = await rejection(wrongKey.initializing);
assert.equal(wrongKeyError.name, "ServerError", JSON.stringify(wrongKeyError));
assert.equal(wrongKey.initialized, false);
const laterCallError = await rejection(wrongKey.query("select id from Project"));
assert.equal(laterCallError.name, "ServerError");

const unknownUser = new Session(FTRACK_SERVER, `nobody_${randomUUID().slice(0, 8)}`, FTRACK_API_KEY);
const unknownUserError = await rejection(unknownUser.initializing);
assert.equal(unknownUserError.name, "ServerError", JSON.stringify(unknownUserError));

const good = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY);
await good.initializing;
assert.equal(good.initialized, true);

console.log(JSON.stringify({ wrongKeyError, unknownUserError, laterCallError }));
