"""Readable, indented text for an entity and what it references."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

from ftrack_api.collection import Collection
from ftrack_api.entity.base import Entity
from ftrack_api.symbol import NOT_SET

#: Ready-made ``attribute_filter`` functions.
FILTER: dict[str, Callable[[Any, str, Any], bool]] = {
    "ignore_unset": lambda entity, name, value: value is not NOT_SET,
}


def _colour_enabled() -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("ANSI_COLORS_DISABLED"):
        return False
    return sys.stdout.isatty()


def _paint(text: str, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if _colour_enabled() else text


def _default_formatters() -> dict[str, Callable[[str], str]]:
    return {
        "header": lambda text: _paint(text, "1;4"),
        "label": lambda text: _paint(text, "34"),
    }


def format(entity: Entity, formatters: dict[str, Callable[[str], str]] | None = None,
           attribute_filter: Callable[[Any, str, Any], bool] | None = None,
           recursive: bool = False, indent: int = 0, indent_first_line: bool = True,
           _seen: set | None = None) -> str:
    """*entity* as text: its type, then one ``label: value`` line per
    attribute (sorted); nested entities inline, collections only when
    *recursive*; an entity already shown prints as ``Type{...}``."""
    merged = _default_formatters()
    merged.update(formatters or {})
    seen = set() if _seen is None else _seen
    padding = " " * indent
    first_padding = padding if indent_first_line else ""
    identity = (entity.entity_type, str(entity))
    if identity in seen:
        return first_padding + merged["header"](entity.entity_type) + "{...}"
    seen.add(identity)

    lines = [first_padding + merged["header"](entity.entity_type)]
    for name, value in sorted(entity.items(), key=lambda item: item[0]):
        if attribute_filter is not None and not attribute_filter(entity, name, value):
            continue
        label = f"{padding} {merged['label'](name)}: "
        if isinstance(value, Entity):
            text = format(value, formatters=formatters, attribute_filter=attribute_filter,
                          recursive=recursive, indent=indent + len(name) + 3,
                          indent_first_line=False, _seen=seen)
        elif isinstance(value, Collection) and recursive:
            parts = [format(item, formatters=formatters, attribute_filter=attribute_filter,
                            recursive=recursive, indent=indent + len(name) + 3,
                            indent_first_line=index != 0, _seen=seen)
                     for index, item in enumerate(value)]
            text = "\n".join(parts)
        else:
            text = str(value)
        lines.append(label + text)
    return "\n".join(lines)
