"""Making every occurrence of an entity in a response carry the same attributes.

Clients merge a response by identity and keep only the first occurrence they
meet of each entity. When one query projects different attributes for the same
entity in different places (`select version, asset.versions.version from
AssetVersion`), each occurrence must therefore carry all of them. An entity
nested inside itself is written as a bare reference, which ends cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Key = tuple
PrimaryKey = Callable[[str], tuple]


def unify(data: list[dict], primary_key: PrimaryKey) -> list[dict]:
    """`data` with each entity's occurrences merged; unchanged when they already agree."""
    union: dict[Key, dict] = {}
    needed = False
    stack: list[Any] = list(data)
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
            continue
        if not isinstance(value, dict) or "__entity_type__" not in value or id(value) in seen:
            continue
        seen.add(id(value))
        key = _key(value, primary_key)
        known = union.get(key)
        if known is None:
            union[key] = dict(value)
        elif known.keys() != value.keys():
            needed = True
            for name, item in value.items():
                known.setdefault(name, item)
        stack.extend(v for v in value.values() if isinstance(v, (dict, list)))
    if not needed:
        return data
    built: dict[Key, dict] = {}
    return [_build(item, union, built, frozenset(), primary_key)[0] for item in data]


def _key(entity: dict, primary_key: PrimaryKey) -> Key:
    name = entity["__entity_type__"]
    return (name,) + tuple(entity.get(k) for k in primary_key(name))


def _build(value: Any, union: dict, built: dict, inside: frozenset, primary_key: PrimaryKey) -> tuple[Any, bool]:
    """Rebuilt `value`, and whether it contains a reference cut short by a cycle."""
    if isinstance(value, list):
        items = [_build(v, union, built, inside, primary_key) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    if not isinstance(value, dict) or "__entity_type__" not in value:
        return value, False
    key = _key(value, primary_key)
    if key in inside:
        return {"__entity_type__": key[0], **dict(zip(primary_key(key[0]), key[1:]))}, True
    if key in built:
        return built[key], False
    out: dict = {}
    cyclic = False
    for name, item in union[key].items():
        out[name], cut = _build(item, union, built, inside | {key}, primary_key)
        cyclic = cyclic or cut
    if not cyclic:
        built[key] = out
    return out, cyclic


def shorten(data: list[dict], primary_key: PrimaryKey) -> list[dict]:
    """Write an entity in full in the first row holding it, as a bare reference in later rows.

    Clients merge rows in order into one identity map, so later rows lose nothing;
    within a row every occurrence stays whole. Shared objects are copied, never changed.
    """
    done: set[Key] = set()
    out = []
    for row in data:
        row_keys: set[Key] = set()
        out.append(_shorten(row, primary_key, done, row_keys, top=True))
        done |= row_keys
    return out


def _shorten(value: Any, primary_key: PrimaryKey, done: set, row_keys: set, top: bool = False) -> Any:
    if isinstance(value, list):
        items = [_shorten(v, primary_key, done, row_keys) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    if not isinstance(value, dict) or "__entity_type__" not in value:
        return value
    key = _key(value, primary_key)
    if key in done and not top:
        return {"__entity_type__": key[0], **dict(zip(primary_key(key[0]), key[1:]))}
    row_keys.add(key)
    changed = None
    for name, item in value.items():
        if isinstance(item, (dict, list)):
            new = _shorten(item, primary_key, done, row_keys)
            if new is not item:
                changed = changed or dict(value)
                changed[name] = new
    return changed or value
