"""Tokenizer for the query language (spec section 2).

One compiled regular expression splits the text into tokens in a single pass.
The token classes are chosen so that the parser can read the same token either
as a name or as a value, depending on where it stands ("mode-aware"):

* ``NAME``   -- a word shaped like a dotted path (``status.state.short``, ``from``,
  ``True``); keywords are NAME tokens too and are recognised by the parser from
  their lower-case form, so keywords are case-insensitive and names case-sensitive.
* ``NUMBER`` -- a bare word that is entirely a decimal number (``14400``, ``-3.5``).
* ``WORD``   -- any other bare word (``2015-06-01``, ``200d08e6-4e67-...``, ``%dragon``).
* ``STRING`` -- ``"..."`` or ``'...'`` with backslash escapes.
* ``OP``     -- ``=`` ``!=`` ``>`` ``<`` ``>=`` ``<=``.
* ``PUNCT``  -- ``(`` ``)`` ``,``.
* ``OTHER``  -- a stray character that fits nowhere (a lone ``!``).
* ``END``    -- sentinel closing every token list.

A bare word is a maximal run of characters other than whitespace, quotes,
parentheses, comma, ``=``, ``!``, ``<`` and ``>``; NAME and NUMBER tokens are bare
words that happen to have a more specific shape. Whitespace is therefore never
needed next to punctuation, operator symbols or quotes.
"""

from __future__ import annotations

import re

from .ast import ParseError

NAME = "n"
NUMBER = "d"
WORD = "w"
STRING = "s"
OP = "o"
PUNCT = "p"
OTHER = "x"
END = "e"

#: ``(kind, text, position, value)``. ``value`` is the lower-cased text for NAME
#: tokens, the unescaped content for STRING tokens and the text otherwise.
Token = tuple[str, str, int, str]

_BARE = r"""[^\s"'(),=!<>]"""

_TOKEN_RE = re.compile(
    rf"""
    \s*
    (?:
        (?P<s>"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')
      | (?P<o>[!<>]=|[=<>])
      | (?P<p>[(),])
      | (?P<n>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?!{_BARE})
      | (?P<d>-?[0-9]+(?:\.[0-9]+)?)(?!{_BARE})
      | (?P<w>{_BARE}+)
      | (?P<q>["'])
      | (?P<x>\S)
    )
    """,
    re.VERBOSE | re.DOTALL,
)


def snippet(text: str, limit: int = 40) -> str:
    """Render offending text for an error message: double-quoted, escaped, brace-free."""
    if len(text) > limit:
        text = text[:limit] + "..."
    text = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("{", "(brace)")
        .replace("}", "(brace)")
    )
    return f'"{text}"'


def unescape(body: str) -> str:
    """Resolve backslash escapes: a backslash stands for the character after it."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    n = len(body)
    while i < n:
        j = body.find("\\", i)
        if j < 0:
            out.append(body[i:])
            break
        out.append(body[i:j])
        out.append(body[j + 1 : j + 2])
        i = j + 2
    return "".join(out)


def escape(value: str) -> str:
    """Quote a string so that :func:`tokenize` reads it back unchanged."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an END sentinel.

    Raises :class:`ParseError` for an unterminated string.
    """
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        value = match.group(kind)  # type: ignore[arg-type]
        pos = match.end() - len(value)
        if kind == NAME:
            append((NAME, value, pos, value.lower()))
        elif kind == STRING:
            append((STRING, value, pos, unescape(value[1:-1])))
        elif kind == "q":
            raise ParseError(
                f"Syntax error at position {pos} near {snippet(text[pos:], 20)}: "
                "unterminated string",
                pos,
            )
        else:
            append((kind, value, pos, value))  # type: ignore[arg-type]
    append((END, "", len(text), ""))
    return tokens
