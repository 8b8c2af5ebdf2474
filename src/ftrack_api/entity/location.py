"""Locations: where component data lives and how to reach it."""

from __future__ import annotations

import collections.abc
import contextvars
import functools
import inspect
import os
from collections.abc import Callable
from typing import Any

import ftrack_api.exception
from ftrack_api.entity.base import DynamicEntityTypeMetaclass, Entity, _EntityBase
from ftrack_api.event.base import Event
from ftrack_api.symbol import (
    CHUNK_SIZE,
    COMPONENT_ADDED_TO_LOCATION_TOPIC,
    COMPONENT_REMOVED_FROM_LOCATION_TOPIC,
    NOT_SET,
)

#: ``progress(component, transferred_bytes, total_bytes)``: how far the data
#: of one component got on its way to a location (see ``Location.add_components``).
ProgressCallback = Callable[[Any, int, "int | None"], None]

# The callback of the add_components call running in this context. _add_data
# reads it from here, so overrides keep the official three-argument signature.
_PROGRESS: contextvars.ContextVar[ProgressCallback | None] = contextvars.ContextVar(
    "ftrack_api_location_progress", default=None)


def _is_container(component: Any) -> bool:
    return "members" in component.attributes._by_name


def _takes_progress(accessor: Any) -> bool:
    """Whether *accessor*'s ``open`` reports progress itself (the server accessor does)."""
    try:
        return "progress" in inspect.signature(accessor.open).parameters
    except (TypeError, ValueError):
        return False


def _local_file(accessor: Any, resource_identifier: str) -> str | None:
    """The path of *resource_identifier* when it is a file on a local filesystem."""
    try:
        path = accessor.get_filesystem_path(resource_identifier)
    except Exception:
        return None
    return path if isinstance(path, str) and os.path.isfile(path) else None


def _source_size(accessor: Any, resource_identifier: str, data: Any) -> int | None:
    """The size of the data about to be read, when it can be known beforehand."""
    path = _local_file(accessor, resource_identifier)
    if path is not None:
        return os.path.getsize(path)
    try:
        position = data.tell()
        data.seek(0, os.SEEK_END)
        size = data.tell()
        data.seek(position)
        return size - position
    except Exception:
        return None


class Location(Entity):
    """A storage location: an accessor reaches the data, a structure names it."""

    #: How data is reached, how it is laid out, how identifiers are stored, and
    #: preference (lower first); set per instance when locations are configured.
    accessor: Any = NOT_SET
    structure: Any = NOT_SET
    resource_identifier_transformer: Any = NOT_SET
    priority = 95

    def __str__(self) -> str:
        values = self._local.get("name", self._remote.get("name", NOT_SET))
        identifier = self._local.get("id", self._remote.get("id"))
        if values is NOT_SET or values is None:
            return f"<{self.entity_type}({identifier})>"
        return f'<{self.entity_type}("{values}", {identifier})>'

    # ------------------------------------------------------------------
    # Adding

    def add_component(self, component: Any, source: Any, recursive: bool = True, *,
                      progress: ProgressCallback | None = None) -> None:
        """Transfer *component* from location *source* to here and register it.

        *progress* is described in :meth:`add_components`.
        """
        self.add_components([component], sources=source, recursive=recursive,
                            progress=progress)

    def add_components(self, components: list[Any], sources: Any, recursive: bool = True,
                       _depth: int = 0, *, progress: ProgressCallback | None = None) -> None:
        """Transfer *components* from *sources* (one location, or one per
        component) to here, then register them in one commit.

        *progress*, when given, is called as each file component's data moves:
        ``progress(component, 0, total)`` first, then after every chunk, and
        last with ``transferred == total`` (all in bytes). Containers report
        through their members. When the source or target accessor moves the
        data over the network (the ``ftrack.server`` accessor), the network
        transfer is reported; otherwise the chunk copy. *total* is None while
        the size cannot be known beforehand. An exception raised by
        *progress* stops the transfer (a ``LocationError``). Locations that
        move no data (origin, unmanaged) never call it.
        """
        if isinstance(sources, str) or not isinstance(sources, collections.abc.Sequence):
            sources = [sources]
        if len(sources) not in (1, len(components)):
            raise ValueError("sources must be either a single source or a sequence of "
                             "sources with indexes corresponding to passed components.")
        if not self.structure:
            raise ftrack_api.exception.LocationError(
                "No structure defined for location {location}.", details={"location": self})
        if not components:
            return
        present = self._present(components)
        if present:
            raise ftrack_api.exception.ComponentInLocationError(present, self)
        indent = "    " * (_depth + 1)
        transferred = []
        for index, component in enumerate(components):
            source = sources[0] if len(sources) == 1 else sources[index]
            try:
                if _is_container(component) and recursive:
                    self.add_components(component["members"], source, recursive=recursive,
                                        _depth=_depth + 1, progress=progress)
                context = self._get_context(component, source)
                resource_identifier = self.structure.get_resource_identifier(component, context)
                reporting = _PROGRESS.set(progress)
                try:
                    self._add_data(component, resource_identifier, source)
                finally:
                    _PROGRESS.reset(reporting)
            except Exception as error:
                raise ftrack_api.exception.LocationError(
                    "Failed to transfer component {component} data to location {location} "
                    "due to error:\n{indent}{error}\n{indent}Transferred component data that "
                    "may require cleanup: {transferred}",
                    details={"indent": indent, "component": component, "location": self,
                             "error": error, "transferred": transferred}) from error
            transferred.append((component, resource_identifier))
        try:
            identifiers = []
            for component, resource_identifier in transferred:
                if self.resource_identifier_transformer:
                    resource_identifier = self.resource_identifier_transformer.encode(
                        resource_identifier, context={"component": component})
                identifiers.append(resource_identifier)
            self._register_components_in_location(
                [component for component, _ in transferred], identifiers)
        except Exception as error:
            raise ftrack_api.exception.LocationError(
                "Failed to register components with location {location} due to error:\n"
                "{indent}{error}\n{indent}Transferred component data that may require "
                "cleanup: {transferred}",
                details={"indent": indent, "location": self, "error": error,
                         "transferred": transferred}) from error
        for component, _ in transferred:
            self._announce(COMPONENT_ADDED_TO_LOCATION_TOPIC, component)

    def _present(self, components: list[Any]) -> list[Any]:
        try:
            self.get_resource_identifiers(components)
        except ftrack_api.exception.ComponentNotInLocationError as error:
            missing = {component["id"] for component in error.details["components"]}
            return [component for component in components if component["id"] not in missing]
        return list(components)

    def _announce(self, topic: str, component: Any) -> None:
        self.session.event_hub.publish(
            Event(topic=topic, data={"component_id": component["id"],
                                     "location_id": self["id"]}),
            on_error="ignore")

    def _get_context(self, component: Any, source: Any) -> dict[str, Any]:
        context = {}
        if source:
            try:
                context["source_resource_identifier"] = source.get_resource_identifier(component)
            except ftrack_api.exception.ComponentNotInLocationError:
                pass
        return context

    def _add_data(self, component: Any, resource_identifier: str, source: Any) -> None:
        """Copy the component's data from *source* to *resource_identifier* here."""
        if not source.accessor:
            raise ftrack_api.exception.LocationError(
                "No accessor defined for source location {location}.",
                details={"location": source})
        if not self.accessor:
            raise ftrack_api.exception.LocationError(
                "No accessor defined for target location {location}.",
                details={"location": self})
        if _is_container(component):
            if component.entity_type != "SequenceComponent":
                self.accessor.make_container(resource_identifier)
            return
        try:
            container = self.accessor.get_container(resource_identifier)
        except ftrack_api.exception.AccessorParentResourceNotFoundError:
            pass
        else:
            self.accessor.make_container(container)
        if self.accessor.exists(resource_identifier):
            raise ftrack_api.exception.LocationError(
                "Cannot add component as data already exists and overwriting could result "
                "in data loss. Computed target resource identifier was: {identifier}",
                details={"identifier": resource_identifier})
        progress = _PROGRESS.get()
        report = functools.partial(progress, component) if progress else None
        source_identifier = source.get_resource_identifier(component)
        # An accessor that uploads whole files (the server's) takes a local
        # source as it is, rather than through a buffer the copy fills.
        put_file = getattr(self.accessor, "put_file", None)
        path = _local_file(source.accessor, source_identifier) if put_file else None
        if path is not None:
            put_file(resource_identifier, path, **({"progress": report} if report else {}))
            return
        by_target = report is not None and _takes_progress(self.accessor)
        by_source = report is not None and not by_target and _takes_progress(source.accessor)
        source_data = source.accessor.open(
            source_identifier, "rb", **({"progress": report} if by_source else {}))
        try:
            target_data = self.accessor.open(
                resource_identifier, "wb", **({"progress": report} if by_target else {}))
        except BaseException:
            source_data.close()
            raise
        by_copy = report if report is not None and not (by_target or by_source) else None
        try:
            total = copied = 0
            if by_copy:
                total = _source_size(source.accessor, source_identifier, source_data)
                by_copy(0, total)
            for chunk in iter(lambda: source_data.read(CHUNK_SIZE), b""):
                target_data.write(chunk)
                if by_copy:
                    copied += len(chunk)
                    by_copy(copied, total)
            if by_copy and total != copied:
                by_copy(copied, copied)
        finally:
            try:
                target_data.close()
            finally:
                source_data.close()

    def _register_component_in_location(self, component: Any, resource_identifier: str) -> None:
        self._register_components_in_location([component], [resource_identifier])

    def _register_components_in_location(self, components: list[Any],
                                         resource_identifiers: list[str]) -> None:
        for component, resource_identifier in zip(components, resource_identifiers):
            self.session.create("ComponentLocation", {
                "component": component, "location": self,
                "resource_identifier": resource_identifier})
        self.session.commit()

    # ------------------------------------------------------------------
    # Removing

    def remove_component(self, component: Any, recursive: bool = True) -> None:
        self.remove_components([component], recursive=recursive)

    def remove_components(self, components: list[Any], recursive: bool = True) -> None:
        """Delete the components' data here and unregister them."""
        for component in components:
            self.get_resource_identifier(component)
            if _is_container(component) and recursive:
                self.remove_components(component["members"], recursive=recursive)
            self._remove_data(component)
            self._deregister_component_in_location(component)
            self._announce(COMPONENT_REMOVED_FROM_LOCATION_TOPIC, component)

    def _remove_data(self, component: Any) -> None:
        if not self.accessor:
            raise ftrack_api.exception.LocationError(
                "No accessor defined for location {location}.", details={"location": self})
        try:
            self.accessor.remove(self.get_resource_identifier(component))
        except ftrack_api.exception.AccessorResourceNotFoundError:
            if component.entity_type != "SequenceComponent":
                raise

    def _deregister_component_in_location(self, component: Any) -> None:
        registration = self.session.query(
            f"ComponentLocation where component_id is {component['id']} and "
            f"location_id is {self['id']}").first()
        if registration is not None:
            self.session.delete(registration)
            self.session.commit()

    # ------------------------------------------------------------------
    # Lookups

    def get_component_availability(self, component: Any) -> float:
        return self.session.get_component_availability(component, locations=[self])[self["id"]]

    def get_component_availabilities(self, components: list[Any]) -> list[float]:
        return [availability[self["id"]] for availability in
                self.session.get_component_availabilities(components, locations=[self])]

    def get_resource_identifier(self, component: Any) -> str:
        return self.get_resource_identifiers([component])[0]

    def get_resource_identifiers(self, components: list[Any]) -> list[str]:
        """Where each component's data is in this location; raises
        ``ComponentNotInLocationError`` naming any not here."""
        identifiers = self._get_resource_identifiers(components)
        if self.resource_identifier_transformer:
            identifiers = [
                self.resource_identifier_transformer.decode(
                    identifier, context={"component": component})
                for identifier, component in zip(identifiers, components)]
        return identifiers

    def _get_resource_identifiers(self, components: list[Any]) -> list[str]:
        by_id = {component["id"]: component for component in components}
        found = {}
        if by_id:
            ids = ", ".join(by_id)
            for registration in self.session.query(
                    "select component_id, resource_identifier from ComponentLocation where "
                    f"location_id is {self['id']} and component_id in ({ids})"):
                found[registration["component_id"]] = registration["resource_identifier"]
        missing = [component for component_id, component in by_id.items()
                   if component_id not in found]
        if missing:
            raise ftrack_api.exception.ComponentNotInLocationError(missing, self)
        return [found[component_id] for component_id in by_id]

    def get_filesystem_path(self, component: Any) -> str:
        return self.get_filesystem_paths([component])[0]

    def get_filesystem_paths(self, components: list[Any]) -> list[str]:
        return [self.accessor.get_filesystem_path(identifier)
                for identifier in self.get_resource_identifiers(components)]

    def get_url(self, component: Any) -> str:
        """A URL for the component's data, when the accessor can make one."""
        return self.accessor.get_url(self.get_resource_identifier(component))


class _LocationMixin(_EntityBase, collections.abc.MutableMapping,
                     metaclass=DynamicEntityTypeMetaclass):
    """Base of the location mixins (applied with :func:`ftrack_api.mixin`)."""


class MemoryLocationMixin(_LocationMixin):
    """Keeps registrations in memory instead of the database."""

    @property
    def _registrations(self) -> dict[str, str]:
        registrations = self.__dict__.get("_memory_registrations")
        if registrations is None:
            registrations = self.__dict__["_memory_registrations"] = {}
        return registrations

    def _register_component_in_location(self, component: Any, resource_identifier: str) -> None:
        self._registrations[component["id"]] = resource_identifier

    def _register_components_in_location(self, components: list[Any],
                                         resource_identifiers: list[str]) -> None:
        for component, resource_identifier in zip(components, resource_identifiers):
            self._register_component_in_location(component, resource_identifier)

    def _deregister_component_in_location(self, component: Any) -> None:
        self._registrations.pop(component["id"])

    def _get_resource_identifiers(self, components: list[Any]) -> list[str]:
        found, missing = [], []
        for component in components:
            identifier = self._registrations.get(component["id"])
            if identifier is None:
                missing.append(component)
            else:
                found.append(identifier)
        if missing:
            raise ftrack_api.exception.ComponentNotInLocationError(missing, self)
        return found


class UnmanagedLocationMixin(_LocationMixin):
    """Registers components without moving or deleting their data."""

    def _add_data(self, component: Any, resource_identifier: str, source: Any) -> None:
        return None

    def _remove_data(self, component: Any) -> None:
        return None


class OriginLocationMixin(MemoryLocationMixin, UnmanagedLocationMixin):
    """Where new components come from: the source given is the file path."""

    def _get_context(self, component: Any, source: Any) -> dict[str, Any]:
        return {"source_resource_identifier": source} if source else {}


class ServerLocationMixin(_LocationMixin):
    """The ``ftrack.server`` location: data stored by the server itself."""

    def get_thumbnail_url(self, component: Any, size: int | None = None) -> str:
        """A URL of a thumbnail of *component* fitting *size* pixels."""
        return self.accessor.get_thumbnail_url(  # type: ignore[attr-defined]
            self.get_resource_identifier(component), size)  # type: ignore[attr-defined]
