"""The session's file side: locations, components, uploads and media jobs.

A mixin of :class:`~ftrack_api.session.Session`, kept apart so the session
module stays about entities and the unit of work.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import Any

import ftrack_api.exception
from ftrack_api.event.base import Event
from ftrack_api.symbol import (
    ORIGIN_LOCATION_ID,
    REVIEW_LOCATION_ID,
    SERVER_LOCATION_ID,
    UNMANAGED_LOCATION_ID,
)

_REVIEW_NAMES = ("ftrackreview-mp4", "ftrackreview-webm", "ftrackreview-image")

#: ``head%04dtail [1-5, 7]``: an image sequence with the frames it holds.
_SEQUENCE = re.compile(
    r"^(?P<head>.*?)%(?P<zero>0?)(?P<width>\d*)d(?P<tail>[^\s]*)\s*\[(?P<ranges>[^\]]*)\]$")


class Sequence:
    """The frames of an image sequence path such as ``/f.%04d.exr [1-5, 7]``."""

    def __init__(self, head: str, padding: int, tail: str, indexes: list[int]):
        self.head = head
        self.padding = padding
        self.tail = tail
        self.indexes = indexes

    @classmethod
    def parse(cls, path: str) -> "Sequence | None":
        match = _SEQUENCE.match(path.strip())
        if match is None:
            return None
        indexes: list[int] = []
        for part in match.group("ranges").split(","):
            part = part.strip()
            if not part:
                continue
            start, _, end = part.partition("-")
            try:
                first, last = int(start), int(end or start)
            except ValueError:
                return None
            indexes.extend(range(first, last + 1))
        padding = int(match.group("width") or 0) if match.group("zero") else 0
        return cls(match.group("head"), padding, match.group("tail"), sorted(set(indexes)))

    def container_path(self) -> str:
        padding = f"%0{self.padding}d" if self.padding else "%d"
        return f"{self.head}{padding}{self.tail}"

    def index_text(self, index: int) -> str:
        return str(index).zfill(self.padding)

    def member_paths(self) -> list[tuple[str, str]]:
        """``(frame text, path)`` per frame."""
        return [(self.index_text(index), f"{self.head}{self.index_text(index)}{self.tail}")
                for index in self.indexes]


def _reporting(progress: Any) -> dict[str, Any]:
    """``progress=`` only when there is a callback, for add_component overrides without it."""
    return {"progress": progress} if progress is not None else {}


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class SessionFiles:
    """Location and component methods of the session."""

    # ------------------------------------------------------------------
    # Locations

    def _configure_locations(self) -> None:
        """Set up the built-in locations, the server's storage scenario and
        then let plugins configure theirs."""
        from ftrack_api.accessor.disk import DiskAccessor
        from ftrack_api.accessor.server import _ServerAccessor
        from ftrack_api.entity.location import (
            OriginLocationMixin,
            ServerLocationMixin,
            UnmanagedLocationMixin,
        )
        from ftrack_api._mixin import mixin
        from ftrack_api.structure.entity_id import EntityIdStructure
        from ftrack_api.structure.origin import OriginStructure

        built_in = (
            ("ftrack.origin", ORIGIN_LOCATION_ID, OriginLocationMixin,
             lambda: DiskAccessor(prefix=""), OriginStructure, 100),
            ("ftrack.unmanaged", UNMANAGED_LOCATION_ID, UnmanagedLocationMixin,
             lambda: DiskAccessor(prefix=""), OriginStructure, 90),
            ("ftrack.review", REVIEW_LOCATION_ID, UnmanagedLocationMixin,
             lambda: DiskAccessor(prefix=""), OriginStructure, 110),
            ("ftrack.server", SERVER_LOCATION_ID, ServerLocationMixin,
             lambda: _ServerAccessor(self), EntityIdStructure, 150),
        )
        for name, location_id, location_mixin, accessor, structure, priority in built_in:
            location = self.create("Location", {"id": location_id, "name": name},  # type: ignore[attr-defined]
                                   reconstructing=True)
            mixin(location, location_mixin, name=f"{location_mixin.__name__[:-5]}Location")
            location.accessor = accessor()
            location.structure = structure()
            location.priority = priority

        scenario = self._server_information.get("storage_scenario")  # type: ignore[attr-defined]
        if isinstance(scenario, dict) and scenario.get("scenario"):
            self.event_hub.publish(Event(  # type: ignore[attr-defined]
                topic="ftrack.storage-scenario.activate",
                data={"storage_scenario": scenario}), synchronous=True)
        self.event_hub.publish(Event(  # type: ignore[attr-defined]
            topic="ftrack.api.session.configure-location", data={"session": self}),
            synchronous=True)

    def _register_storage_scenario_handler(self) -> None:
        self.event_hub.subscribe(  # type: ignore[attr-defined]
            "topic=ftrack.storage-scenario.activate and "
            "data.storage_scenario.scenario=ftrack.centralized-storage",
            self._activate_centralized_storage)

    def _activate_centralized_storage(self, event: Any) -> None:
        """Configure the location the server's centralized storage scenario names."""
        from ftrack_api.accessor.disk import DiskAccessor
        from ftrack_api.structure.standard import StandardStructure

        scenario = event["data"]["storage_scenario"]
        try:
            data = scenario["data"]
            location_id = data["location_id"]
            mount_points = data["accessor"]["mount_points"]
        except (KeyError, TypeError) as error:
            raise ftrack_api.exception.LocationError(
                "Unable to read the centralized storage scenario: {error}",
                details={"error": repr(error)}) from None
        platform = {"darwin": "osx", "win32": "windows"}.get(sys.platform, "linux")
        prefix = mount_points.get(platform)
        if not prefix:
            raise ftrack_api.exception.LocationError(
                "The centralized storage scenario has no mount point for {platform}.",
                details={"platform": platform})
        location = self.get("Location", location_id)  # type: ignore[attr-defined]
        if location is None:
            raise ftrack_api.exception.LocationError(
                "The centralized storage location {location_id} does not exist.",
                details={"location_id": location_id})
        location.accessor = DiskAccessor(prefix=prefix)
        location.structure = StandardStructure()
        location.priority = 1

    def _get_locations(self, filter_inaccessible: bool = True) -> list[Any]:
        locations = self.query("Location").all()  # type: ignore[attr-defined]
        if filter_inaccessible:
            locations = [location for location in locations if location.accessor]
        return sorted(locations, key=lambda location: location.priority)

    def pick_location(self, component: Any = None) -> Any:
        """The preferred accessible location (holding *component*, when given)."""
        if component is None:
            locations = self._get_locations()
            return locations[0] if locations else None
        return self.pick_locations([component])[0]

    def pick_locations(self, components: Iterable[Any]) -> list[Any]:
        """For each component, the preferred accessible location holding it."""
        components = list(components)
        locations = self._get_locations()
        availabilities = self.get_component_availabilities(components, locations=locations)
        result = []
        for availability in availabilities:
            for location in locations:
                if availability.get(location["id"], 0.0) > 0.0:
                    result.append(location)
                    break
            else:
                result.append(None)
        return result

    # ------------------------------------------------------------------
    # Components

    def _file_type(self, path: str) -> str:
        replies = self.event_hub.publish(Event(  # type: ignore[attr-defined]
            topic="ftrack.api.session.get-file-type-from-string",
            data={"file_path": path}), synchronous=True)
        for reply in replies or []:
            if reply:
                return reply
        return os.path.splitext(path)[-1]

    def create_component(self, path: str, data: dict[str, Any] | None = None,
                         location: Any = "auto", *, progress: Any = None) -> Any:
        """A component for the file, image sequence (``/f.%04d.exr [1-10]``)
        at *path*, registered in origin and added to *location*.

        *progress* (``progress(component, transferred_bytes, total_bytes)``)
        follows the data into *location*; see ``Location.add_components``.
        """
        data = dict(data or {})
        if location == "auto":
            if data.get("name") in _REVIEW_NAMES:
                location = self.get("Location", REVIEW_LOCATION_ID)  # type: ignore[attr-defined]
            else:
                location = self.pick_location()
        sequence = Sequence.parse(path)
        if sequence is None:
            data.setdefault("size", _size(path))
            data.setdefault("file_type", self._file_type(path))
            return self._create_component("FileComponent", path, data, location, progress)

        members = sequence.member_paths()
        sizes: dict[str, int] = {}
        if data.get("size") is not None:
            if members:
                share = int(round(data["size"] / len(members)))
                sizes = {member: share for _, member in members}
        else:
            sizes = {member: _size(member) for _, member in members}
            data["size"] = sum(sizes.values())
        container_path = sequence.container_path()
        file_type = self._file_type(container_path)
        data.setdefault("padding", sequence.padding)
        data.setdefault("file_type", file_type)
        container = self._create_component("SequenceComponent", container_path, data, None)
        for index_text, member_path in members:
            member = self._create_component("FileComponent", member_path, {
                "name": index_text, "container": container,
                "size": sizes.get(member_path, 0), "file_type": file_type,
            }, None)
            container["members"].append(member)
        if location:
            origin = self.get("Location", ORIGIN_LOCATION_ID)  # type: ignore[attr-defined]
            location.add_component(container, origin, recursive=True, **_reporting(progress))
        return container

    def _create_component(self, entity_type: str, path: str, data: dict[str, Any],
                          location: Any, progress: Any = None) -> Any:
        component = self.create(entity_type, data)  # type: ignore[attr-defined]
        origin = self.get("Location", ORIGIN_LOCATION_ID)  # type: ignore[attr-defined]
        origin.add_component(component, path, recursive=False)
        if location:
            location.add_component(component, origin, recursive=False, **_reporting(progress))
        return component

    def get_component_availability(self, component: Any, locations: Any = None) -> dict:
        """``{location id: percent}`` for *component*."""
        return self.get_component_availabilities([component], locations=locations)[0]

    def get_component_availabilities(self, components: Iterable[Any],
                                     locations: Any = None) -> list[dict[str, float]]:
        """``{location id: percent}`` per component; containers average their members."""
        components = list(components)
        if locations is None:
            locations = self.query("Location").all()  # type: ignore[attr-defined]
        containers = [component for component in components if "members" in component.keys()]
        files = [component for component in components if "members" not in component.keys()]
        if files:
            self.populate(files, "component_locations.location_id")  # type: ignore[attr-defined]
        if containers:
            self.populate(containers, "members, component_locations.location_id")  # type: ignore[attr-defined]
        base = {location["id"]: 0.0 for location in locations}
        result = []
        for component in components:
            availability = dict(base)
            members = component["members"] if "members" in component.keys() else None
            if members:
                share = 1.0 / len(members)
                for member_availability in self.get_component_availabilities(
                        members, locations=locations):
                    for location_id, percent in member_availability.items():
                        availability[location_id] += percent * share
            else:
                for component_location in component["component_locations"]:
                    location_id = component_location["location_id"]
                    if location_id in availability:
                        availability[location_id] = 100.0
            result.append({location_id: max(0.0, min(round(percent, 9), 100.0))
                           for location_id, percent in availability.items()})
        return result

    # ------------------------------------------------------------------
    # Server file actions

    def get_upload_metadata(self, component_id: str, file_name: str, file_size: int,
                            checksum: str | None = None) -> dict[str, Any]:
        """``{"url", "headers"}`` for uploading a component's file with HTTP PUT."""
        return self._compatible_call({  # type: ignore[attr-defined]
            "action": "get_upload_metadata", "component_id": component_id,
            "file_name": file_name, "file_size": file_size, "checksum": checksum,
        })

    def encode_media(self, media: Any, version_id: str | None = None,
                     keep_original: Any = "auto") -> Any:
        """A server job making browser-playable versions of *media* (a path or a
        FileComponent in ``ftrack.server``)."""
        if isinstance(media, str):
            if keep_original == "auto":
                keep_original = False
            data = {"version_id": version_id} if keep_original else None
            server = self.get("Location", SERVER_LOCATION_ID)  # type: ignore[attr-defined]
            component = self.create_component(media, data=data, location=server)
            self.commit()  # type: ignore[attr-defined]
        elif getattr(media, "entity_type", None) == "FileComponent":
            component = media
            if keep_original == "auto":
                keep_original = True
        else:
            raise ValueError("Unable to encode media: expected a file path or a "
                             "FileComponent.")
        result = self._compatible_call({  # type: ignore[attr-defined]
            "action": "encode_media", "component_id": component["id"],
            "version_id": version_id, "keep_original": keep_original,
        })
        return self.get("Job", result["job_id"])  # type: ignore[attr-defined]

