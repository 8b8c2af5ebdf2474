"""Creating, updating and deleting entities inside one batch's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import DuplicateEntryError, NotFoundError, ValidationError
from ..model import Collection, Computed, Entity, Field, Model, Reference
from ..model.dsl import MISSING, UID
from ..query.resolve import entity_type
from . import rules
from .changes import ChangeLog
from .values import from_storage, to_storage
from .database import chunks

# Types that cannot be created directly, and what a create of them means instead.
_CREATE_AS = {"Component": "FileComponent", "List": "TypedContextList"}



#: References to these types also accept the listed types (which are kinds
#: of them in ftrack, though stored under their own classifier).
_ALSO_ACCEPTED = {"ContainerComponent": ("SequenceComponent",)}

class Writer:
    """Writes of one batch. `finish()` runs the checks that wait for the batch's end."""

    def __init__(self, model: Model, tables, conn: Connection, user_id: str | None, changes: ChangeLog | None = None):
        self.model = model
        self.tables = tables
        self.conn = conn
        self.user_id = user_id
        self.touched: dict[tuple[str, int], Entity] = {}
        self.created_notes: list[str] = []
        self.memo: dict = {}
        self._rows: dict[tuple[str, str], dict | None] = {}
        self.changes = changes
        """Where creates, updates and deletes are recorded for `ftrack.update`; None: not recorded."""
        self.released: set[str] = set()
        """Resource identifiers whose ``ftrack.server`` registrations were deleted (their bytes go after commit)."""

    # Lookup -----------------------------------------------------------------------------

    def entity(self, name: Any) -> Entity:
        if not isinstance(name, str):
            raise ValidationError("entity_type must be a string.")
        return entity_type(self.model, name)

    def key_values(self, entity: Entity, key: Any) -> tuple:
        """Normalise an `entity_key` (list, or a bare string) to primary-key values."""
        values = [key] if isinstance(key, (str, int)) else key
        if not isinstance(values, list) or len(values) != len(entity.primary_key):
            raise ValidationError(
                f'Invalid entity_key for "{entity.name}": expected {len(entity.primary_key)} value(s) '
                f"for ({', '.join(entity.primary_key)})."
            )
        return tuple(str(v) for v in values)

    def find(self, entity: Entity, values: tuple) -> Mapping | None:
        """The row of `entity` with primary key `values`, or None."""
        if entity.primary_key == ("id",):
            row = self.row(entity.table, values[0])
            if row is None or any(row.get(self.model.column(entity, c)) != v for c, v in entity.classifier):
                return None
            return row
        table = self.tables[entity.table]
        conditions = [table.c[entity.by_name[k].column_name] == v for k, v in zip(entity.primary_key, values)]
        conditions += [table.c[self.model.column(entity, c)] == v for c, v in entity.classifier]
        return self.conn.execute(select(table).where(*conditions)).mappings().first()

    def row(self, table_name: str, id_: Any) -> dict | None:
        """A row by id, remembered for the rest of the batch."""
        key = (table_name, id_)
        if key not in self._rows:
            table = self.tables[table_name]
            found = self.conn.execute(select(table).where(table.c.id == id_)).mappings().first()
            self._rows[key] = dict(found) if found is not None else None
        return self._rows[key]

    def forget(self, table_name: str | None = None, id_: Any = None) -> None:
        """Drop remembered rows (one, or all) after they change."""
        if table_name is None:
            self._rows.clear()
            self.memo.clear()
        else:
            self._rows.pop((table_name, id_), None)

    def require(self, entity: Entity, values: tuple) -> Mapping:
        row = self.find(entity, values)
        if row is None:
            raise NotFoundError(f'{entity.name} with key ({", ".join(values)}) does not exist.')
        return row

    # Create -------------------------------------------------------------------------------

    def create(self, type_name: Any, data: Any) -> dict:
        entity = self.entity(type_name)
        entity = self.model.entities.get(_CREATE_AS.get(entity.name, ""), entity)
        if entity.abstract:
            raise ValidationError(f'Cannot create "{entity.name}": create one of its subtypes instead.')
        data = self._data(entity, data)
        values, relations = self._split(entity, data, creating=True)
        for name, value in entity.classifier:
            values[self.model.column(entity, name)] = value
        for field in entity.fields:
            column = field.column_name
            if column not in values and field.default is not MISSING:
                values[column] = str(uuid.uuid4()) if field.default == UID else field.default
        if "id" in entity.primary_key and not values.get("id"):
            values["id"] = str(uuid.uuid4())
        rules.before_create(self, entity, values)
        self._ensure_unique(entity, values)
        self._check_references(entity, values)
        table = self.tables[entity.table]
        try:
            rowid = self.conn.execute(insert(table), values).inserted_primary_key[0]
        except IntegrityError:
            shown = ", ".join(str(values.get(entity.by_name[k].column_name)) for k in entity.primary_key)
            raise DuplicateEntryError(f"{entity.name} with key ({shown}) already exists.") from None
        if "id" in values:
            self._rows[(entity.table, values["id"])] = {c.name: values.get(c.name) for c in table.columns} | {"_rowid": rowid}
        rules.after_create(self, entity, values)
        for relation, value in relations:
            self._set_collection(entity, values, relation, value)
        self.touched[(entity.table, rowid)] = entity
        if self.changes is not None:
            self.changes.created(entity, values, [relation.name for relation, _ in relations])
        return self.serialise(entity, values) | self._references(relations)

    # Update -------------------------------------------------------------------------------

    def update(self, type_name: Any, key: Any, data: Any) -> dict:
        entity = self.entity(type_name)
        key_values = self.key_values(entity, key)
        data = self._data(entity, data)
        if entity.table == "CustomAttributeValue":
            return rules.upsert_custom_attribute(self, entity, key_values, data)
        row = self.require(entity, key_values)
        entity = self.model.concrete(entity, row)
        values, relations = self._split(entity, data, creating=False, row=row)
        if values:
            rules.before_update(self, entity, row, values)
            self._check_references(entity, values)
            self._ensure_unique(entity, {**row, **values}, exclude=row["_rowid"])
            table = self.tables[entity.table]
            self.conn.execute(update(table).where(table.c._rowid == row["_rowid"]).values(**values))
            # A renamed or moved context changes what the batch remembers about its siblings.
            self.forget(*(() if entity.table == "context" else (entity.table, row.get("id"))))
            rules.after_update(self, entity, row, values)
        for relation, value in relations:
            self._set_collection(entity, row, relation, value)
        merged = {**row, **values}
        self.touched[(entity.table, row["_rowid"])] = entity
        if self.changes is not None:
            self.changes.updated(entity, row, values, [relation.name for relation, _ in relations])
        return self.serialise(entity, merged, only=[k for k in data if k in entity.by_name]) | self._references(relations)

    # Delete -------------------------------------------------------------------------------

    def delete(self, type_name: Any, key: Any) -> bool:
        entity = self.entity(type_name)
        row = self.require(entity, self.key_values(entity, key))
        entity = self.model.concrete(entity, row)
        rules.delete_cascading(self, entity, [row])
        return True

    # Batch end ----------------------------------------------------------------------------

    def finish(self) -> None:
        """Checks that hold once the whole batch has run: required attributes, note rules."""
        rules.finish(self)
        by_table: dict[str, dict[int, Entity]] = {}
        for (table_name, rowid), entity in self.touched.items():
            by_table.setdefault(table_name, {})[rowid] = entity
        for table_name, entities in by_table.items():
            table = self.tables[table_name]
            for chunk in chunks(list(entities)):
                for row in self.conn.execute(select(table).where(table.c._rowid.in_(chunk))).mappings():
                    self._check_required(entities[row["_rowid"]], row)

    def _check_required(self, entity: Entity, row: Mapping) -> None:
        for name in entity.required:
            field = entity.by_name.get(name)
            if isinstance(field, Field):
                value = row[field.column_name]
                if value is None or (value == "" and field.is_key):
                    raise ValidationError(f'"{entity.name}.{name}" is required.')

    # Helpers ------------------------------------------------------------------------------

    def serialise(self, entity: Entity, values: Mapping, only: list[str] | None = None) -> dict:
        out = {"__entity_type__": entity.name}
        names = list(entity.primary_key) + list(entity.always)
        names += only if only is not None else [f.name for f in entity.fields if f.served]
        for name in names:
            field = entity.by_name.get(name)
            if isinstance(field, Field):
                out[name] = from_storage(field, values.get(field.column_name))
        return out

    def _data(self, entity: Entity, data: Any) -> dict:
        if not isinstance(data, dict):
            raise ValidationError(f'entity_data for "{entity.name}" must be an object.')
        return {k: v for k, v in data.items() if k != "__entity_type__"}

    def _split(self, entity: Entity, data: dict, creating: bool, row: Mapping | None = None):
        """Column values and collection writes from incoming attribute data."""
        values: dict[str, Any] = {}
        relations: list[tuple[Collection, Any]] = []
        for name, value in data.items():
            found = entity.attribute(name)
            if found is None:
                raise ValidationError(f'"{entity.name}" has no attribute "{name}".')
            if isinstance(found, Computed) or (name in entity.computed):
                raise ValidationError(f'"{entity.name}.{name}" is computed and cannot be written.')
            if not creating and name in entity.immutable:
                current = self._current(entity, found, row)
                if current != self._incoming(entity, found, value):
                    raise ValidationError(f'"{entity.name}.{name}" is immutable and cannot be changed.')
                continue
            if isinstance(found, Field):
                values[found.column_name] = to_storage(entity.name, found, value)
            elif isinstance(found, Reference):
                if not found.key:
                    raise ValidationError(f'"{entity.name}.{name}" is derived and cannot be written.')
                values[self.model.column(entity, found.key)] = self._reference_id(entity, found, value)
            elif isinstance(found, Collection):
                if found.readonly or found.restricted:
                    raise ValidationError(f'"{entity.name}.{name}" is derived and cannot be written.')
                relations.append((found, value))
        return values, relations

    def _current(self, entity: Entity, found, row: Mapping) -> Any:
        if isinstance(found, Field):
            return row[found.column_name]
        if isinstance(found, Reference) and found.key:
            return row[self.model.column(entity, found.key)]
        return object()

    def _incoming(self, entity: Entity, found, value: Any) -> Any:
        if isinstance(found, Field):
            return to_storage(entity.name, found, value)
        if isinstance(found, Reference):
            return self._reference_id(entity, found, value)
        return value

    def _reference_id(self, entity: Entity, ref: Reference, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dict):
            if "id" not in value:
                raise ValidationError(f'"{entity.name}.{ref.name}" must be an entity reference with an id.')
            return str(value["id"])
        if isinstance(value, str):
            return value
        raise ValidationError(f'"{entity.name}.{ref.name}" must be an entity reference.')

    def _check_references(self, entity: Entity, values: dict) -> None:
        """Every foreign key set must name an existing entity of the right type."""
        for attribute in entity.attributes:
            if not isinstance(attribute, Reference) or not attribute.key:
                continue
            column = self.model.column(entity, attribute.key)
            if values.get(column) is None or column not in values:
                continue
            target = self.model.get(attribute.target)
            if target is None:
                continue
            accepted = [target, *(self.model.get(name) for name in _ALSO_ACCEPTED.get(target.name, ()))]
            if all(self.find(candidate, (values[column],)) is None for candidate in accepted):
                raise ValidationError(
                    f'"{entity.name}.{attribute.key}": no {target.name} with id "{values[column]}".'
                )

    def _ensure_unique(self, entity: Entity, values: Mapping, exclude: int | None = None) -> None:
        columns = [entity.by_name[k].column_name for k in entity.primary_key]
        if any(values.get(c) is None for c in columns):
            raise ValidationError(f'"{entity.name}" needs a value for ({", ".join(entity.primary_key)}).')
        rules.ensure_unique(self, entity, values, exclude)

    def _set_collection(self, entity: Entity, owner: Mapping, relation: Collection, value: Any) -> None:
        if not isinstance(value, list):
            raise ValidationError(f'"{entity.name}.{relation.name}" must be a list of entity references.')
        target = self.model.get(relation.target)
        if target is None or relation.mapped:
            return  # mapped items (metadata, custom attributes) are written by their own operations
        keys = [self._item_key(entity, relation, target, item) for item in value]
        owner_key = owner[self.model.column(entity, relation.local)]
        if relation.through:
            self._set_links(entity, relation, target, owner_key, [k[0] for k in keys])
            return
        self.forget()
        table = self.tables[target.table]
        back = self.model.column(target, relation.back)
        columns = [target.by_name[k].column_name for k in target.primary_key]
        for item_key in keys:
            self.conn.execute(
                update(table).where(*(table.c[c] == v for c, v in zip(columns, item_key))).values({back: owner_key})
            )

    def _references(self, relations: list[tuple[Collection, Any]]) -> dict:
        """The collections a create or update set, as the references written,
        so clients see the new contents without asking again."""
        out = {}
        for relation, value in relations:
            target = self.model.get(relation.target)
            if target is None:
                continue
            out[relation.name] = [
                {"__entity_type__": item.get("__entity_type__", target.name), **{k: item[k] for k in target.primary_key}}
                for item in value
                if isinstance(item, dict) and all(k in item for k in target.primary_key)
            ]
        return out

    def _item_key(self, entity: Entity, relation: Collection, target: Entity, item: Any) -> tuple:
        if isinstance(item, str) and len(target.primary_key) == 1:
            return (item,)
        if isinstance(item, dict) and all(k in item for k in target.primary_key):
            return tuple(str(item[k]) for k in target.primary_key)
        raise ValidationError(
            f'"{entity.name}.{relation.name}" items must be {target.name} references with '
            f"({', '.join(target.primary_key)})."
        )

    def _set_links(self, entity: Entity, relation: Collection, target: Entity, owner_key: Any, wanted: list) -> None:
        """Make the link rows of a many-to-many collection match `wanted`."""
        link = self.model.entities[relation.through]
        table = self.tables[link.table]
        back = self.model.column(link, relation.back)
        forward = self.model.column(link, relation.forward)
        existing = set(self.conn.execute(select(table.c[forward]).where(table.c[back] == owner_key)).scalars())
        wanted = list(dict.fromkeys(wanted))
        for target_id in wanted:
            if self.find(target, (target_id,)) is None:
                raise ValidationError(f'"{entity.name}.{relation.name}": no {target.name} with id "{target_id}".')
        removed = existing - set(wanted)
        if removed:
            self.conn.execute(delete(table).where(table.c[back] == owner_key, table.c[forward].in_(removed)))
        added = [{back: owner_key, forward: t} for t in wanted if t not in existing]
        for row in added:
            if "id" in link.by_name:
                row["id"] = str(uuid.uuid4())
        if added:
            self.conn.execute(insert(table), added)
