// Environment check: the official @ftrack/api package resolves from this script.
//
// Needs no server. Proves that `import { Session } from "@ftrack/api"` works
// for scenario scripts (they are staged next to the private node_modules) and
// reports the installed version and the Node.js features the client relies on.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Session, operation } from "@ftrack/api";

// The package does not export its package.json; walk up from its entry point.
let directory = dirname(fileURLToPath(import.meta.resolve("@ftrack/api")));
while (!directory.endsWith(join("@ftrack", "api"))) {
  directory = dirname(directory);
}
const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"));

console.log(
  JSON.stringify({
    version: manifest.version,
    sessionIsClass: typeof Session === "function",
    hasOperationHelpers: typeof operation.create === "function",
    node: process.version,
    globalFetch: typeof fetch === "function",
  }),
);
