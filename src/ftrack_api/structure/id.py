"""A structure that files components by id, fanned out over four folder levels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ftrack_api.symbol
from ftrack_api.structure.base import Structure


def _is_set(value: Any) -> bool:
    return value is not None and value is not ftrack_api.symbol.NOT_SET


def _file_type(component: Any) -> str:
    file_type = component["file_type"]
    return file_type if _is_set(file_type) and file_type else ""


class IdStructure(Structure):
    """Component paths made from the component id.

    The first four characters of the id become folders, so no folder grows
    huge (``<prefix>/a/b/c/d/<rest of id><file type>``)::

        FileComponent                  prefix/f/6/c/d/40cb-....png
        member of a ContainerComponent <container path>/<member id><file type>
        member of a SequenceComponent  <sequence folder>/file.<member name><file type>
        SequenceComponent              prefix/f/f/1/7/<rest of id>/file.%04d.png
        ContainerComponent             prefix/0/3/a/b/<rest of id>

    Other entity types raise NotImplementedError.
    """

    def get_resource_identifier(self, entity: Any,
                                context: Mapping[str, Any] | None = None) -> str:
        """Return the id-based path of component *entity*."""
        entity_type = entity.entity_type
        entity_id = str(entity["id"])

        if entity_type == "FileComponent":
            container = entity["container"]
            if not _is_set(container):
                parts = [self.prefix, *entity_id[:4], entity_id[4:] + _file_type(entity)]
            elif container.entity_type == "SequenceComponent":
                sequence_path = self.get_resource_identifier(container)
                sequence_folder = sequence_path.rpartition(self.path_separator)[0]
                parts = [sequence_folder, f"file.{entity['name']}{_file_type(entity)}"]
            else:
                parts = [self.get_resource_identifier(container),
                         entity_id + _file_type(entity)]

        elif entity_type == "SequenceComponent":
            name = f"file.{self._get_sequence_expression(entity)}{_file_type(entity)}"
            parts = [self.prefix, *entity_id[:4], entity_id[4:], name]

        elif entity_type == "ContainerComponent":
            parts = [self.prefix, *entity_id[:4], entity_id[4:]]

        else:
            raise NotImplementedError(
                f"IdStructure cannot make a path for entity type {entity_type!r}.")

        return self.path_separator.join(parts).strip("/")
