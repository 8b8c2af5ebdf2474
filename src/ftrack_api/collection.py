"""Collections of entities held by an entity's collection attributes."""

from __future__ import annotations

import collections.abc
import copy
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Callable

import ftrack_api.exception
from ftrack_api.cache import KeyMaker, Memoiser, memoise_decorator
from ftrack_api.operation import UpdateEntityOperation
from ftrack_api.symbol import CREATED, NOT_SET

if TYPE_CHECKING:
    from ftrack_api.entity.base import Entity

logger = logging.getLogger(__name__)


def _identity_key(entity: Any) -> str:
    from ftrack_api.inspection import identity
    return str(identity(entity))


class Collection(collections.abc.MutableSequence):
    """An ordered set of entities owned by *entity*'s *attribute*; every
    change records an update of that attribute."""

    def __init__(self, entity: "Entity", attribute: Any, mutable: bool = True,
                 data: Iterable[Any] | None = None):
        self.entity = entity
        self.attribute = attribute
        self._data: list[Any] = []
        self._identities: set[str] = set()
        self.mutable = True
        try:
            for item in data or ():  # initial contents are never recorded
                key = _identity_key(item)
                if key in self._identities:
                    raise ftrack_api.exception.DuplicateItemInCollectionError(item, self)
                self._data.append(item)
                self._identities.add(key)
        finally:
            self.mutable = mutable

    def __copy__(self) -> "Collection":
        copied = type(self).__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied._data = list(self._data)
        copied._identities = set(self._identities)
        return copied

    def _check_mutable(self) -> None:
        if not self.mutable:
            raise ftrack_api.exception.ImmutableCollectionError(self)

    def _notify(self, old_value: "Collection") -> None:
        session = self.entity.session
        if session.record_operations:
            from ftrack_api.inspection import primary_key
            session.recorded_operations.push(UpdateEntityOperation(
                self.entity.entity_type, primary_key(self.entity), self.attribute.name,
                old_value, self))

    def insert(self, index: int, item: Any) -> None:
        self._check_mutable()
        key = _identity_key(item)
        if key in self._identities:
            raise ftrack_api.exception.DuplicateItemInCollectionError(item, self)
        old_value = copy.copy(self)
        self._data.insert(index, item)
        self._identities.add(key)
        self._notify(old_value)

    def __contains__(self, value: object) -> bool:
        try:
            return _identity_key(value) in self._identities
        except (KeyError, AttributeError, TypeError):
            return False

    def __getitem__(self, index: Any) -> Any:
        return self._data[index]

    def __setitem__(self, index: Any, item: Any) -> None:
        self._check_mutable()
        key = _identity_key(item)
        current = self._data[index]
        if key in self._identities and _identity_key(current) != key:
            raise ftrack_api.exception.DuplicateItemInCollectionError(item, self)
        old_value = copy.copy(self)
        self._identities.discard(_identity_key(current))
        self._data[index] = item
        self._identities.add(key)
        self._notify(old_value)

    def __delitem__(self, index: Any) -> None:
        self._check_mutable()
        old_value = copy.copy(self)
        removed = self._data[index]
        del self._data[index]
        for item in removed if isinstance(index, slice) else (removed,):
            self._identities.discard(_identity_key(item))
        self._notify(old_value)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Collection):
            return False
        return self._identities == other._identities

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Collection {self.attribute.name} {self._data!r}>"


class MappedCollectionProxy(collections.abc.MutableMapping):
    """A dict-like view of a :class:`Collection`."""

    def __init__(self, collection: Collection):
        self.collection = collection

    def __copy__(self) -> "MappedCollectionProxy":
        copied = type(self).__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.collection = copy.copy(self.collection)
        return copied

    @property
    def mutable(self) -> bool:
        return self.collection.mutable

    @mutable.setter
    def mutable(self, value: bool) -> None:
        self.collection.mutable = value

    @property
    def attribute(self) -> Any:
        return self.collection.attribute

    @attribute.setter
    def attribute(self, value: Any) -> None:
        self.collection.attribute = value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MappedCollectionProxy):
            return self.collection == other.collection
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]


class KeyValueMappedCollectionProxy(MappedCollectionProxy):
    """``{key: value}`` over entities holding one key and one value each."""

    def __init__(self, collection: Collection, creator: Callable[..., Any],
                 key_attribute: str, value_attribute: str):
        super().__init__(collection)
        self.creator = creator
        self.key_attribute = key_attribute
        self.value_attribute = value_attribute

    def _entity_for(self, key: Any) -> Any:
        for entity in self.collection:
            if entity[self.key_attribute] == key:
                return entity
        raise KeyError(key)

    def __getitem__(self, key: Any) -> Any:
        return self._entity_for(key)[self.value_attribute]

    def __setitem__(self, key: Any, value: Any) -> None:
        try:
            entity = self._entity_for(key)
        except KeyError:
            entity = self.creator(self, {self.key_attribute: key, self.value_attribute: value})
            from ftrack_api.inspection import state
            if state(entity) is CREATED:
                self.collection.append(entity)
            else:  # the creator persists it some other way
                with self.collection.entity.session.operation_recording(False):
                    self.collection.append(entity)
        else:
            entity[self.value_attribute] = value

    def __delitem__(self, key: Any) -> None:
        for index, entity in enumerate(self.collection):
            if entity[self.key_attribute] == key:
                break
        else:
            raise KeyError(key)
        del self.collection[index]
        entity.session.delete(entity)

    def _keys(self) -> dict[Any, None]:
        return dict.fromkeys(entity[self.key_attribute] for entity in self.collection)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def keys(self) -> list[Any]:  # type: ignore[override]
        return list(self._keys())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict(self.items())!r}>"


class PerSessionDefaultKeyMaker(KeyMaker):
    """Memo keys that tell sessions apart by identity."""

    def _key(self, obj: Any) -> str:
        session = getattr(obj, "session", None)
        if session is not None:
            return str(id(session))
        return str(id(obj)) if _is_session(obj) else str(obj)


def _is_session(obj: Any) -> bool:
    from ftrack_api.session import Session
    return isinstance(obj, Session)


#: Memoises per session (values are shared, not copied).
memoise_session = memoise_decorator(
    Memoiser(key_maker=PerSessionDefaultKeyMaker(), return_copies=False))


@memoise_session
def _get_custom_attribute_configurations(session: Any) -> list[Any]:
    return session.query(
        "select key, project_id, id, object_type_id, entity_type, is_hierarchical, default "
        "from CustomAttributeConfiguration").all()


class CustomAttributeCollectionProxy(MappedCollectionProxy):
    """Legacy ``CustomAttributeValue`` collections keyed by configuration key,
    falling back to the configuration's default."""

    def _configurations(self) -> list[Any]:
        from ftrack_api.entity.factory import applicable_configurations
        return applicable_configurations(self.collection.entity)

    def get_configuration_id_from_key(self, key: str) -> str:
        for configuration in self._configurations():
            if configuration["key"] == key:
                return configuration["id"]
        raise KeyError(key)

    def _entity_for(self, key: str) -> Any:
        configuration_id = self.get_configuration_id_from_key(key)
        for entity in self.collection:
            if entity["configuration_id"] == configuration_id:
                return entity
        return None

    def __getitem__(self, key: str) -> Any:
        entity = self._entity_for(key)
        if entity is not None:
            return entity["value"]
        for configuration in self._configurations():
            if configuration["key"] == key:
                return configuration["default"]
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        entity = self._entity_for(key)
        if entity is not None:
            entity["value"] = value
            return
        owner = self.collection.entity
        entity = owner.session.create("CustomAttributeValue", {
            "entity_id": owner["id"],
            "configuration_id": self.get_configuration_id_from_key(key),
            "value": value,
        })
        self.collection.append(entity)

    def __delitem__(self, key: str) -> None:
        entity = self._entity_for(key)
        if entity is None:
            logger.warning("Cannot delete custom attribute %r: it has no value.", key)
            return
        self.collection.remove(entity)
        entity.session.delete(entity)

    def __iter__(self) -> Iterator[str]:
        return iter([configuration["key"] for configuration in self._configurations()])

    def __len__(self) -> int:
        return len(self._configurations())

    def __eq__(self, other: object) -> bool:
        if other is NOT_SET or not isinstance(other, MappedCollectionProxy):
            return False
        return self.collection == other.collection

    __hash__ = None  # type: ignore[assignment]
