"""A structure that mirrors the project hierarchy: project/contexts/asset/vNNN/file."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import ftrack_api.symbol
from ftrack_api.exception import StructureError
from ftrack_api.structure.base import Structure

_ILLEGAL_CHARACTERS = re.compile(r"[^\w.-]")


def _is_set(value: Any) -> bool:
    return value is not None and value is not ftrack_api.symbol.NOT_SET


def _file_type(component: Any) -> str:
    file_type = component["file_type"]
    return file_type if _is_set(file_type) and file_type else ""


def _is_uncommitted(entity: Any) -> bool:
    """Return whether *entity* was created in its session but not committed yet."""
    import ftrack_api.inspection  # imported late: inspection sits above the entity layer

    return ftrack_api.inspection.state(entity) is ftrack_api.symbol.CREATED


class StandardStructure(Structure):
    """Component paths that follow the project hierarchy, for example::

        my_project/seq_a/shot_b/asset_name/v003/foo.jpg       FileComponent
        my_project/seq_a/shot_b/asset_name/v003/foo.%04d.jpg  SequenceComponent
        my_project/seq_a/shot_b/asset_name/v003/foo.0042.jpg  member of that sequence
        my_project/seq_a/shot_b/asset_name/v003/bar           ContainerComponent
        my_project/seq_a/shot_b/asset_name/v003/bar/baz.pdf   member of that container

    *project_versions_prefix* is put after the project name for versions whose
    asset sits directly under the project. Every part is passed through
    :meth:`sanitise_for_filesystem`. Nested containers are not supported.
    """

    def __init__(self, project_versions_prefix: str | None = None,
                 illegal_character_substitute: str | None = "_") -> None:
        super().__init__()
        self.project_versions_prefix = project_versions_prefix
        self.illegal_character_substitute = illegal_character_substitute

    def sanitise_for_filesystem(self, value: Any) -> str:
        """Return *value* in lower-case ASCII with awkward characters substituted.

        Accents are dropped, other non-ASCII characters removed, and anything
        outside ``[\\w.-]`` replaced by *illegal_character_substitute*. With no
        substitute, *value* is returned unchanged.
        """
        if self.illegal_character_substitute is None:
            return value
        ascii_value = (
            unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
        )
        return _ILLEGAL_CHARACTERS.sub(
            self.illegal_character_substitute, ascii_value).strip().lower()

    def _format_version(self, number: int) -> str:
        return f"v{number:03d}"

    def _version_parts(self, component: Any) -> list[str]:
        """Return the sanitised folders down to the component's version."""
        session = component.session
        version = component["version"]
        if not _is_set(version):
            version_id = component.get("version_id")
            if _is_set(version_id) and version_id:
                version = session.get("AssetVersion", version_id)

        problem = (
            f"Component {component!r} must belong to a committed version of a "
            "committed asset that has a parent context."
        )
        if not _is_set(version) or _is_uncommitted(version):
            raise StructureError(problem)
        link = version["link"]
        if not link:
            raise StructureError(problem)

        parts = [session.get("Project", link[0]["id"])["name"]]
        context_names = [item["name"] for item in link[1:-1]]
        if context_names:
            parts.extend(context_names)
        elif self.project_versions_prefix:
            parts.append(self.project_versions_prefix)
        parts.append(version["asset"]["name"])
        parts.append(self._format_version(version["version"]))
        return [self.sanitise_for_filesystem(part) for part in parts]

    def get_resource_identifier(self, entity: Any,
                                context: Mapping[str, Any] | None = None) -> str:
        """Return the hierarchy path of component *entity* (*context* is unused).

        Raise StructureError if the component's version is missing, not yet
        committed, or has no link; NotImplementedError for non-components.
        """
        entity_type = entity.entity_type
        sanitise = self.sanitise_for_filesystem

        if entity_type == "FileComponent":
            container = entity["container"]
            file_name = f"{entity['name']}{_file_type(entity)}"
            if not _is_set(container):
                parts = [*self._version_parts(entity), sanitise(file_name)]
            elif container.entity_type == "SequenceComponent":
                sequence_path = self.get_resource_identifier(container)
                sequence_folder = sequence_path.rpartition(self.path_separator)[0]
                member_name = f"{container['name']}.{entity['name']}{_file_type(entity)}"
                parts = [sequence_folder, sanitise(member_name)]
            else:
                parts = [self.get_resource_identifier(container), sanitise(file_name)]

        elif entity_type == "SequenceComponent":
            expression = self._get_sequence_expression(entity)
            name = (f"{sanitise(entity['name'])}.{expression}"
                    f"{sanitise(_file_type(entity))}")
            parts = [*self._version_parts(entity), name]

        elif entity_type == "ContainerComponent":
            parts = [*self._version_parts(entity), sanitise(entity["name"])]

        else:
            raise NotImplementedError(
                f"StandardStructure cannot make a path for entity type {entity_type!r}.")

        return self.path_separator.join(parts)
