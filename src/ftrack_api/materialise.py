"""Turn decoded server JSON into the session's entities.

Every entity in a response is merged into the one instance the session keeps
for its identity: server values overwrite the known remote values, unsaved
local values are left alone. Tagged datetimes become :class:`arrow.Arrow`.
This is the hot path of every query, so it works on the decoded dicts
directly instead of building throw-away entity instances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ftrack_api.cache import StringKeyMaker
from ftrack_api.entity.base import COLLECTION, REFERENCE, attribute_kinds
from ftrack_api.symbol import NOT_SET
from ftrack_api.transport import parse_datetime

if TYPE_CHECKING:
    from ftrack_api.session import Session


def _datetime(value: dict) -> Any:
    kind = value.get("__type__")
    if kind == "datetime" or kind == "date":
        return parse_datetime(value["value"])
    return value


class Materialiser:
    """Merges decoded JSON into *session*'s identity map."""

    def __init__(self, session: "Session"):
        self._session = session

    def value(self, value: Any) -> Any:
        """*value* with every entity in it attached and datetimes decoded."""
        kind = type(value)
        if kind is dict:
            if "__entity_type__" in value:
                return self.entity(value)
            if "__type__" in value:
                return _datetime(value)
            return {key: self.value(item) for key, item in value.items()}
        if kind is list:
            return [self.value(item) for item in value]
        return value

    def entity(self, data: dict) -> Any:
        """The session's instance for the entity *data* describes, updated."""
        session = self._session
        entity_type = data["__entity_type__"]
        cls = session.types.get(entity_type)
        if cls is None:
            from ftrack_api.exception import UnrecognisedEntityTypeError
            raise UnrecognisedEntityTypeError(entity_type)
        try:
            identity = (entity_type, [str(data[name]) for name in cls.primary_key_attributes])
        except KeyError:
            return session._create(entity_type, self._plain(data), reconstructing=True)
        key_maker = session.cache_key_maker
        key = str(identity) if type(key_maker) is StringKeyMaker else key_maker.key(identity)
        memory = session._memory
        entity = memory.get(key)
        persisted = session._persisted_layers
        if entity is None and persisted:
            try:
                entity = session.cache.get(key)
            except KeyError:
                entity = None
        created = entity is None
        if created:
            entity = cls.__new__(cls)
            entity.session = session
            entity._local = {}
            entity._remote = remote = {}
            memory[key] = entity  # before its values: they may refer back to it
        else:
            remote = entity._remote
        local = entity._local
        changed = created
        kinds = cls._kinds or attribute_kinds(cls)
        for name, item in data.items():
            kind = type(item)
            if kind is dict:
                if "__entity_type__" in item and kinds.get(name) == REFERENCE:
                    item = self.entity(item)
                else:
                    item = self.value(item)
            elif kind is list:
                if kinds.get(name) == COLLECTION:
                    item = [self.entity(member) for member in item]
                    if name in local and not created:
                        self._refresh_collection(entity, name, remote.get(name, NOT_SET))
                else:
                    item = self.value(item)
            if persisted and not changed and name != "__entity_type__":
                old = remote.get(name, NOT_SET)
                changed = old is NOT_SET or old != item
            remote[name] = item
        # Keys that are not attributes (the type tag, restricted projections)
        # are harmless in the remote values; only the tag is worth dropping.
        remote.pop("__entity_type__", None)
        if changed and persisted:
            session.cache.set(key, entity)
        return entity

    @staticmethod
    def _refresh_collection(entity: Any, name: str, old_remote: Any) -> None:
        """Drop a loaded but unchanged local copy of a collection so the new
        server contents show through."""
        attribute = entity.attributes.get(name)
        local = entity._local.get(name)
        if old_remote is NOT_SET:
            return
        if isinstance(old_remote, list):
            old_remote = attribute.get_remote_value(entity)
        if local == old_remote:
            del entity._local[name]

    def _plain(self, data: dict) -> dict:
        return {key: self.value(item) for key, item in data.items()}
