// Official JS client: createComponent (single-part and multipart uploads),
// getComponentUrl, thumbnailUrl.
//
// Arguments: an image file made by the test.
//
// The client uploads with XMLHttpRequest and reads `window` (a browser API);
// under node both are stood in for by a small XMLHttpRequest built on fetch,
// and `window.FTRACK_UPLOAD_CHUNK_SIZE` (a setting the client reads) is made
// small so a 1 MiB file goes up in 16 parts.
//
// What it proves:
// * createComponent of a small file: [create FileComponent, get_upload_metadata]
//   then a PUT with the returned headers, then a ComponentLocation in
//   ftrack.server whose resource_identifier is the component id.
// * createComponent of a larger file: the multipart answer (upload_id, urls),
//   part PUTs answered with an ETag, complete_multipart_upload in the same
//   batch as the ComponentLocation.
// * getComponentUrl downloads the same bytes for both.
// * thumbnailUrl(id, {size}) answers a scaled image (returned base64 for the
//   test to measure); thumbnailUrl(null) is the /img/thumbnail2.png placeholder.
//
// Prints a JSON summary as its last stdout line.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { Session } from "@ftrack/api";

const CHUNK = 64 * 1024;
const sentUrls = [];

class FetchXMLHttpRequest {
  constructor() {
    this.readyState = 0;
    this.status = 0;
    this.timeout = 0;
    this.response = null;
    this.upload = { addEventListener() {} };
    this._headers = {};
    this._response = null;
    this._controller = new AbortController();
  }
  addEventListener() {}
  open(method, url) {
    this._method = method;
    this._url = url;
    this.readyState = 1;
  }
  setRequestHeader(name, value) {
    this._headers[name] = value;
  }
  getResponseHeader(name) {
    return this._response ? this._response.headers.get(name) : null;
  }
  abort() {
    this._controller.abort();
    if (this.onabort) this.onabort();
  }
  send(body) {
    sentUrls.push(this._url);
    fetch(this._url, { method: this._method, headers: this._headers, body, signal: this._controller.signal })
      .then(async (response) => {
        this._response = response;
        this.status = response.status;
        this.response = await response.text();
        this.readyState = 4;
        if (this.onreadystatechange) this.onreadystatechange();
        if (this.onload) this.onload();
      })
      .catch((error) => {
        if (error.name !== "AbortError" && this.onerror) this.onerror(error);
      });
  }
}

globalThis.XMLHttpRequest = FetchXMLHttpRequest;
globalThis.window = {
  navigator: { onLine: true },
  addEventListener() {},
  removeEventListener() {},
  FTRACK_UPLOAD_CHUNK_SIZE: CHUNK,
};

const [imagePath] = process.argv.slice(2);
const { FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY } = process.env;
const session = new Session(FTRACK_SERVER, FTRACK_API_USER, FTRACK_API_KEY, { autoConnectEventHub: false });
await session.initializing;

const md5 = (bytes) => createHash("md5").update(bytes).digest("hex");

async function publish(bytes, name) {
  const file = new File([bytes], name);
  sentUrls.length = 0;
  const [created, location, metadata] = await session.createComponent(file);
  const componentId = created.data.id;
  const url = session.getComponentUrl(componentId);
  const response = await fetch(url);
  assert.equal(response.status, 200, `download answered ${response.status}`);
  const downloaded = Buffer.from(await response.arrayBuffer());
  const entries = await session.query(
    `select resource_identifier, location_id from ComponentLocation where component_id is "${componentId}"`,
  );
  return {
    componentId,
    fileType: created.data.file_type,
    locationAction: location.action,
    multipart: "upload_id" in metadata,
    // The client empties metadata.urls as it goes: count the PUTs instead.
    parts: sentUrls.filter((url) => new URL(url).searchParams.has("part")).length,
    equal: md5(downloaded) === md5(bytes),
    resourceIdentifierIsId: entries.data.length === 1 && entries.data[0].resource_identifier === componentId,
    locationId: entries.data[0] && entries.data[0].location_id,
  };
}

const single = await publish(randomBytes(100 * 1024), "notes.txt");
const multipart = await publish(randomBytes(1024 * 1024 + 321), "plate.bin");
const image = await publish(readFileSync(imagePath), "frame.png");

const thumbnailResponse = await fetch(session.thumbnailUrl(image.componentId, { size: 64 }));
const thumbnail = Buffer.from(await thumbnailResponse.arrayBuffer());
const placeholderUrl = session.thumbnailUrl(null);
const placeholder = await fetch(placeholderUrl);
await placeholder.arrayBuffer();

console.log(JSON.stringify({
  single,
  multipart,
  image,
  thumbnail: {
    status: thumbnailResponse.status,
    type: thumbnailResponse.headers.get("content-type"),
    base64: thumbnail.toString("base64"),
  },
  placeholder: { url: placeholderUrl, status: placeholder.status, type: placeholder.headers.get("content-type") },
}));
