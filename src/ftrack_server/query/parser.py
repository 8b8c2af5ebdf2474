"""Recursive-descent parser for the query language (spec section 3).

Entry point: :func:`parse`. Keywords are recognised by position, so the
attribute names ``from``, ``to``, ``group`` and ``order`` keep working:

* every element of a projection list is a path; after it only ``,`` or the
  keyword ``from`` may follow;
* the first word of a condition is a path (except the prefix ``not``);
* ``group`` / ``order`` start a clause only in clause position and followed by ``by``;
* a value position takes any single literal token, keyword-shaped or not.
"""

from __future__ import annotations

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
    OrderItem,
    ParseError,
    Path,
    Query,
)
from .lexer import END, NAME, NUMBER, OP, PUNCT, STRING, WORD, Token, snippet, tokenize

__all__ = ["parse", "ParseError", "MAX_DEPTH"]

#: Maximum nesting of parentheses, ``has``/``any`` groups, subqueries and ``not``.
MAX_DEPTH = 64

_COMPARATORS = {
    "is": "=",
    "is_not": "!=",
    "after": ">",
    "greater_than": ">",
    "before": "<",
    "less_than": "<",
    "like": "like",
    "not_like": "not_like",
}
_AGGREGATES = frozenset(("count", "sum", "avg", "min", "max"))
_DIRECTIONS = {"asc": False, "ascending": False, "desc": True, "descending": True}
_CLAUSE_WORDS = frozenset(
    ("select", "from", "where", "group", "order", "by", "offset", "limit", "and", "or")
)

# Query stages, used to tell what may follow at the end of a query.
_AFTER_TYPE, _AFTER_WHERE, _AFTER_GROUP, _AFTER_ORDER, _AFTER_OFFSET, _AFTER_LIMIT, _DONE = range(7)

_EXPECT_CONDITION = 'a condition (attribute path, "not" or "(")'
_EXPECT_OPERATOR = (
    'an operator ("is", "is_not", "=", "!=", ">", "<", ">=", "<=", "after", "before", '
    '"greater_than", "less_than", "like", "not_like", "in", "not_in", "has" or "any")'
)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _bare_value(token: Token) -> "str | int | float | bool | None":
    """Classify an unquoted value token."""
    kind = token[0]
    if kind == NAME:
        low = token[3]
        if low == "true":
            return True
        if low == "false":
            return False
        if low == "none" or low == "null":
            return None
        return token[1]
    if kind == NUMBER:
        text = token[1]
        return float(text) if "." in text else int(text)
    return token[1]


class _Parser:
    """Parser state: the token list and the current index."""

    __slots__ = ("toks", "i", "depth")

    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- helpers -------------------------------------------------------------

    def error(self, token: Token, expected: str) -> ParseError:
        """Build a ParseError at ``token`` saying what was expected."""
        near = "near end of query" if token[0] == END else f"near {snippet(token[1])}"
        return ParseError(f"Syntax error at position {token[2]} {near}: expected {expected}", token[2])

    def keyword(self, word: str) -> bool:
        """Consume the keyword ``word`` if it is the next token."""
        tok = self.toks[self.i]
        if tok[0] == NAME and tok[3] == word:
            self.i += 1
            return True
        return False

    def clause(self, word: str) -> bool:
        """Consume ``<word> by`` if ``word`` is next; ``word`` without ``by`` is an error."""
        toks = self.toks
        tok = toks[self.i]
        if tok[0] != NAME or tok[3] != word:
            return False
        nxt = toks[self.i + 1]
        if nxt[0] == NAME and nxt[3] == "by":
            self.i += 2
            return True
        raise self.error(nxt, '"by"')

    def punct(self, char: str, expected: str) -> None:
        """Consume punctuation ``char`` or fail saying ``expected``."""
        tok = self.toks[self.i]
        if tok[0] != PUNCT or tok[1] != char:
            raise self.error(tok, expected)
        self.i += 1

    def is_punct(self, char: str) -> bool:
        tok = self.toks[self.i]
        return tok[0] == PUNCT and tok[1] == char

    def path(self, expected: str = "an attribute path") -> Path:
        """Parse a (dotted) attribute path."""
        tok = self.toks[self.i]
        if tok[0] != NAME:
            raise self.error(tok, expected)
        self.i += 1
        return Path(tuple(tok[1].split(".")), tok[2])

    def integer(self) -> int:
        """Parse a non-negative integer (offset / limit)."""
        tok = self.toks[self.i]
        if tok[0] != NUMBER or not tok[1].isdigit():
            raise self.error(tok, "a non-negative integer")
        self.i += 1
        return int(tok[1])

    def enter(self, token: Token, levels: int = 1) -> None:
        """Increase nesting depth, refusing absurdly deep expressions."""
        self.depth += levels
        if self.depth > MAX_DEPTH:
            raise ParseError(
                f"Syntax error at position {token[2]} near {snippet(token[1])}: "
                f"expression nested deeper than {MAX_DEPTH} levels",
                token[2],
            )

    # -- query ---------------------------------------------------------------

    def query(self, nested: bool) -> Query:
        """Parse a full query; a nested one ends before its closing ``)``."""
        toks = self.toks
        projections = None
        if self.keyword("select"):
            projections = self.select_list()
            expected_type = "an entity type name"
        else:
            expected_type = '"select" or an entity type name'
        tok = toks[self.i]
        if tok[0] != NAME or "." in tok[1]:
            raise self.error(tok, expected_type)
        self.i += 1
        entity_type, entity_type_position = tok[1], tok[2]

        stage = _AFTER_TYPE
        criteria = None
        group_by: tuple[Path, ...] = ()
        order_by: tuple[OrderItem, ...] = ()
        offset = limit = None
        last_direction = True

        if self.keyword("where"):
            criteria = self.or_expr()
            stage = _AFTER_WHERE
        if self.clause("group"):
            items = [self.path()]
            while self.is_punct(","):
                self.i += 1
                items.append(self.path())
            group_by = tuple(items)
            stage = _AFTER_GROUP
        if self.clause("order"):
            order: list[OrderItem] = []
            while True:
                path = self.path()
                tok = toks[self.i]
                descending = False
                last_direction = False
                if tok[0] == NAME and tok[3] in _DIRECTIONS:
                    descending = _DIRECTIONS[tok[3]]
                    last_direction = True
                    self.i += 1
                order.append(OrderItem(path, descending))
                if not self.is_punct(","):
                    break
                self.i += 1
            order_by = tuple(order)
            stage = _AFTER_ORDER
        if self.keyword("offset"):
            offset = self.integer()
            stage = _AFTER_OFFSET
            if self.keyword("limit"):
                limit = self.integer()
                stage = _DONE
        elif self.keyword("limit"):
            limit = self.integer()
            stage = _AFTER_LIMIT
            if self.keyword("offset"):
                offset = self.integer()
                stage = _DONE

        tok = toks[self.i]
        if nested:
            if tok[0] != PUNCT or tok[1] != ")":
                raise self.error(tok, self.trailing(stage, last_direction, '")"'))
        elif tok[0] != END:
            if tok[0] == PUNCT and tok[1] == ")":
                raise ParseError(
                    f'Syntax error at position {tok[2]} near ")": unbalanced parentheses, '
                    'this ")" has no matching "("',
                    tok[2],
                )
            raise self.error(tok, self.trailing(stage, last_direction, "end of query"))
        return Query(
            entity_type,
            entity_type_position,
            projections,
            criteria,
            group_by,
            order_by,
            offset,
            limit,
        )

    @staticmethod
    def trailing(stage: int, last_direction: bool, end: str) -> str:
        """Describe what may follow a query that has reached ``stage``."""
        items: list[str] = []
        if stage == _AFTER_TYPE:
            items.append('"where"')
        elif stage == _AFTER_WHERE:
            items += ['"and"', '"or"']
        elif stage == _AFTER_GROUP:
            items.append('","')
        elif stage == _AFTER_ORDER:
            items.append('","')
            if not last_direction:
                items += ['"asc"', '"desc"']
        if stage <= _AFTER_WHERE:
            items.append('"group by"')
        if stage <= _AFTER_GROUP:
            items.append('"order by"')
        if stage <= _AFTER_ORDER:
            items += ['"offset"', '"limit"']
        elif stage == _AFTER_OFFSET:
            items.append('"limit"')
        elif stage == _AFTER_LIMIT:
            items.append('"offset"')
        items.append(end)
        return _join(items)

    def select_list(self) -> tuple["Path | Aggregate", ...]:
        """Parse projections up to and including the keyword ``from``."""
        toks = self.toks
        items: list[Path | Aggregate] = []
        while True:
            tok = toks[self.i]
            if tok[0] != NAME:
                raise self.error(tok, "an attribute path or aggregate")
            nxt = toks[self.i + 1]
            if tok[3] in _AGGREGATES and nxt[0] == PUNCT and nxt[1] == "(":
                self.i += 2
                path = self.path()
                self.punct(")", '")"')
                items.append(Aggregate(tok[3], path))
            else:
                self.i += 1
                items.append(Path(tuple(tok[1].split(".")), tok[2]))
            tok = toks[self.i]
            if tok[0] == PUNCT and tok[1] == ",":
                self.i += 1
                continue
            if tok[0] == NAME and tok[3] == "from":
                self.i += 1
                return tuple(items)
            raise self.error(tok, '"," or "from"')

    # -- criteria ------------------------------------------------------------

    def or_expr(self) -> Criteria:
        """or_expr := and_expr { "or" and_expr }"""
        first = self.and_expr()
        tok = self.toks[self.i]
        if tok[0] != NAME or tok[3] != "or":
            return first
        operands: list[Criteria] = []
        node = first
        while True:
            if isinstance(node, Or):
                operands.extend(node.operands)
            else:
                operands.append(node)
            if not self.keyword("or"):
                return Or(tuple(operands))
            node = self.and_expr()

    def and_expr(self) -> Criteria:
        """and_expr := unary { "and" unary }"""
        first = self.unary()
        tok = self.toks[self.i]
        if tok[0] != NAME or tok[3] != "and":
            return first
        operands: list[Criteria] = []
        node = first
        while True:
            if isinstance(node, And):
                operands.extend(node.operands)
            else:
                operands.append(node)
            if not self.keyword("and"):
                return And(tuple(operands))
            node = self.unary()

    def unary(self) -> Criteria:
        """unary := "not" unary | atom"""
        toks = self.toks
        tok = toks[self.i]
        if tok[0] != NAME or tok[3] != "not":
            return self.atom()
        nots = 0
        while tok[0] == NAME and tok[3] == "not":
            nots += 1
            self.i += 1
            tok = toks[self.i]
        self.enter(tok, nots)
        node = self.atom()
        self.depth -= nots
        for _ in range(nots):
            node = Not(node)
        return node

    def atom(self) -> Criteria:
        """A parenthesised group or a single condition on a path."""
        toks = self.toks
        tok = toks[self.i]
        kind = tok[0]
        if kind == PUNCT and tok[1] == "(":
            self.i += 1
            self.enter(tok)
            node = self.or_expr()
            self.punct(")", '"and", "or" or ")"')
            self.depth -= 1
            return node
        if kind != NAME:
            raise self.error(tok, _EXPECT_CONDITION)
        self.i += 1
        path = Path(tuple(tok[1].split(".")), tok[2])

        op_tok = toks[self.i]
        op_kind = op_tok[0]
        if op_kind == OP:
            self.i += 1
            return Comparison(path, op_tok[1], self.value())
        if op_kind == NAME:
            word = op_tok[3]
            operator = _COMPARATORS.get(word)
            if operator is not None:
                self.i += 1
                return Comparison(path, operator, self.value())
            if word == "in" or word == "not_in":
                self.i += 1
                return self.membership(path, word == "not_in")
            if word == "has" or word == "any":
                self.i += 1
                self.punct("(", '"("')
                if self.is_punct(")"):
                    self.i += 1
                    return Exists(path, word, None)
                self.enter(op_tok)
                inner = self.or_expr()
                self.punct(")", '"and", "or" or ")"')
                self.depth -= 1
                return Exists(path, word, inner)
        if tok[3] in _CLAUSE_WORDS:
            # ``where limit 10``, ``where order by x``: the condition is missing.
            raise self.error(tok, _EXPECT_CONDITION)
        raise self.error(op_tok, _EXPECT_OPERATOR)

    def membership(self, path: Path, negated: bool) -> Membership:
        """The parenthesised part of ``in`` / ``not_in``."""
        toks = self.toks
        open_tok = toks[self.i]
        self.punct("(", '"("')
        tok = toks[self.i]
        if tok[0] == NAME and tok[3] == "select":
            self.enter(open_tok)
            sub = self.query(nested=True)
            self.depth -= 1
            self.i += 1  # the ")" checked by query()
            return Membership(path, negated, None, sub)
        if tok[0] == PUNCT and tok[1] == ")":
            self.i += 1
            return Membership(path, negated, (), None)
        values = [self.value()]
        while True:
            tok = toks[self.i]
            if tok[0] != PUNCT:
                raise self.error(tok, '"," or ")"')
            if tok[1] == ",":
                self.i += 1
                values.append(self.value())
            elif tok[1] == ")":
                self.i += 1
                return Membership(path, negated, tuple(values), None)
            else:
                raise self.error(tok, '"," or ")"')

    def value(self) -> Literal:
        """A quoted string or a bare word."""
        tok = self.toks[self.i]
        kind = tok[0]
        if kind == STRING:
            self.i += 1
            return Literal(tok[3], True, tok[2])
        if kind == NAME or kind == NUMBER or kind == WORD:
            self.i += 1
            return Literal(_bare_value(tok), False, tok[2])
        raise self.error(tok, "a value (quoted string or bare word)")


def parse(text: str) -> Query:
    """Parse a query expression into a :class:`Query`; raise :class:`ParseError` on bad syntax."""
    if not isinstance(text, str):
        raise TypeError(f"query expression must be a string, not {type(text).__name__}")
    return _Parser(text).query(nested=False)
