"""A structure that uses the entity's id as its resource identifier."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ftrack_api.structure.base import Structure


class EntityIdStructure(Structure):
    """The resource identifier is ``entity['id']``."""

    def get_resource_identifier(self, entity: Any,
                                context: Mapping[str, Any] | None = None) -> str:
        """Return the id of *entity*."""
        return entity["id"]
