"""Scenario: the official client publishing a long image sequence and a container to ftrack.server.

Arguments: a folder holding ``shot.0001.exr`` … (the frames) and a folder
holding the container's member files (``*.bin``), both made by the test.

What it proves:
* ``session.create_component("…/shot.%04d.exr [1-N]", location=<ftrack.server>)``
  uploads every frame; the sequence is 100 % available there.
* A ``ContainerComponent`` whose members were made with
  ``create_component(..., location=None)`` and appended to ``members`` goes up
  with ``location.add_component(container, origin, recursive=True)``.
* Every member downloads with ``location.get_url`` (and the container's also
  through the accessor); the summary carries their MD5s for the test to check.
* ``location.remove_component`` deletes the bytes: each URL then answers 404.

Prints a JSON summary as its last stdout line.
"""

import hashlib
import json
import os
import sys

import requests

import ftrack_api
import ftrack_api.symbol

frames_folder, members_folder = sys.argv[1:3]
session = ftrack_api.Session()
location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
origin = session.get("Location", ftrack_api.symbol.ORIGIN_LOCATION_ID)
summary = {}


def md5(content):
    return hashlib.md5(content).hexdigest()


def fetch(url):
    response = requests.get(url, timeout=60)
    return response.status_code, md5(response.content)


# --- The sequence ------------------------------------------------------------------------------
frames = sorted(name for name in os.listdir(frames_folder) if name.startswith("shot."))
pattern = os.path.join(frames_folder, "shot.%04d.exr [1-{0}]".format(len(frames)))
sequence = session.create_component(pattern, data={"name": "conf_plate"}, location=location)
session.commit()
summary["sequence_type"] = sequence.entity_type
summary["sequence_availability"] = location.get_component_availability(sequence)
members = sorted(sequence["members"], key=lambda member: member["name"])
urls = [location.get_url(member) for member in members]
fetched = [fetch(url) for url in urls]
summary["sequence_statuses"] = sorted(set(status for status, _ in fetched))
summary["sequence_md5"] = dict((member["name"], digest) for member, (_, digest) in zip(members, fetched))
location.remove_component(sequence)
summary["sequence_after_remove"] = sorted(set(requests.get(url, timeout=60).status_code for url in urls))

# --- The container -----------------------------------------------------------------------------
container = session.create("ContainerComponent", {"name": "conf_bundle"})
for name in sorted(os.listdir(members_folder)):
    member = session.create_component(os.path.join(members_folder, name),
                                      data={"name": os.path.splitext(name)[0], "container": container},
                                      location=None)
    container["members"].append(member)
origin.add_component(container, members_folder, recursive=False)
location.add_component(container, origin, recursive=True)
summary["container_availability"] = location.get_component_availability(container)
members = sorted(container["members"], key=lambda member: member["name"])
urls = [location.get_url(member) for member in members]
fetched = [fetch(url) for url in urls]
summary["container_statuses"] = sorted(set(status for status, _ in fetched))
summary["container_md5"] = dict((member["name"], digest) for member, (_, digest) in zip(members, fetched))
summary["container_accessor_md5"] = dict(
    (member["name"], md5(location.accessor.open(member["id"], "rb").read())) for member in members)
location.remove_component(container, recursive=True)
summary["container_after_remove"] = sorted(set(requests.get(url, timeout=60).status_code for url in urls))
summary["container_entries_after_remove"] = len(session.query(
    "ComponentLocation where component_id in ({0})".format(
        ", ".join([container["id"]] + [member["id"] for member in members]))).all())

print(json.dumps(summary))
