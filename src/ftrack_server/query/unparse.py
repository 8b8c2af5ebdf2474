"""Render a query AST as canonical query text.

``parse(unparse(q))`` equals ``q`` except for positions. Canonical form: lower-case
keywords, word operators (``is``, ``is_not``) for equality, ``>``/``<``/``>=``/``<=``
for ordering, strings in double quotes with backslash escapes, ``offset`` before
``limit``, parentheses only where precedence needs them.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .ast import (
    Aggregate,
    And,
    Comparison,
    Criteria,
    Exists,
    Literal,
    Membership,
    Not,
    Or,
    Path,
    Query,
)
from .ast import ParseError
from .lexer import NAME, WORD, escape, tokenize

__all__ = ["unparse", "unparse_criteria", "unparse_literal"]

_OPERATOR_TEXT = {
    "=": "is",
    "!=": "is_not",
    ">": ">",
    "<": "<",
    ">=": ">=",
    "<=": "<=",
    "like": "like",
    "not_like": "not_like",
}


def _number(value: "int | float") -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write non-finite number {value!r} in a query")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def _is_plain_bare_word(value: str) -> bool:
    """True if ``value`` reads back as the same unquoted string literal."""
    if not value or value.lower() == "select":
        return False
    try:
        tokens = tokenize(value)
    except ParseError:
        return False
    if len(tokens) != 2:
        return False
    kind, text, _, low = tokens[0]
    if text != value:
        return False
    if kind == WORD:
        return True
    if kind == NAME:
        return low not in ("true", "false", "none", "null")
    return False  # NUMBER or punctuation


def unparse_literal(literal: Literal) -> str:
    """Render a literal; unquoted strings that would not read back are quoted."""
    value = literal.value
    if literal.quoted:
        return escape(value if isinstance(value, str) else str(value))
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str) and _is_plain_bare_word(value):
        return value
    return escape(str(value))


def _path(path: Path) -> str:
    return ".".join(path.names)


def _condition_path(path: Path) -> str:
    if len(path.names) == 1 and path.names[0].lower() == "not":
        raise ValueError('a condition cannot start with the attribute name "not"')
    return _path(path)


def unparse_criteria(node: Criteria) -> str:
    """Render criteria (as they would appear after ``where``)."""
    if isinstance(node, Comparison):
        op = _OPERATOR_TEXT.get(node.operator)
        if op is None:
            raise ValueError(f"unknown operator {node.operator!r}")
        return f"{_condition_path(node.path)} {op} {unparse_literal(node.value)}"
    if isinstance(node, Membership):
        word = "not_in" if node.negated else "in"
        if node.subquery is not None:
            if node.subquery.projections is None:
                raise ValueError("a subquery needs a select clause")
            inner = unparse(node.subquery)
        else:
            inner = ", ".join(unparse_literal(v) for v in node.values or ())
        return f"{_condition_path(node.path)} {word} ({inner})"
    if isinstance(node, Exists):
        inner = "" if node.criteria is None else unparse_criteria(node.criteria)
        return f"{_condition_path(node.path)} {node.kind} ({inner})"
    if isinstance(node, Not):
        operand = node.operand
        if isinstance(operand, (And, Or)):
            return f"not ({unparse_criteria(operand)})"
        return f"not {unparse_criteria(operand)}"
    if isinstance(node, And):
        return " and ".join(
            f"({unparse_criteria(op)})" if isinstance(op, (And, Or)) else unparse_criteria(op)
            for op in node.operands
        )
    if isinstance(node, Or):
        return " or ".join(
            f"({unparse_criteria(op)})" if isinstance(op, Or) else unparse_criteria(op)
            for op in node.operands
        )
    raise TypeError(f"not a criteria node: {node!r}")


def _projection(item: "Path | Aggregate") -> str:
    if isinstance(item, Aggregate):
        return f"{item.function}({_path(item.path)})"
    return _path(item)


def unparse(query: Query) -> str:
    """Render a whole query in canonical form."""
    parts: list[str] = []
    if query.projections is not None:
        if not query.projections:
            raise ValueError("a select clause needs at least one projection")
        parts.append("select " + ", ".join(_projection(p) for p in query.projections) + " from")
    elif query.entity_type.lower() == "select":
        raise ValueError('entity type "select" needs an explicit select clause')
    parts.append(query.entity_type)
    if query.criteria is not None:
        parts.append("where " + unparse_criteria(query.criteria))
    if query.group_by:
        parts.append("group by " + ", ".join(_path(p) for p in query.group_by))
    if query.order_by:
        parts.append(
            "order by "
            + ", ".join(_path(o.path) + (" desc" if o.descending else "") for o in query.order_by)
        )
    if query.offset is not None:
        parts.append(f"offset {query.offset}")
    if query.limit is not None:
        parts.append(f"limit {query.limit}")
    return " ".join(parts)
