"""The event expression language: which events a subscription wants, and
which subscribers a targeted event reaches.

``topic=ftrack.update and (data.kind=shot or not source.user.username="bot")``

A condition is ``field op value``. ``field`` is a dotted path of letters,
digits, ``_`` and ``.``; ``op`` is one of ``= != >= <= > <``; ``value`` is a
bare word (letters, digits and ``-_,./*@+``) or a quoted string whose outer
quotes are removed (nothing else is unescaped). Values stay strings.
Conditions combine with ``not``, ``and`` and ``or`` (case-insensitive,
binding tightest to loosest) and parentheses.

This module is pure (no session, no I/O): the server routes events with it
too. Parsed expressions are cached, so parsing the same text again is cheap;
expression objects are never changed after construction.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any as _AnyType

from ftrack_api.exception import ParseError

__all__ = ["All", "Any", "Condition", "Expression", "Not", "Parser"]

#: Operator text to comparison function, longest spellings first.
_OPERATORS: dict[str, Callable[[_AnyType, _AnyType], _AnyType]] = {
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    "=": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}
_SYMBOLS = {function: text for text, function in _OPERATORS.items()}

_WILDCARD = "*"


# ----------------------------------------------------------------------------
# Expression tree


class Expression:
    """An expression that every candidate matches."""

    def __str__(self) -> str:
        return f"<{type(self).__name__}>"

    def match(self, candidate: _AnyType) -> bool:
        """Return whether *candidate* satisfies this expression."""
        return True


class _Group(Expression):
    """An expression combining several others."""

    def __init__(self, expressions: Iterable[Expression] | None = None):
        self._expressions: list[Expression] = list(expressions or [])

    def __str__(self) -> str:
        inner = " ".join(map(str, self._expressions))
        return f"<{type(self).__name__} [{inner}]>"


class All(_Group):
    """Matches when every one of *expressions* matches (so always when empty)."""

    def match(self, candidate: _AnyType) -> bool:
        """Return whether *candidate* satisfies every sub-expression."""
        for expression in self._expressions:
            if not expression.match(candidate):
                return False
        return True


class Any(_Group):
    """Matches when at least one of *expressions* matches (so never when empty)."""

    def match(self, candidate: _AnyType) -> bool:
        """Return whether *candidate* satisfies any sub-expression."""
        for expression in self._expressions:
            if expression.match(candidate):
                return True
        return False


class Not(Expression):
    """Matches when *expression* does not."""

    def __init__(self, expression: Expression):
        self._expression = expression

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self._expression}>"

    def match(self, candidate: _AnyType) -> bool:
        """Return whether *candidate* fails the negated expression."""
        return not self._expression.match(candidate)


class Condition(Expression):
    """Compare the value at dotted *key* in a candidate with *value*.

    *operator* is a two-argument function such as :func:`operator.eq`. A
    missing key (or a step into something that is not a mapping) never
    matches, whatever the operator. With :func:`operator.eq` and a string
    *value* ending in ``*`` the condition matches when the rest of *value* is
    contained in the candidate's value: a substring of a string, an item of a
    list, a key of a mapping. Comparisons that cannot be made (ordering a
    number against a string, say) do not match.
    """

    def __init__(
        self, key: str, operator: Callable[[_AnyType, _AnyType], _AnyType], value: _AnyType
    ):
        self._key = key
        self._operator = operator
        self._value = value
        self._path = tuple(key.split("."))
        is_text_equality = operator is _OPERATORS["="] and isinstance(value, str)
        # What the candidate must contain for a wildcard match, else None.
        self._needle: str | None = (
            value[:-1] if is_text_equality and value.endswith(_WILDCARD) else None
        )
        # ``key=""`` errors in the official client; here it never matches.
        self._never = is_text_equality and value == ""

    def __str__(self) -> str:
        symbol = _SYMBOLS.get(self._operator, self._operator)
        return f"<{type(self).__name__} {self._key}{symbol}{self._value}>"

    def __reduce__(self) -> tuple[_AnyType, ...]:
        return (type(self), (self._key, self._operator, self._value))

    def match(self, candidate: _AnyType) -> bool:
        """Return whether *candidate* satisfies this condition."""
        if self._never:
            return False
        value = candidate
        try:
            for part in self._path:
                value = value[part]
        except (LookupError, TypeError, AttributeError, ValueError):
            return False
        try:
            if self._needle is not None:
                return self._needle in value
            return bool(self._operator(value, self._value))
        except (TypeError, ValueError):
            return False


# ----------------------------------------------------------------------------
# Parsing

# Only these separate tokens inside an expression (leading and trailing
# whitespace of any kind is stripped first).
_SPACE = frozenset(" \t\r\n")
_OPERATOR_START = frozenset("!=<>")
_FIELD = re.compile(r"[A-Za-z0-9_.]+")
_OPERATOR = re.compile(r"!=|>=|<=|=|>|<")
_BARE_VALUE = re.compile(r"[A-Za-z0-9_\-,./*@+]+")
# The text of a quoted value up to (not including) its closing quote: one
# line, a doubled quote or a backslash escape may appear inside; ``\x`` must
# be followed by hex digits. Matched without backtracking into a shorter body.
_QUOTED_BODY = {
    quote: re.compile(
        rf"{quote}(?:[^{quote}\n\r\\]|{quote}{quote}|\\(?:[^x]|x[0-9a-fA-F]+))*"
    )
    for quote in ("'", '"')
}
# A keyword must not run on into another identifier character.
_KEYWORD = re.compile(r"(and|or|not)(?![A-Za-z0-9_$])", re.IGNORECASE)


class _Failure(Exception):
    """Raised inside the reader; turned into :class:`ParseError` by :func:`_parse`."""

    def __init__(self, reason: str, position: int):
        super().__init__(reason, position)
        self.reason = reason
        self.position = position


class _Reader:
    """Recursive-descent reader over one expression string.

    Tokens are scanned on demand at the current position, because what a
    word means depends on where it is (``not=1`` is a condition on the key
    ``not``; ``and.b=1`` after a condition is ``and`` followed by ``.b=1``).
    """

    __slots__ = ("length", "position", "text")

    def __init__(self, text: str):
        self.text = text
        self.length = len(text)
        self.position = 0

    def read(self) -> Expression:
        expression = self._or()
        if self._skip_space() < self.length:
            raise _Failure("Unexpected text", self.position)
        return expression

    # Grammar, loosest binding first ------------------------------------

    def _or(self) -> Expression:
        expressions = [self._and()]
        while self._keyword("or"):
            expressions.append(self._and())
        return expressions[0] if len(expressions) == 1 else Any(expressions)

    def _and(self) -> Expression:
        expressions = [self._not()]
        while self._keyword("and"):
            expressions.append(self._not())
        return expressions[0] if len(expressions) == 1 else All(expressions)

    def _not(self) -> Expression:
        start = self.position
        if self._keyword("not"):
            following = self._skip_space()
            if following >= self.length or self.text[following] not in _OPERATOR_START:
                return Not(self._not())
            # ``not = 1``: a condition on a key that happens to be named "not".
            self.position = start
        return self._primary()

    def _primary(self) -> Expression:
        position = self._skip_space()
        if position < self.length and self.text[position] == "(":
            self.position = position + 1
            expression = self._or()
            position = self._skip_space()
            if position >= self.length or self.text[position] != ")":
                raise _Failure("Expected ')'", position)
            self.position = position + 1
            return expression
        return self._condition()

    def _condition(self) -> Condition:
        text = self.text
        position = self._skip_space()
        found = _FIELD.match(text, position)
        if found is None:
            raise _Failure("Expected a condition such as topic=value", position)
        key = found.group()

        self.position = found.end()
        position = self._skip_space()
        found = _OPERATOR.match(text, position)
        if found is None:
            raise _Failure(f"Expected an operator (= != >= <= > <) after {key!r}", position)
        function = _OPERATORS[found.group()]

        self.position = found.end()
        return Condition(key, function, self._value())

    def _value(self) -> str:
        text = self.text
        position = self._skip_space()
        quote = text[position] if position < self.length else ""
        if quote in _QUOTED_BODY:
            end = _QUOTED_BODY[quote].match(text, position).end()  # type: ignore[union-attr]
            if end < self.length and text[end] == quote:
                self.position = end + 1
                return text[position + 1 : end]
            raise _Failure("Unterminated quoted value", position)
        found = _BARE_VALUE.match(text, position)
        if found is None:
            raise _Failure("Expected a value", position)
        self.position = found.end()
        return found.group()

    # Scanning helpers ---------------------------------------------------

    def _skip_space(self) -> int:
        position, text, length = self.position, self.text, self.length
        while position < length and text[position] in _SPACE:
            position += 1
        self.position = position
        return position

    def _keyword(self, word: str) -> bool:
        """Consume the keyword *word* if it comes next."""
        position = self._skip_space()
        found = _KEYWORD.match(self.text, position)
        if found is not None and found.group(1).lower() == word:
            self.position = found.end()
            return True
        return False


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Expression:
    """Parse stripped *text*; results are shared, so they must stay unchanged."""
    if not text:
        raise ParseError("Failed to parse: the expression is empty.")
    try:
        # Like the official client, expand tabs first (this shows in quoted values).
        return _Reader(text.expandtabs() if "\t" in text else text).read()
    except _Failure as failure:
        raise ParseError(
            "Failed to parse: {expression}. {reason} at position {position}.",
            details={
                "expression": text,
                "reason": failure.reason,
                "position": failure.position,
            },
        ) from None
    except RecursionError:
        raise ParseError(
            "Failed to parse: {expression}. Nested too deeply.",
            details={"expression": text},
        ) from None


class Parser:
    """Turns expression text into an :class:`Expression` tree."""

    def parse(self, expression: str) -> Expression:
        """Parse *expression*; raise :exc:`~ftrack_api.exception.ParseError` if invalid.

        Surrounding whitespace is ignored; an empty expression is invalid.
        """
        if not isinstance(expression, str):
            raise TypeError(f"Expected expression text, got {expression!r}.")
        return _parse(expression.strip())
