"""Scenario: publishing files to the ftrack.server location with the official client.

Arguments: a data file and an image file (made by the test), and a path where
the fetched thumbnail is written for the test to inspect.

What it proves:
* ``session.create_component(path, location=<ftrack.server>)`` uploads through
  ``get_upload_metadata`` + PUT (with Content-MD5) and registers a
  ``ComponentLocation`` whose resource identifier is the component id.
* ``location.get_url`` downloads the same bytes; the accessor reads them too;
  availability is 100 %.
* ``location.get_thumbnail_url(component, size)`` answers a scaled image.
* ``location.remove_component`` deletes the bytes: the URL then fails, and so
  does reading through the accessor.
* A sequence component goes up member by member; every member reads back.

Prints a JSON summary as its last stdout line.
"""

import hashlib
import json
import os
import sys
import tempfile

import requests

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol

data_path, image_path, thumbnail_out = sys.argv[1:4]
session = ftrack_api.Session()
location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
summary = {}

# --- A file ------------------------------------------------------------------------
component = session.create_component(data_path, data={"name": "conf_upload"}, location=location)
session.commit()
entry = session.query(
    "select resource_identifier, location_id from ComponentLocation where component_id is {0}".format(
        component["id"])).one()
summary["resource_identifier_is_component_id"] = entry["resource_identifier"] == component["id"]
summary["availability"] = location.get_component_availability(component)

url = location.get_url(component)
with open(data_path, "rb") as handle:
    expected = hashlib.md5(handle.read()).hexdigest()
downloaded = requests.get(url, timeout=60)
summary["download_status"] = downloaded.status_code
summary["download_equal"] = hashlib.md5(downloaded.content).hexdigest() == expected
summary["accessor_equal"] = hashlib.md5(
    location.accessor.open(component["id"], "rb").read()).hexdigest() == expected
ranged = requests.get(url, headers={"Range": "bytes=0-9"}, timeout=60)
with open(data_path, "rb") as handle:
    summary["range_ok"] = ranged.status_code == 206 and ranged.content == handle.read(10)

# --- An image and its thumbnail ---------------------------------------------------------
picture = session.create_component(image_path, data={"name": "conf_image"}, location=location)
session.commit()
thumbnail = requests.get(location.get_thumbnail_url(picture, size=120), timeout=60)
summary["thumbnail_status"] = thumbnail.status_code
summary["thumbnail_type"] = thumbnail.headers.get("content-type")
with open(thumbnail_out, "wb") as handle:
    handle.write(thumbnail.content)

# --- Remove -------------------------------------------------------------------------------
location.remove_component(component)
summary["after_remove_status"] = requests.get(url, timeout=60).status_code
try:
    location.accessor.open(component["id"], "rb").read()
    summary["read_after_remove"] = "succeeded"
except ftrack_api.exception.AccessorOperationFailedError:
    summary["read_after_remove"] = "failed"
summary["entries_after_remove"] = len(session.query(
    "ComponentLocation where component_id is {0}".format(component["id"])).all())

# --- A sequence ---------------------------------------------------------------------------
folder = tempfile.mkdtemp()
frames = {}
for frame in (1, 2, 3):
    path = os.path.join(folder, "shot.{0:04d}.dpx".format(frame))
    content = ("frame %d " % frame).encode() * (1000 + frame)
    with open(path, "wb") as handle:
        handle.write(content)
    frames[frame] = hashlib.md5(content).hexdigest()
sequence = session.create_component(os.path.join(folder, "shot.%04d.dpx [1-3]"), data={"name": "conf_seq"},
                                    location=location)
session.commit()
members = sorted(sequence["members"], key=lambda member: member["name"])
summary["members"] = len(members)
summary["members_equal"] = [
    hashlib.md5(requests.get(location.get_url(member), timeout=60).content).hexdigest() for member in members
] == [frames[1], frames[2], frames[3]]

print(json.dumps(summary))
