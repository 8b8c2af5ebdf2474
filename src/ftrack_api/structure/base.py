"""The structure interface: where a location stores an entity's data."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any


class Structure(abc.ABC):
    """Work out a resource identifier (a path inside a location) for an entity."""

    def __init__(self, prefix: str = "") -> None:
        super().__init__()
        self.prefix = prefix
        self.path_separator = "/"

    @abc.abstractmethod
    def get_resource_identifier(self, entity: Any,
                                context: Mapping[str, Any] | None = None) -> str:
        """Return the resource identifier for *entity*; *context* may add information."""

    def _get_sequence_expression(self, sequence: Any) -> str:
        """Return the printf-style frame expression of *sequence*: ``%04d`` or ``%d``."""
        padding = sequence["padding"]
        return f"%0{padding}d" if padding else "%d"
