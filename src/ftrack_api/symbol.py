"""Named constants: sentinel symbols, built-in location ids, topics, chunk size."""

from __future__ import annotations

import os


class Symbol:
    """A named singleton value; compare with ``is``. ``bool()`` is ``bool(value)``."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: object = True):
        self.name = name
        self.value = value

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"

    def __bool__(self) -> bool:
        return bool(self.value)

    def __copy__(self) -> "Symbol":
        return self

    def __deepcopy__(self, memo: dict) -> "Symbol":
        return self

    def __reduce__(self) -> str | tuple:
        # The module's own symbols pickle by reference, so they stay singletons.
        attribute = _PICKLE_NAMES.get(self.name, self.name)
        if globals().get(attribute) is self:
            return attribute
        return (type(self), (self.name, self.value))


def _chunk_size() -> int:
    try:
        size = int(os.environ.get("FTRACK_API_FILE_CHUNK_SIZE", "0"))
    except ValueError:
        size = 0
    return size or 1024 * 1024


#: No value has been set or loaded (falsy).
NOT_SET = Symbol("NOT_SET", False)

#: Entity states.
CREATED = Symbol("CREATED")
MODIFIED = Symbol("MODIFIED")
DELETED = Symbol("DELETED")

#: Job type for syncing users with LDAP.
JOB_SYNC_USERS_LDAP = Symbol("SYNC_USERS_LDAP")

#: Topics published when a component is added to or removed from a location.
COMPONENT_ADDED_TO_LOCATION_TOPIC = "ftrack.location.component-added"
COMPONENT_REMOVED_FROM_LOCATION_TOPIC = "ftrack.location.component-removed"

#: Ids of the built-in locations.
ORIGIN_LOCATION_ID = "ce9b348f-8809-11e3-821c-20c9d081909b"
UNMANAGED_LOCATION_ID = "cb268ecc-8809-11e3-a7e2-20c9d081909b"
REVIEW_LOCATION_ID = "cd41be70-8809-11e3-b98a-20c9d081909b"
CONNECT_LOCATION_ID = "07b82a97-8cf9-11e3-9383-20c9d081909b"
SERVER_LOCATION_ID = "3a372bde-05bc-11e4-8908-20c9d081909b"

#: Bytes read or written at a time when moving file data (1 MiB unless
#: ``FTRACK_API_FILE_CHUNK_SIZE`` names another non-zero size).
CHUNK_SIZE = _chunk_size()

# Symbol name -> module attribute holding it, for pickling.
_PICKLE_NAMES = {"SYNC_USERS_LDAP": "JOB_SYNC_USERS_LDAP"}
