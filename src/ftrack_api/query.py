"""Lazy, paged query results."""

from __future__ import annotations

import collections.abc
import re
from typing import TYPE_CHECKING, Any

import ftrack_api.exception

if TYPE_CHECKING:
    from ftrack_api.session import Session

_OFFSET = re.compile(r"\boffset\s+(?P<value>\d+)\b", re.IGNORECASE)
_LIMIT = re.compile(r"\blimit\s+(?P<value>\d+)\b", re.IGNORECASE)


def _take(pattern: re.Pattern[str], expression: str) -> tuple[str, int | None]:
    match = pattern.search(expression)
    if match is None:
        return expression, None
    value = int(match.group("value"))
    start, end = match.span()
    return (expression[:start] + expression[end:]).strip(), value


class QueryResult(collections.abc.Sequence):
    """The entities a query matches, fetched a page at a time as they are read."""

    def __init__(self, session: "Session", expression: str, page_size: int = 500):
        super().__init__()
        self._session = session
        self._results: list[Any] = []
        expression, self._offset = _take(_OFFSET, expression)
        expression, self._limit = _take(_LIMIT, expression)
        self._expression = expression
        self._page_size = page_size
        if self._limit is not None and self._limit < page_size:
            self._page_size = self._limit
        self._next_offset: int | None = self._offset or 0

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice) or index < 0:
            self._fetch_all()
        else:
            while index >= len(self._results) and self._next_offset is not None:
                self._fetch_more()
        return self._results[index]

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._results)

    def __iter__(self) -> Any:
        index = 0
        while True:
            while index >= len(self._results):
                if self._next_offset is None:
                    return
                self._fetch_more()
            yield self._results[index]
            index += 1

    def __repr__(self) -> str:
        fetched = "all" if self._next_offset is None else len(self._results)
        return f"<{type(self).__name__}({self._expression!r}, fetched={fetched})>"

    def _fetch_all(self) -> None:
        while self._next_offset is not None:
            self._fetch_more()

    def _fetch_more(self) -> None:
        assert self._next_offset is not None
        expression = f"{self._expression} offset {self._next_offset} limit {self._page_size}"
        entities, metadata = self._session._query(expression)
        self._results.extend(entities)
        self._next_offset = ((metadata or {}).get("next") or {}).get("offset")
        if self._limit is not None and self._next_offset is not None \
                and len(self._results) >= self._limit:
            self._next_offset = None
        if self._limit is not None and len(self._results) > self._limit:
            del self._results[self._limit:]

    def all(self) -> list[Any]:
        """Every result, as a list."""
        return list(self)

    def one(self) -> Any:
        """The only result: ``NoResultFoundError`` or ``MultipleResultsFoundError``
        otherwise."""
        if self._limit is not None:
            raise ValueError("Expression already contains a limit clause.")
        if self._offset is not None:
            raise ValueError("Expression contains an offset clause which does not make "
                             "sense when selecting a single item.")
        entities, _ = self._session._query(f"{self._expression} limit 2")
        if not entities:
            raise ftrack_api.exception.NoResultFoundError()
        if len(entities) > 1:
            raise ftrack_api.exception.MultipleResultsFoundError()
        return entities[0]

    def first(self) -> Any:
        """The first result, or ``None``."""
        if self._limit is not None:
            raise ValueError("Expression already contains a limit clause.")
        expression = self._expression
        if self._offset:
            expression += f" offset {self._offset}"
        entities, _ = self._session._query(f"{expression} limit 1")
        return entities[0] if entities else None
