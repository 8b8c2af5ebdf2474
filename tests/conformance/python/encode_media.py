"""Scenario: ``session.encode_media`` with the official client.

Argument: a short movie file made by the test.

What it proves:
* ``session.encode_media(path)`` uploads the file to ftrack.server, asks for
  ``encode_media`` and gets a ``Job`` back (the client reads it by id).
* The job finishes ``done``; ``Job.data`` is a JSON string naming an MP4 and a
  JPEG component, both readable through the server location.
* ``version.encode_media(component)`` attaches the outputs to the version.

Prints a JSON summary as its last stdout line.
"""

import json
import os
import sys
import time

import ftrack_api
import ftrack_api.symbol

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _scenario import new_tree  # noqa: E402

movie = sys.argv[1]
session = ftrack_api.Session()
location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)


def wait(job):
    """The job once finished, re-read from the server every 0.2 s."""
    deadline = time.time() + 60
    while True:
        reader = ftrack_api.Session(auto_connect_event_hub=False)
        current = reader.query("select status, data from Job where id is {0}".format(job["id"])).one()
        if current["status"] in ("done", "failed") or time.time() > deadline:
            return current
        reader.close()
        time.sleep(0.2)


summary = {}
job = session.encode_media(movie)
summary["job_type"] = job.entity_type
job = wait(job)
summary["status"] = job["status"]
data = json.loads(job["data"])
summary["formats"] = [output["format"] for output in data["output"]]
summary["keep_original"] = data["keep_original"]
readable = []
for output in data["output"]:
    component = session.get("FileComponent", output["component_id"])
    readable.append(len(location.accessor.open(component["id"], "rb").read()) > 0)
summary["readable"] = readable

tree = new_tree(session, "encode", "review")
asset_type = session.query("AssetType").first()
asset = session.create("Asset", {"name": "clip", "type": asset_type, "parent": tree.shot})
version = session.create("AssetVersion", {"asset": asset, "task": tree.task})
source = session.create_component(movie, data={"name": "source"}, location=location)
session.commit()
job = wait(version.encode_media(source))
data = json.loads(job["data"])
on_version = session.query(
    "select name from FileComponent where version_id is {0}".format(version["id"])).all()
summary["version_status"] = job["status"]
summary["version_components"] = sorted(component["name"] for component in on_version)
print(json.dumps(summary))
