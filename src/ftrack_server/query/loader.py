"""Turning matched rows into the nested entity objects clients receive.

Projections form a tree (`status.state.short` → status → state → short). Each
relation in the tree is loaded with one query for all rows of its level, so the
number of queries depends on the projection, never on the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from ..errors import ValidationError
from ..model import Collection, Computed, Entity, Field, Model, Reference
from ..store.tables import ROWID
from ..store.database import chunks
from ..store.values import from_storage
from .compiler import Compiler
from .resolve import attribute

Tree = dict[str, "Tree"]


def projection_tree(paths: Iterable[tuple[str, ...]]) -> Tree:
    tree: Tree = {}
    for names in paths:
        node = tree
        for name in names:
            node = node.setdefault(name, {})
    return tree


class Loader:
    """Loads projections for rows of one request, on one connection."""

    def __init__(self, model: Model, tables, conn: Connection, compiler: Compiler, base_url: str = ""):
        self.model = model
        self.tables = tables
        self.conn = conn
        self.compiler = compiler
        self.base_url = base_url
        self._configurations: list[dict] | None = None
        self._built: dict[tuple, int] = {}
        self.repeats = False
        """Whether some entity was serialised more than once: then `unify` has work to do."""

    # Entry point ---------------------------------------------------------------------

    def entities(self, entity: Entity, rows: list[Mapping], tree: Tree) -> list[dict]:
        """Serialised entities for `rows` of `entity`, with everything `tree` projects."""
        outs = [self._shell(entity, row) for row in rows]
        self._fill(entity, rows, outs, tree)
        return outs

    def columns(self, entity: Entity, tree: Tree) -> list[str] | None:
        """Columns of `entity`'s table that serialising `tree` reads; None means all of them."""
        family = self.model.tables[entity.table]
        needed = {ROWID}
        for member in family:
            needed.update(member.by_name[k].column_name for k in member.primary_key + member.always)
            needed.update(self.model.column(member, c) for c, _ in member.classifier)
        for name in tree:
            found, owner = attribute(self.model, entity, name)
            if isinstance(found, Field):
                needed.add(found.column_name)
            elif isinstance(found, Reference) and found.key:
                needed.add(self.model.column(owner, found.key))
            elif isinstance(found, Reference) or (isinstance(found, Collection) and found.name != "custom_attributes"):
                needed.add(self.model.column(owner, getattr(found, "local", "id")))
            else:
                return None
        return sorted(needed)

    # Levels ----------------------------------------------------------------------------

    def _shell(self, entity: Entity, row: Mapping) -> dict:
        concrete = self.model.concrete(entity, row) if len(self.model.tables[entity.table]) > 1 else entity
        out = {"__entity_type__": concrete.name}
        for name in concrete.primary_key + concrete.always:
            field = concrete.by_name[name]
            out[name] = from_storage(field, row[field.column_name])
        identity = (entity.table,) + tuple(out[k] for k in concrete.primary_key)
        if self._built.setdefault(identity, id(out)) != id(out):
            self.repeats = True
        return out

    def _fill(self, entity: Entity, rows: list[Mapping], outs: list[dict], tree: Tree) -> None:
        for name, subtree in tree.items():
            found, owner = attribute(self.model, entity, name)
            if isinstance(found, Field):
                self._fields(name, rows, outs)
            elif isinstance(found, Reference):
                self._reference(found, owner, rows, outs, subtree)
            elif isinstance(found, Collection):
                if found.restricted:
                    raise ValidationError(f'"{name}" may only be used in criteria, not in select.')
                if found.mapped and found.name == "custom_attributes":
                    self._custom_attributes(found, rows, outs, subtree)
                else:
                    self._collection(found, owner, rows, outs, subtree)
            elif isinstance(found, Computed):
                self._computed(found, rows, outs)

    def _fields(self, name: str, rows: list[Mapping], outs: list[dict]) -> None:
        fields: dict[str, Field | None] = {}  # per concrete type in these rows
        for row, out in zip(rows, outs):
            type_name = out["__entity_type__"]
            if type_name in fields:
                field = fields[type_name]
            else:
                found = self.model.entities[type_name].by_name.get(name)
                field = fields[type_name] = found if isinstance(found, Field) else None
            if field is not None:
                value = row[field.column_name]
                out[name] = value if value is None or not field.is_datetime else from_storage(field, value)

    def _reference(self, ref: Reference, owner: Entity, rows, outs, subtree: Tree) -> None:
        target = self.model.get(ref.target)
        applicable = [(row, out) for row, out in zip(rows, outs) if ref.name in self.model.entities[out["__entity_type__"]].by_name]
        if target is None:
            for _, out in applicable:
                out[ref.name] = None
            return
        if ref.key:
            key_column = self.model.column(owner, ref.key)
            keys = {row[key_column] for row, _ in applicable if row[key_column] is not None}
            found = self._fetch(target, "id", keys, tree=subtree)
            loaded = self._load_unique(target, [r for group in found.values() for r in group], subtree)
            for row, out in applicable:
                match = found.get(row[key_column])
                out[ref.name] = loaded[id(match[0])] if match else None
        else:
            ids = {row["id"] for row, _ in applicable}
            found = self._fetch(target, ref.back, ids, ref.where, tree=subtree)
            loaded = self._load_unique(target, [r for group in found.values() for r in group], subtree)
            for row, out in applicable:
                match = found.get(row["id"])
                out[ref.name] = loaded[id(match[0])] if match else None

    def _collection(self, col: Collection, owner: Entity, rows, outs, subtree: Tree) -> None:
        target = self.model.get(col.target)
        applicable = [(row, out) for row, out in zip(rows, outs) if col.name in self.model.entities[out["__entity_type__"]].by_name]
        if target is None or not target.served:
            for _, out in applicable:
                out[col.name] = []
            return
        local_column = self.model.column(owner, col.local)
        keys = {row[local_column] for row, _ in applicable if row[local_column] is not None}
        if col.through:
            found = self._fetch_through(col, target, keys)
        else:
            found = self._fetch(target, col.back, keys, col.where, tree=subtree)
        loaded = self._load_unique(target, [r for group in found.values() for r in group], subtree)
        for row, out in applicable:
            out[col.name] = [loaded[id(r)] for r in found.get(row[local_column], ())]

    def _load_unique(self, target: Entity, rows: list[Mapping], subtree: Tree) -> dict[int, dict]:
        """Serialise each distinct row once; keyed by the row object's identity."""
        unique: dict[Any, Mapping] = {}
        for row in rows:
            unique.setdefault(tuple(row[c] for c in self._key_columns(target)), row)
        distinct = list(unique.values())
        outs = [self._shell(target, row) for row in distinct]
        self._fill(target, distinct, outs, subtree or self._bare(target))
        by_key = {tuple(row[c] for c in self._key_columns(target)): out for row, out in zip(distinct, outs)}
        return {id(row): by_key[tuple(row[c] for c in self._key_columns(target))] for row in rows}

    def _bare(self, entity: Entity) -> Tree:
        """What a relation projected without attributes carries: its type's default scalar projections."""
        return {name: {} for name in entity.default_projections if isinstance(entity.by_name.get(name), Field)}

    def _key_columns(self, entity: Entity) -> list[str]:
        return [entity.by_name[k].column_name for k in entity.primary_key]

    # Fetching ---------------------------------------------------------------------------

    def _fetch(self, target: Entity, column: str, keys: set, where=(), tree: Tree | None = None) -> dict[Any, list[Mapping]]:
        """Rows of `target` whose `column` is one of `keys`, grouped by that value."""
        grouped: dict[Any, list[Mapping]] = {}
        if not keys:
            return grouped
        table = self.tables[target.table]
        column_name = self.model.column(target, column)
        wanted = self.columns(target, tree or self._bare(target)) if tree is not None else None
        selected = [table.c[c] for c in wanted + ([column_name] if column_name not in wanted else [])] if wanted else [table]
        conditions = self.compiler.narrow(target, table)
        conditions += [table.c[self.model.column(target, n)] == v for n, v in where]
        for chunk in chunks(list(keys)):
            statement = select(*selected).where(table.c[column_name].in_(chunk), *conditions).order_by(*self._order(target, table))
            for row in self.conn.execute(statement).mappings():
                grouped.setdefault(row[column_name], []).append(row)
        return grouped

    def _fetch_through(self, col: Collection, target: Entity, keys: set) -> dict[Any, list[Mapping]]:
        grouped: dict[Any, list[Mapping]] = {}
        if not keys:
            return grouped
        link_entity = self.model.entities[col.through]
        link = self.tables[link_entity.table]
        table = self.tables[target.table]
        back = link.c[self.model.column(link_entity, col.back)]
        forward = link.c[self.model.column(link_entity, col.forward)]
        conditions = self.compiler.narrow(target, table)
        for chunk in chunks(list(keys)):
            statement = (
                select(table, back.label("_owner"))
                .join(link, forward == table.c[self.model.column(target, "id")])
                .where(back.in_(chunk), *conditions)
                .order_by(*self._order(target, table))
            )
            for row in self.conn.execute(statement).mappings():
                grouped.setdefault(row["_owner"], []).append(row)
        return grouped

    def _order(self, target: Entity, table) -> list:
        sort = target.by_name.get("sort")
        return ([table.c[sort.column_name]] if isinstance(sort, Field) else []) + [table.c[ROWID]]

    # Custom attributes -------------------------------------------------------------------

    def configurations(self) -> list[dict]:
        if self._configurations is None:
            table = self.tables["CustomAttributeConfiguration"]
            self._configurations = [dict(r) for r in self.conn.execute(select(table).order_by(table.c.sort, table.c[ROWID])).mappings()]
        return self._configurations

    def _custom_attributes(self, col: Collection, rows, outs, subtree: Tree) -> None:
        from ..store.custom_attributes import applicable_configurations, owner_facts

        value_type = self.model.entities[col.target]
        applicable = [(row, out) for row, out in zip(rows, outs) if col.name in self.model.entities[out["__entity_type__"]].by_name]
        facts = owner_facts(self.conn, self.tables, [(self.model.entities[out["__entity_type__"]], row) for row, out in applicable])
        configurations = self.configurations()
        stored = self._fetch(value_type, "entity_id", {row["id"] for row, _ in applicable}) if configurations else {}
        items: list[dict] = []
        owners: list[tuple[dict, list[int]]] = []
        for (row, out), fact in zip(applicable, facts):
            values = {r["configuration_id"]: r["value"] for r in stored.get(row["id"], ())}
            positions = []
            for configuration in applicable_configurations(configurations, fact):
                positions.append(len(items))
                items.append({
                    "configuration_id": configuration["id"],
                    "entity_id": row["id"],
                    "key": configuration["key"],
                    "value": values.get(configuration["id"], configuration["default"]),
                    "value_family": value_type.classifier[0][1],
                })
            owners.append((out, positions))
        item_outs = [
            {"__entity_type__": value_type.name, **{k: item[k] for k in ("configuration_id", "entity_id", "key", "value")}}
            for item in items
        ]
        self._fill(value_type, items, item_outs, subtree)
        for out, positions in owners:
            out[col.name] = [item_outs[p] for p in positions]

    # Computed attributes --------------------------------------------------------------------

    def _computed(self, found: Computed, rows, outs) -> None:
        from . import computed

        computed.fill(self, found.name, rows, outs)
