"""Syntax tree of the query language (see spec/query-language.md, section 3).

Nodes are immutable and compare by value. Every node that corresponds to a piece
of text records the 0-based character offset where it starts, for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Path:
    """A dotted attribute path such as ``status.state.short``."""

    names: tuple[str, ...]
    position: int

    def __str__(self) -> str:
        return ".".join(self.names)


@dataclass(frozen=True)
class Literal:
    """A value: bare words are classified, quoted text is always a string."""

    value: "str | int | float | bool | None"
    quoted: bool
    position: int


@dataclass(frozen=True)
class Comparison:
    """``path <operator> value`` with a canonical operator name."""

    path: Path
    operator: str
    value: Literal


@dataclass(frozen=True)
class Membership:
    """``path in (...)`` / ``path not_in (...)`` with a literal list or a subquery."""

    path: Path
    negated: bool
    values: "tuple[Literal, ...] | None"
    subquery: "Query | None"


@dataclass(frozen=True)
class Exists:
    """``path has (...)`` / ``path any (...)``; ``criteria`` is None for ``()``."""

    path: Path
    kind: str
    criteria: "Criteria | None"


@dataclass(frozen=True)
class Not:
    """Logical negation."""

    operand: "Criteria"


@dataclass(frozen=True)
class And:
    """Conjunction of two or more operands (never directly nested)."""

    operands: "tuple[Criteria, ...]"


@dataclass(frozen=True)
class Or:
    """Disjunction of two or more operands (never directly nested)."""

    operands: "tuple[Criteria, ...]"


Criteria = Union[Comparison, Membership, Exists, Not, And, Or]


@dataclass(frozen=True)
class Aggregate:
    """An aggregate projection such as ``count(id)``."""

    function: str
    path: Path

    @property
    def key(self) -> str:
        """Name of the aggregate in result rows, e.g. ``count_id``."""
        return f"{self.function}_{self.path}"


@dataclass(frozen=True)
class OrderItem:
    """One ``order by`` item."""

    path: Path
    descending: bool


@dataclass(frozen=True)
class Query:
    """A complete query expression."""

    entity_type: str
    entity_type_position: int
    projections: "tuple[Path | Aggregate, ...] | None"
    criteria: "Criteria | None"
    group_by: "tuple[Path, ...]"
    order_by: "tuple[OrderItem, ...]"
    offset: "int | None"
    limit: "int | None"


class ParseError(Exception):
    """Syntax error in a query expression."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # keep both arguments when pickled
        return (type(self), (self.message, self.position))
