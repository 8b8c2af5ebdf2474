"""The kinds of attribute an entity type has, built from its schema.

An entity keeps two values per attribute: the *remote* one (last known from
the server) and the *local* one (set in this session, not yet committed).
Reading prefers the local value, then the remote one, then — when the
session auto-populates and the entity exists on the server — fetches it.
"""

from __future__ import annotations

import collections.abc
import copy
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable

import ftrack_api.exception
from ftrack_api.collection import (
    Collection,
    CustomAttributeCollectionProxy,
    KeyValueMappedCollectionProxy,
    MappedCollectionProxy,
)
from ftrack_api.operation import UpdateEntityOperation
from ftrack_api.symbol import NOT_SET

if TYPE_CHECKING:
    from ftrack_api.entity.base import Entity

logger = logging.getLogger(__name__)


class Attributes:
    """The attributes of one entity type, by name."""

    def __init__(self, attributes: collections.abc.Iterable["Attribute"] | None = None):
        self._by_name: dict[str, Attribute] = {}
        for attribute in attributes or ():
            self.add(attribute)

    def add(self, attribute: "Attribute") -> None:
        if attribute.name in self._by_name:
            raise ftrack_api.exception.NotUniqueError(
                f"Attribute with name {attribute.name!r} already added.")
        self._by_name[attribute.name] = attribute

    def remove(self, attribute: "Attribute") -> None:
        del self._by_name[attribute.name]

    def get(self, name: str) -> "Attribute | None":
        return self._by_name.get(name)

    def keys(self) -> list[str]:
        return list(self._by_name)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, Attribute):
            return False
        return item.name in self._by_name

    def __iter__(self) -> Iterator["Attribute"]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)


class Attribute:
    """One named value of an entity."""

    #: Whether values are other entities (references and collections).
    relational = False

    def __init__(self, name: str, default_value: Any = NOT_SET, mutable: bool = True,
                 computed: bool = False):
        self._name = name
        self._mutable = mutable
        self._computed = computed
        self.default_value = default_value

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__name__}({self._name}) "
                f"object at {id(self)}>")

    @property
    def name(self) -> str:
        return self._name

    @property
    def mutable(self) -> bool:
        return self._mutable

    @property
    def computed(self) -> bool:
        return self._computed

    def get_value(self, entity: "Entity") -> Any:
        """The local value, else the remote one, else fetched when allowed."""
        value = entity._local.get(self._name, NOT_SET)
        if value is not NOT_SET:
            return value
        value = entity._remote.get(self._name, NOT_SET)
        if value is not NOT_SET or not entity.session.auto_populate:
            return value
        self.populate_remote_value(entity)
        return entity._remote.get(self._name, NOT_SET)

    def get_local_value(self, entity: "Entity") -> Any:
        return entity._local.get(self._name, NOT_SET)

    def get_remote_value(self, entity: "Entity") -> Any:
        """The last known server value; never contacts the server."""
        return entity._remote.get(self._name, NOT_SET)

    def set_local_value(self, entity: "Entity", value: Any) -> None:
        """Set an unsaved value, recording the change when the session records."""
        if not self._mutable and value is not NOT_SET and self.is_set(entity):
            raise ftrack_api.exception.ImmutableAttributeError(self)
        old_value = entity._local.get(self._name, NOT_SET)
        if value is NOT_SET:
            entity._local.pop(self._name, None)
        else:
            entity._local[self._name] = value
        session = entity.session
        if session.record_operations:
            from ftrack_api.inspection import primary_key
            session.recorded_operations.push(UpdateEntityOperation(
                entity.entity_type, primary_key(entity), self._name, old_value, value))

    def set_remote_value(self, entity: "Entity", value: Any) -> None:
        """Set the known server value; records nothing."""
        if value is NOT_SET:
            entity._remote.pop(self._name, None)
        else:
            entity._remote[self._name] = value

    def populate_remote_value(self, entity: "Entity") -> None:
        entity.session.populate([entity], self._name)

    def is_modified(self, entity: "Entity") -> bool:
        """Whether a local value is set and differs from the remote one."""
        local = entity._local.get(self._name, NOT_SET)
        return local is not NOT_SET and local != entity._remote.get(self._name, NOT_SET)

    def is_set(self, entity: "Entity") -> bool:
        """Whether a local or remote value is known."""
        return self._name in entity._local or self._name in entity._remote


class ScalarAttribute(Attribute):
    """A plain value: text, number, boolean, datetime, JSON."""

    def __init__(self, name: str, data_type: str, **kw: Any):
        super().__init__(name, **kw)
        self.data_type = data_type


def _attach(entity: "Entity", attribute: Attribute) -> None:
    """Merge values that came unattached (e.g. from a persisted cache) into
    the session the first time *attribute* is read on *entity*.
    """
    pending = entity._unattached
    if attribute.name not in pending:
        return
    pending.discard(attribute.name)
    session = entity.session
    for store, setter in ((entity._local, None), (entity._remote, attribute.set_remote_value)):
        value = store.get(attribute.name, NOT_SET)
        if value is NOT_SET or value is None:
            continue
        merged = session._merge(value, merged={})
        if merged is value:
            continue
        if setter is None:
            with session.operation_recording(False):
                attribute.set_local_value(entity, merged)
        else:
            setter(entity, merged)


class ReferenceAttribute(Attribute):
    """Another entity (or ``None``)."""

    relational = True

    def __init__(self, name: str, entity_type: str, **kw: Any):
        super().__init__(name, **kw)
        self.entity_type = entity_type

    def get_value(self, entity: "Entity") -> Any:
        if entity._unattached:
            _attach(entity, self)
        return super().get_value(entity)

    def populate_remote_value(self, entity: "Entity") -> None:
        target = entity.session.types.get(self.entity_type)
        projections = getattr(target, "default_projections", None) or ["id"]
        entity.session.populate(
            [entity], ", ".join(f"{self._name}.{name}" for name in projections))

    def is_modified(self, entity: "Entity") -> bool:
        local = entity._local.get(self._name, NOT_SET)
        if local is NOT_SET:
            return False
        remote = entity._remote.get(self._name, NOT_SET)
        if local is None or remote is None or remote is NOT_SET:
            return local is not remote
        from ftrack_api.inspection import identity
        return identity(local) != identity(remote)


class AbstractCollectionAttribute(Attribute):
    """Base of attributes whose value is a collection of entities."""

    relational = True
    collection_class: type | None = None

    def get_value(self, entity: "Entity") -> Any:
        """The local collection, copied from the remote one (or made empty) on
        first read so it can be changed in place."""
        if entity._unattached:
            _attach(entity, self)
        name = self._name
        local = entity._local.get(name, NOT_SET)
        if local is not NOT_SET:
            return local
        remote = self.get_remote_value(entity)
        if remote is NOT_SET and entity.session.auto_populate:
            self.populate_remote_value(entity)
            remote = self.get_remote_value(entity)
        with entity.session.operation_recording(False):
            try:
                if isinstance(remote, self.collection_class):  # type: ignore[arg-type]
                    self.set_local_value(entity, copy.copy(remote))
                else:
                    self.set_local_value(entity, None)
            except ftrack_api.exception.ImmutableAttributeError:
                return remote
        return entity._local.get(name, NOT_SET)

    def get_remote_value(self, entity: "Entity") -> Any:
        value = entity._remote.get(self._name, NOT_SET)
        if isinstance(value, list):  # as decoded: wrap on first read
            value = self._adapt_to_collection(entity, value)
            value.mutable = False
            entity._remote[self._name] = value
        return value

    def set_local_value(self, entity: "Entity", value: Any) -> None:
        if value is not NOT_SET:
            value = self._adapt_to_collection(entity, value)
            value.mutable = self.mutable
        super().set_local_value(entity, value)

    def set_remote_value(self, entity: "Entity", value: Any) -> None:
        if value is not NOT_SET:
            value = self._adapt_to_collection(entity, value)
            value.mutable = False
        super().set_remote_value(entity, value)

    def is_modified(self, entity: "Entity") -> bool:
        local = entity._local.get(self._name, NOT_SET)
        return local is not NOT_SET and local != self.get_remote_value(entity)

    def _adapt_to_collection(self, entity: "Entity", value: Any) -> Any:
        raise NotImplementedError()

    def _check_bound(self, value: Any) -> Any:
        if value.attribute is not self:
            raise ftrack_api.exception.AttributeError(
                "Collection already bound to a different attribute.")
        return value


class CollectionAttribute(AbstractCollectionAttribute):
    """A list of other entities (children, notes, assignments…)."""

    collection_class = Collection

    def _adapt_to_collection(self, entity: "Entity", value: Any) -> Collection:
        if isinstance(value, Collection):
            return self._check_bound(value)
        if value is None:
            return Collection(entity, self)
        if isinstance(value, list):
            return Collection(entity, self, data=value)
        raise NotImplementedError(f"Cannot convert {value!r} to collection.")


class _MappedCollectionAttribute(AbstractCollectionAttribute):
    """A collection seen through a dict-like proxy; assigning a mapping
    replaces the contents key by key (removed keys are deleted)."""

    def _proxy(self, collection: Collection) -> MappedCollectionProxy:
        raise NotImplementedError()

    def _adapt_to_collection(self, entity: "Entity", value: Any) -> Any:
        if isinstance(value, self.collection_class):  # type: ignore[arg-type]
            return self._check_bound(value)
        if value is None:
            return self._proxy(Collection(entity, self))
        if isinstance(value, Collection):
            return self._proxy(value)
        if isinstance(value, list):
            return self._proxy(Collection(entity, self, data=value))
        if isinstance(value, collections.abc.Mapping):
            current = self.get_value(entity)
            if not isinstance(current, self.collection_class):  # type: ignore[arg-type]
                raise NotImplementedError(
                    f"Cannot assign a mapping to {self.name!r}: its current value is "
                    "not a mapped collection.")
            proxy = self._proxy(Collection(entity, self, data=current.collection[:]))
            for key in set(current.keys()) - set(value.keys()):
                del proxy[key]
            for key, item in list(value.items()):
                proxy[key] = item
            return proxy
        raise NotImplementedError(f"Cannot convert {value!r} to collection.")


class KeyValueMappedCollectionAttribute(_MappedCollectionAttribute):
    """Entities seen as ``{key: value}`` (metadata, custom attributes)."""

    collection_class = KeyValueMappedCollectionProxy

    def __init__(self, name: str, creator: Callable[..., Any], key_attribute: str,
                 value_attribute: str, **kw: Any):
        self.creator = creator
        self.key_attribute = key_attribute
        self.value_attribute = value_attribute
        super().__init__(name, **kw)

    def _proxy(self, collection: Collection) -> KeyValueMappedCollectionProxy:
        return KeyValueMappedCollectionProxy(
            collection, self.creator, self.key_attribute, self.value_attribute)


class CustomAttributeCollectionAttribute(_MappedCollectionAttribute):
    """Legacy ``CustomAttributeValue`` collections, keyed by configuration key."""

    collection_class = CustomAttributeCollectionProxy

    def _proxy(self, collection: Collection) -> CustomAttributeCollectionProxy:
        return CustomAttributeCollectionProxy(collection)
