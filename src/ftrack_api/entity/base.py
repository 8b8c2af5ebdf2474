"""The base of every entity class a session builds from the server's schemas."""

from __future__ import annotations

import abc
import collections.abc
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ftrack_api.exception
from ftrack_api.attribute import (
    AbstractCollectionAttribute,
    Attributes,
    ReferenceAttribute,
    ScalarAttribute,
)
from ftrack_api.collection import Collection, MappedCollectionProxy
from ftrack_api.operation import CreateEntityOperation
from ftrack_api.symbol import NOT_SET

if TYPE_CHECKING:
    from ftrack_api.session import Session


class DynamicEntityTypeMetaclass(abc.ABCMeta):
    """Metaclass of entity classes; only changes how they print."""

    def __repr__(cls) -> str:
        return f"<dynamic ftrack class '{cls.__name__}'>"


class _EntityBase(metaclass=DynamicEntityTypeMetaclass):
    """First base of entities and their mixins: it gives instances their
    ``__dict__``, so :func:`ftrack_api.mixin` can mix in plain classes."""


class Entity(_EntityBase, collections.abc.MutableMapping,
             metaclass=DynamicEntityTypeMetaclass):
    """An ftrack entity: a mapping of attribute name to value."""

    entity_type = "Entity"
    attributes: Attributes = Attributes()
    primary_key_attributes: list[str] = []
    default_projections: list[str] = []
    logger = logging.getLogger(f"{__name__}.Entity")

    #: Names of relational attributes whose values still need merging into the
    #: session (entities decoded from a persisted cache); empty when attached.
    _unattached: set[str] | frozenset[str] = frozenset()
    #: ``{attribute name: kind}``, see :func:`attribute_kinds`.
    _kinds: dict[str, int] | None = None

    def __init__(self, session: "Session", data: Any = None, reconstructing: bool = False):
        self.session = session
        self._local: dict[str, Any] = {}
        self._remote: dict[str, Any] = {}
        data = dict(data or {})
        if reconstructing:
            self._reconstruct(data)
        else:
            self._construct(data)

    def _construct(self, data: dict[str, Any]) -> None:
        """A new entity: defaults, values, one recorded create, then the
        relationships (recorded as updates)."""
        by_name = self.attributes._by_name
        local = self._local
        relational = []
        for name, value in data.items():
            attribute = by_name.get(name)
            if attribute is None or value is NOT_SET:
                continue
            if attribute.relational:
                relational.append((attribute, value))
            else:
                local[name] = value
        for attribute in _defaults(type(self)):
            if attribute.name in data:
                continue
            value = attribute.default_value
            if callable(value):
                value = value(self)
            if value is NOT_SET:
                continue
            if attribute.relational:
                relational.append((attribute, value))
            else:
                local[attribute.name] = value
        session = self.session
        if session.record_operations:
            from ftrack_api.inspection import primary_key
            session.recorded_operations.push(CreateEntityOperation(
                self.entity_type, primary_key(self), dict(local)))
        for attribute, value in relational:
            attribute.set_local_value(self, value)

    def _reconstruct(self, data: dict[str, Any]) -> None:
        """Values as the server sent them."""
        attributes = self.attributes
        for name, value in data.items():
            attribute = attributes.get(name)
            if attribute is not None:
                attribute.set_remote_value(self, value)

    # ------------------------------------------------------------------
    # Mapping interface

    def _attribute(self, key: str) -> Any:
        attribute = self.attributes._by_name.get(key)
        if attribute is None:
            raise KeyError(f"{key!r} is not an attribute of {self.entity_type}.")
        return attribute

    def __getitem__(self, key: str) -> Any:
        # Fast path for plain scalars and references already known; everything
        # else (collections, custom attribute kinds, fetching) goes through
        # the attribute.
        if not self._unattached:
            kind = (self._kinds or attribute_kinds(type(self))).get(key)
            if kind == SCALAR or kind == REFERENCE:
                value = self._local.get(key, NOT_SET)
                if value is NOT_SET:
                    value = self._remote.get(key, NOT_SET)
                if value is not NOT_SET:
                    return value
        return self._attribute(key).get_value(self)

    def __setitem__(self, key: str, value: Any) -> None:
        self._attribute(key).set_local_value(self, value)

    def __delitem__(self, key: str) -> None:
        self._attribute(key).set_local_value(self, NOT_SET)

    def __iter__(self) -> Iterator[str]:
        return iter(self.attributes._by_name)

    def __len__(self) -> int:
        return len(self.attributes)

    def _fetch_unset_scalars(self) -> None:
        if not self.session.auto_populate:
            return
        missing = [attribute.name for attribute in self.attributes
                   if isinstance(attribute, ScalarAttribute) and not attribute.is_set(self)]
        if missing:
            self.session.populate([self], ", ".join(missing))

    def values(self) -> list[Any]:  # type: ignore[override]
        self._fetch_unset_scalars()
        return [self[name] for name in self]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        self._fetch_unset_scalars()
        return [(name, self[name]) for name in self]

    def clear(self) -> None:
        """Revert every unsaved value."""
        for name in list(self._local):
            self._attribute(name).set_local_value(self, NOT_SET)

    # ------------------------------------------------------------------

    def merge(self, entity: "Entity", merged: dict | None = None) -> list[dict[str, Any]]:
        """Copy the known values of *entity* (same type) onto this one; the
        list of changes made."""
        if merged is None:
            merged = {}
        session = self.session
        changes = []
        for kind, own, other in (("local_attribute", self._local, entity._local),
                                 ("remote_attribute", self._remote, entity._remote)):
            for name, value in list(other.items()):
                attribute = self.attributes.get(name)
                if attribute is None or value is NOT_SET:
                    continue
                if isinstance(value, (Entity, Collection, MappedCollectionProxy, list)):
                    value = session._merge(value, merged=merged)
                    if isinstance(attribute, AbstractCollectionAttribute) \
                            and not isinstance(value, list):
                        value = list(value)
                old = own.get(name, NOT_SET)
                if old is value:
                    continue
                if kind == "local_attribute":
                    with session.operation_recording(False):
                        attribute.set_local_value(self, value)
                else:
                    attribute.set_remote_value(self, value)
                changes.append({"type": kind, "name": name, "old_value": old,
                                "new_value": value})
        return changes

    def _identity_values(self) -> tuple[Any, ...] | None:
        values = []
        for name in self.primary_key_attributes:
            value = self._local.get(name, NOT_SET)
            if value is NOT_SET:
                value = self._remote.get(name, NOT_SET)
            if value is NOT_SET:
                return None
            values.append(str(value))
        return tuple(values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entity) or other.entity_type != self.entity_type:
            return False
        mine = self._identity_values()
        return mine is not None and mine == other._identity_values()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(str((self.entity_type, list(self._identity_values() or ()))))

    def __str__(self) -> str:
        values = self._identity_values()
        return f"<{self.entity_type}({', '.join(values) if values else 'Unknown'})>"

    def __repr__(self) -> str:
        return f"<dynamic ftrack {self.entity_type} object {id(self)}>"

    def __bool__(self) -> bool:
        return len(self) > 0


def _defaults(cls: type) -> list[Any]:
    """The attributes of *cls* that have a default (cached)."""
    found = cls.__dict__.get("_attribute_defaults")
    if found is None:
        found = [attribute for attribute in cls.attributes
                 if attribute.default_value is not NOT_SET]
        cls._attribute_defaults = found  # type: ignore[attr-defined]
    return found


#: Attribute kinds as :func:`attribute_kinds` reports them.
SCALAR, REFERENCE, COLLECTION, OTHER = 0, 1, 2, 3


def attribute_kinds(cls: type) -> dict[str, int]:
    """``{name: kind}`` for *cls* (cached per class): ``SCALAR`` and
    ``REFERENCE`` only for the standard attribute classes, ``COLLECTION`` for
    any collection, ``OTHER`` for custom kinds plugins supply."""
    kinds = cls.__dict__.get("_kinds")
    if kinds is None:
        kinds = {}
        for attribute in cls.attributes:
            kind = type(attribute)
            if kind is ScalarAttribute:
                kinds[attribute.name] = SCALAR
            elif kind is ReferenceAttribute:
                kinds[attribute.name] = REFERENCE
            elif isinstance(attribute, AbstractCollectionAttribute):
                kinds[attribute.name] = COLLECTION
            else:
                kinds[attribute.name] = OTHER
        cls._kinds = kinds  # type: ignore[attr-defined]
    return kinds
