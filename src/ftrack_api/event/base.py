"""The :class:`Event` mapping that travels through the event hub."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, MutableMapping
from typing import Any


class Event(MutableMapping):
    """One event: a mapping over ``id``, ``data``, ``topic``, ``sent``,
    ``source``, ``target`` and ``in_reply_to_event``.

    *topic* is a dotted name such as ``ftrack.update``. *target* is an
    expression matched against subscriber metadata (``""`` reaches every
    subscriber) and *in_reply_to_event* is the id of the event a reply answers.
    Falsy *id*, *data* or *source* are replaced by a fresh uuid4 hex, ``{}``
    and ``{}``.
    """

    def __init__(
        self,
        topic: str,
        id: str | None = None,
        data: Any = None,
        sent: Any = None,
        source: dict[str, Any] | None = None,
        target: str = "",
        in_reply_to_event: str | None = None,
    ):
        self._data: dict[str, Any] = {
            "id": id or uuid.uuid4().hex,
            "data": data or {},
            "topic": topic,
            "sent": sent,
            "source": source or {},
            "target": target,
            "in_reply_to_event": in_reply_to_event,
        }
        self._stopped = False

    def stop(self) -> None:
        """Skip the remaining local subscribers for this event."""
        self._stopped = True

    def is_stopped(self) -> bool:
        """Return whether :meth:`stop` was called."""
        return self._stopped

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self._data}>"

    __repr__ = __str__

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of *key*, or *default* when it is missing."""
        return self._data.get(key, default)
