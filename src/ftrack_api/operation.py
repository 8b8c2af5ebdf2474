"""Pending changes a session records until it commits them."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any


def _snapshot(value: Any) -> Any:
    """A shallow copy of *value*, so later in-place changes don't alter the
    record; entities are kept as they are (they are referred to by identity)."""
    if type(value) in _UNCHANGING or hasattr(type(value), "primary_key_attributes"):
        return value
    return copy.copy(value)


_UNCHANGING = {type(None), str, int, float, bool, bytes}


class Operations:
    """A stack of operations, oldest first."""

    def __init__(self) -> None:
        self._stack: list[Operation] = []
        #: Changes on every push, pop and clear (lets readers cache derived state).
        self.version = 0

    def push(self, operation: "Operation") -> None:
        self._stack.append(operation)
        self.version += 1

    def pop(self) -> "Operation":
        """Remove and return the most recent operation."""
        self.version += 1
        return self._stack.pop()

    def clear(self) -> None:
        self._stack.clear()
        self.version += 1

    def __len__(self) -> int:
        return len(self._stack)

    def __iter__(self) -> Iterator["Operation"]:
        return iter(self._stack)

    def __repr__(self) -> str:
        return f"<Operations {len(self._stack)} pending>"


class Operation:
    """Base of every recorded operation."""


class CreateEntityOperation(Operation):
    """A new entity with its initial values."""

    def __init__(self, entity_type: str, entity_key: Mapping[str, Any],
                 entity_data: Mapping[str, Any]):
        self.entity_type = entity_type
        self.entity_key = entity_key
        self.entity_data = {name: _snapshot(value) for name, value in entity_data.items()}

    def __repr__(self) -> str:
        return f"<CreateEntityOperation {self.entity_type} {dict(self.entity_key)}>"


class UpdateEntityOperation(Operation):
    """One attribute of an entity changed from *old_value* to *new_value*."""

    def __init__(self, entity_type: str, entity_key: Mapping[str, Any],
                 attribute_name: str, old_value: Any, new_value: Any):
        self.entity_type = entity_type
        self.entity_key = entity_key
        self.attribute_name = attribute_name
        self.old_value = _snapshot(old_value)
        self.new_value = _snapshot(new_value)

    def __repr__(self) -> str:
        return (f"<UpdateEntityOperation {self.entity_type} {dict(self.entity_key)} "
                f"{self.attribute_name}>")


class DeleteEntityOperation(Operation):
    """An entity to delete."""

    def __init__(self, entity_type: str, entity_key: Mapping[str, Any]):
        self.entity_type = entity_type
        self.entity_key = entity_key

    def __repr__(self) -> str:
        return f"<DeleteEntityOperation {self.entity_type} {dict(self.entity_key)}>"
