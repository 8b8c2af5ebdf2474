"""A structure that keeps the identifier the data already has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ftrack_api.structure.base import Structure


class OriginStructure(Structure):
    """Pass ``context['source_resource_identifier']`` through unchanged."""

    def get_resource_identifier(self, entity: Any,
                                context: Mapping[str, Any] | None = None) -> str:
        """Return the source resource identifier from *context*; ValueError if missing."""
        resource_identifier = (context or {}).get("source_resource_identifier")
        if resource_identifier is None:
            raise ValueError(
                "Cannot make a resource identifier: the context has no "
                "'source_resource_identifier'.")
        return resource_identifier
