"""Re-assembling responses in which repeated entities are bare references.

A server writes an entity in full once per response and later occurrences as
``{"__entity_type__": ..., "id": ...}``. Merging by identity makes every
occurrence the same, complete object, as the official JavaScript client does.
"""

from __future__ import annotations

from typing import Any


def merge_references(results: list) -> list:
    """`results` with every entity occurrence replaced by one merged object per identity.

    Entities are identified by type and ``id``; types without an ``id`` are left as they are.
    """
    index: dict[tuple[str, Any], dict] = {}
    _collect(results, index)
    if index:
        _replace(results, index, set())
    return results


def _collect(value: Any, index: dict) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "__entity_type__" in item and "id" in item:
                key = (item["__entity_type__"], item["id"])
                known = index.setdefault(key, item)
                if known is not item:
                    for name, attribute in item.items():
                        known.setdefault(name, attribute)
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _replace(value: Any, index: dict, done: set[int]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in done:
            continue
        done.add(id(item))
        if isinstance(item, list):
            for position, entry in enumerate(item):
                item[position] = _canonical(entry, index)
                stack.append(item[position])
        elif isinstance(item, dict):
            for name, entry in item.items():
                if isinstance(entry, (dict, list)):
                    item[name] = _canonical(entry, index)
                    stack.append(item[name])


def _canonical(value: Any, index: dict) -> Any:
    if isinstance(value, dict) and "__entity_type__" in value and "id" in value:
        return index.get((value["__entity_type__"], value["id"]), value)
    return value
