"""Our entity model: every type the server knows, and what follows from it."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property

from . import attributes, context, links, lists, notes, people, publishing, workflow
from .dsl import Attribute, Collection, Computed, Entity, Field, Reference

_MODULES = (context, workflow, publishing, people, notes, lists, attributes, links)


class Model:
    """The set of entity types, with lookups the query and store layers need."""

    def __init__(self, entities: list[Entity]):
        self.entities: dict[str, Entity] = {e.name: e for e in entities}

    def get(self, name: str) -> Entity | None:
        return self.entities.get(name)

    @cached_property
    def served(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.served]

    @cached_property
    def tables(self) -> dict[str, list[Entity]]:
        """Entity types grouped by the table that stores them."""
        out: dict[str, list[Entity]] = {}
        for entity in self.entities.values():
            out.setdefault(entity.table, []).append(entity)
        return out

    def columns(self, table: str) -> dict[str, Field]:
        """Every stored field of a table, by column name."""
        return self._columns[table]

    @cached_property
    def _columns(self) -> dict[str, dict[str, Field]]:
        out: dict[str, dict[str, Field]] = {}
        for table, entities in self.tables.items():
            fields = out.setdefault(table, {})
            for entity in entities:
                for f in entity.fields:
                    fields.setdefault(f.column_name, f)
        return out

    def column(self, entity: Entity, name: str) -> str:
        """The column holding attribute `name` of `entity`, looking at every type sharing its table."""
        found = entity.by_name.get(name)
        if isinstance(found, Field):
            return found.column_name
        for other in self.tables[entity.table]:
            found = other.by_name.get(name)
            if isinstance(found, Field):
                return found.column_name
        return name

    def family(self, entity: Entity) -> list[Entity]:
        """`entity` and its subtypes: types on the same table whose classifier includes its own."""
        mine = set(entity.classifier)
        return [e for e in self.tables[entity.table] if mine <= set(e.classifier)]

    def concrete(self, entity: Entity, row) -> Entity:
        """The most specific type of `entity`'s family that a stored row belongs to."""
        best, size = entity, -1 if entity.abstract else len(entity.classifier)
        for candidate in self._subtypes(entity):
            if len(candidate.classifier) > size and all(row[c] == v for c, v in candidate.classifier):
                best, size = candidate, len(candidate.classifier)
        return best

    def _subtypes(self, entity: Entity) -> list[Entity]:
        return self._subtype_lists[entity.name]

    @cached_property
    def _subtype_lists(self) -> dict[str, list[Entity]]:
        return {
            name: [e for e in self.family(entity) if e is not entity and not e.abstract]
            for name, entity in self.entities.items()
        }

    @cached_property
    def schemas(self) -> list[dict]:
        """The payload of `query_schemas`."""
        return [e.describe() for e in sorted(self.served, key=lambda e: e.name)]

    @cached_property
    def schema_hash(self) -> str:
        """MD5 of the schemas as the Python client hashes its schema cache."""
        return hashlib.md5(json.dumps(self.schemas, sort_keys=True).encode("utf-8")).hexdigest()


def _collect() -> list[Entity]:
    found: list[Entity] = []
    for module in _MODULES:
        found.extend(v for v in vars(module).values() if isinstance(v, Entity))
    return found


MODEL = Model(_collect())

__all__ = ["MODEL", "Model", "Entity", "Attribute", "Field", "Reference", "Collection", "Computed"]
