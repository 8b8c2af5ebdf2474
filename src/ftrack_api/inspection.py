"""Questions about entities: who they are and what state they are in."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from ftrack_api.operation import (
    CreateEntityOperation,
    DeleteEntityOperation,
    UpdateEntityOperation,
)
from ftrack_api.symbol import CREATED, DELETED, MODIFIED, NOT_SET, Symbol


def identity(entity: Any) -> tuple[str, list[str]]:
    """``(entity type, [primary key values as text])``."""
    return (str(entity.entity_type), list(primary_key(entity).values()))


def primary_key(entity: Any) -> "OrderedDict[str, str]":
    """The primary key values of *entity* as text, in schema order.

    Raises ``KeyError`` when a key has no value.
    """
    result: OrderedDict[str, str] = OrderedDict()
    for name in entity.primary_key_attributes:
        value = entity[name]
        if value is NOT_SET:
            raise KeyError(f"Missing required value for primary key attribute "
                           f"{name!r} on {entity.entity_type}.")
        result[str(name)] = str(value)
    return result


def _key(entity_type: str, entity_key: Any) -> tuple:
    return (str(entity_type), tuple(str(value) for value in dict(entity_key).values()))


def operation_states(operations: Iterable[Any],
                     result: dict[tuple, Symbol] | None = None) -> dict[tuple, Symbol]:
    """The state each entity touched by *operations* ends up in, replayed on
    top of *result* (the states of earlier operations) when given."""
    result = {} if result is None else result
    for operation in operations:
        key = _key(operation.entity_type, operation.entity_key)  # type: ignore[attr-defined]
        if isinstance(operation, CreateEntityOperation):
            result[key] = CREATED
        elif isinstance(operation, UpdateEntityOperation):
            if result.get(key, NOT_SET) is NOT_SET:
                result[key] = MODIFIED
        elif isinstance(operation, DeleteEntityOperation):
            result[key] = DELETED
    return result


def _entity_key(entity: Any) -> tuple | None:
    try:
        return _key(entity.entity_type, primary_key(entity))
    except KeyError:
        return None


def state(entity: Any) -> Symbol:
    """``NOT_SET``, ``CREATED``, ``MODIFIED`` or ``DELETED``, from the
    session's pending operations."""
    key = _entity_key(entity)
    if key is None:
        return NOT_SET
    return entity.session._operation_states().get(key, NOT_SET)


def states(entities: Iterable[Any]) -> list[Symbol]:
    """:func:`state` of each of *entities*."""
    entities = list(entities)
    if not entities:
        return []
    known = entities[0].session._operation_states()
    result = []
    for entity in entities:
        key = _entity_key(entity)
        result.append(NOT_SET if key is None else known.get(key, NOT_SET))
    return result
