"""One file-transfer step, timed inside the process of the client under test.

benchmarks/files.py runs this file once per (step, client, repetition) with the
interpreter of the client under test (the official client's venv or ours),
``python -I`` from a scratch directory, so whichever ``ftrack_api`` that
interpreter has is the one measured. Only the public API is used.

    python -I _files_workload.py '<json spec>'

Steps:

* ``upload``: ``session.create_component(path, location=<ftrack.server>)`` and
  ``commit()``: the client reads the file, checksums it, and PUTs it.
* ``download_accessor``: ``location.accessor.open(id, "rb")`` read in 1 MiB
  chunks into a file.
* ``download_url``: ``location.get_url(component)`` streamed into a file
  with the standard library (``urllib.request`` + ``shutil.copyfileobj``),
  the same code for both clients.
* ``remove``: ``location.remove_component(component)`` (not timed, frees the disk).

Each timed step first does the same on a small file, so imports and first
calls are not timed. The server and credentials come from ``FTRACK_SERVER``,
``FTRACK_API_USER`` and ``FTRACK_API_KEY``. The last line of stdout is one JSON
document: ``{"ok": true, ...}`` or ``{"ok": false, "error": traceback}``.
"""

import hashlib
import json
import os
import shutil
import sys
import time
import traceback
import urllib.request

import ftrack_api
import ftrack_api.symbol

CHUNK = 1024 * 1024


def new_session(spec):
    return ftrack_api.Session(schema_cache_path=spec["schema_cache"], plugin_paths=[],
                              auto_connect_event_hub=False)


def server_location(session):
    return session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _publish(session, path, name):
    component = session.create_component(path, data={"name": name}, location=server_location(session))
    session.commit()
    return component


def upload(spec):
    session = new_session(spec)
    warm = _publish(session, spec["warm_up_file"], "bench_warm_up")
    server_location(session).remove_component(warm)
    started = time.perf_counter()
    component = _publish(session, spec["file"], "bench_{0}".format(spec["client"]))
    seconds = time.perf_counter() - started
    session.close()
    return {"seconds": seconds, "component_id": component["id"]}


def _read_accessor(session, component_id, target):
    data = server_location(session).accessor.open(component_id, "rb")
    with open(target, "wb") as handle:
        for block in iter(lambda: data.read(CHUNK), b""):
            handle.write(block)
    data.close()


def _stream_url(session, component, target):
    """Stream the component's URL into *target*, with the standard library for both clients."""
    url = server_location(session).get_url(component)
    with urllib.request.urlopen(url, timeout=300) as response, open(target, "wb") as handle:
        shutil.copyfileobj(response, handle, CHUNK)


def download(spec, how):
    session = new_session(spec)
    fetch = {"accessor": lambda component, target: _read_accessor(session, component["id"], target),
             "url": lambda component, target: _stream_url(session, component, target)}[how]
    warm = _publish(session, spec["warm_up_file"], "bench_warm_up")
    fetch(warm, spec["target"])
    server_location(session).remove_component(warm)
    os.remove(spec["target"])
    component = session.get("FileComponent", spec["component_id"])
    started = time.perf_counter()
    fetch(component, spec["target"])
    seconds = time.perf_counter() - started
    found = {"seconds": seconds, "size": os.path.getsize(spec["target"])}
    if spec.get("verify"):
        found["md5"] = md5_of(spec["target"])
    os.remove(spec["target"])
    session.close()
    return found


def remove(spec):
    session = new_session(spec)
    location = server_location(session)
    location.remove_component(session.get("FileComponent", spec["component_id"]))
    session.close()
    return {}


STEPS = {
    "upload": upload,
    "download_accessor": lambda spec: download(spec, "accessor"),
    "download_url": lambda spec: download(spec, "url"),
    "remove": remove,
}


def main():
    spec = json.loads(sys.argv[1])
    try:
        found = {"ok": True}
        found.update(STEPS[spec["step"]](spec))
    except Exception:  # noqa: BLE001  (any failure is reported; the caller prints it and goes on)
        found = {"ok": False, "error": traceback.format_exc()}
    found["ftrack_api"] = getattr(ftrack_api, "__version__", "?")
    sys.stdout.flush()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
