// Official JS client: session start-up, query, create, update, delete, errors.
//
// What it proves:
// * `new Session(url, user, key)` + `await session.initializing` works: the
//   constructor's single batch [query_server_information, query_schemas]
//   is answered, and `getSchema("Task")` finds the Task schema.
// * `query` returns {action, data, metadata}; `create` of a Project with only
//   name, full_name and project_schema_id works (the JS client sends no id,
//   so the server fills it and every other default); `update` with a key
//   list and with a bare-string key; the values read back; `delete` answers
//   data === true and the project (and a child created through it) is gone.
// * One `call` with [create, query] runs in order: the query sees the entity
//   created just before it in the same batch (the child is given by
//   `parent_id`, the plain foreign-key form).
// * Bad queries reject with an error named ServerError or
//   ServerValidationError.
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { Session, operation } from "@ftrack/api";

const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;
const session = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, {
  autoConnectEventHub: false,
});
await session.initializing;
assert.equal(session.initialized, true);
assert.ok(session.serverInformation.version, "server information has no version");

// --- Schemas ---------------------------------------------------------------
const taskSchema = session.getSchema("Task");
assert.ok(taskSchema, "getSchema('Task') returned null");
assert.deepEqual(taskSchema.primary_key, ["id"]);
assert.equal(session.getSchema("NoSuchEntityType"), null);

// --- Query -----------------------------------------------------------------
const projects = await session.query("select id, name from Project");
assert.equal(projects.action, "query");
assert.ok(Array.isArray(projects.data));
assert.ok(projects.metadata && "next" in projects.metadata, "query result lacks metadata.next");

const projectSchemas = await session.query("select id, name from ProjectSchema");
assert.ok(projectSchemas.data.length > 0, "no ProjectSchema on the server");
const projectSchemaId = projectSchemas.data[0].id;

// --- Create ----------------------------------------------------------------
const suffix = randomUUID().slice(0, 8);
const name = `conf_js_${suffix}`;
const created = await session.create("Project", {
  name,
  full_name: `Conformance JS ${suffix}`,
  project_schema_id: projectSchemaId,
});
assert.equal(created.action, "create");
const project = created.data;
assert.equal(project.__entity_type__, "Project");
assert.ok(project.id, "create result has no id");
assert.equal(project.name, name);

const listed = await session.query("select id, name from Project");
assert.ok(
  listed.data.some((item) => item.id === project.id),
  "new project missing from 'select id, name from Project'",
);

// --- Update ----------------------------------------------------------------
const updated = await session.update("Project", [project.id], { full_name: "x" });
assert.equal(updated.action, "update");
assert.equal(updated.data.__entity_type__, "Project");
let readBack = await session.query(
  `select name, full_name, project_schema_id from Project where id is "${project.id}"`,
);
assert.equal(readBack.data.length, 1);
assert.equal(readBack.data[0].full_name, "x");
assert.equal(readBack.data[0].name, name);
assert.equal(readBack.data[0].project_schema_id, projectSchemaId);

await session.update("Project", project.id, { full_name: "y" }); // bare-string key
readBack = await session.query(`select full_name from Project where id is "${project.id}"`);
assert.equal(readBack.data[0].full_name, "y");

// --- One batch: create, then query what was created -----------------------------
const sequenceId = randomUUID();
const [sequenceCreated, sequenceQueried] = await session.call([
  operation.create("Sequence", { id: sequenceId, name: "sq010", parent_id: project.id }),
  operation.query(`select name, parent_id from Sequence where id is "${sequenceId}"`),
]);
assert.equal(sequenceCreated.action, "create");
assert.equal(sequenceCreated.data.__entity_type__, "Sequence");
assert.equal(sequenceCreated.data.id, sequenceId);
assert.equal(sequenceQueried.data.length, 1);
assert.equal(sequenceQueried.data[0].parent_id, project.id);

// --- Delete ----------------------------------------------------------------
const deleted = await session.delete("Project", [project.id]);
assert.equal(deleted.action, "delete");
assert.equal(deleted.data, true);
const gone = await session.query(`select id from Project where id is "${project.id}"`);
assert.equal(gone.data.length, 0, "project still there after delete");
const goneChild = await session.query(`select id from Sequence where id is "${sequenceId}"`);
assert.equal(goneChild.data.length, 0, "sequence survived its project's delete");

// --- Errors ------------------------------------------------------------------
async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return { name: error.name, message: error.message, errorCode: error.errorCode ?? null };
  }
  throw new Error("expected the request to be rejected");
}
const errors = {
  unknownAttribute: await rejection(session.query("select no_such_attribute from Project")),
  unknownType: await rejection(session.query("select id from NoSuchEntityType")),
  syntax: await rejection(session.query("select id from Project where")),
};
for (const [label, error] of Object.entries(errors)) {
  assert.ok(
    ["ServerError", "ServerValidationError"].includes(error.name),
    `${label}: unexpected error class ${error.name}: ${error.message}`,
  );
}

console.log(
  JSON.stringify({
    serverVersion: session.serverInformation.version,
    taskPrimaryKey: taskSchema.primary_key,
    projectId: project.id,
    createdName: project.name,
    fullNameAfterUpdate: "y",
    deleted: deleted.data,
    errors,
  }),
);
