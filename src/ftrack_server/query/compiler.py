"""Query syntax trees to SQL.

Criteria become SQL conditions: scalar relations and collections are followed
with correlated EXISTS subqueries, so each dotted condition is its own
existential as the language requires, and the database does all filtering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.sql import FromClause

from ..errors import ValidationError
from ..model import Collection, Computed, Entity, Field, Model, Reference
from ..store.tables import DEFAULT_NUMBER, DEFAULT_TEXT, ROWID, SEARCH_NUMBER, SEARCH_TEXT
from ..store.values import is_date_only, parse_datetime
from . import ast
from .resolve import attribute, entity_type

_OPERATORS = {
    "=": lambda c, v: c == v,
    "!=": lambda c, v: c != v,
    ">": lambda c, v: c > v,
    "<": lambda c, v: c < v,
    ">=": lambda c, v: c >= v,
    "<=": lambda c, v: c <= v,
}


class Compiler:
    """Compiles queries against one model and its tables."""

    def __init__(self, model: Model, tables):
        self.model = model
        self.tables = tables

    # Entry points -----------------------------------------------------------------

    def rows(self, query: ast.Query, columns=None) -> tuple[Entity, Select, FromClause]:
        """SELECT of the matching rows, ordered and paged.

        `columns(entity)` names the columns to fetch (None: all of them).
        """
        entity = entity_type(self.model, query.entity_type)
        table = self.tables[entity.table].alias("t0")
        wanted = columns(entity) if columns else None
        selected = [table.c[c] for c in wanted] if wanted else [table]
        statement = select(*selected).where(*self.narrow(entity, table))
        if query.criteria is not None:
            statement = statement.where(self.condition(query.criteria, entity, table))
        statement = statement.order_by(*self.ordering(query.order_by, entity, table))
        if query.offset:
            statement = statement.offset(query.offset)
        if query.limit is not None:
            statement = statement.limit(query.limit + 1)
        return entity, statement, table

    def aggregate(self, query: ast.Query) -> tuple[Select, list[str]]:
        """SELECT for a `group by` query: plain rows, one per group."""
        entity = entity_type(self.model, query.entity_type)
        table = self.tables[entity.table].alias("t0")
        if not query.group_by:
            raise ValidationError("Aggregate functions need a group by clause.")
        names: list[str] = []
        columns = []
        grouped = {str(p) for p in query.group_by}
        for item in query.projections or ():
            if isinstance(item, ast.Aggregate):
                column = self.value(item.path, entity, table)
                function = getattr(func, item.function)
                columns.append(function(column).label(item.key))
                names.append(item.key)
            elif str(item) not in grouped:
                raise ValidationError(f'"{item}" must be grouped or aggregated.')
        groups = []
        for path in query.group_by:
            column = self.value(path, entity, table)
            groups.append(column)
            columns.append(column.label(str(path)))
            names.append(str(path))
        statement = select(*columns).where(*self.narrow(entity, table)).group_by(*groups)
        if query.criteria is not None:
            statement = statement.where(self.condition(query.criteria, entity, table))
        labels = {name: column for name, column in zip(names, columns)}
        order = []
        for item in query.order_by:
            column = labels.get(str(item.path))
            if column is None:
                raise ValidationError(f'Cannot order grouped rows by "{item.path}".')
            order.append(column.desc() if item.descending else column.asc())
        statement = statement.order_by(*order)
        if query.offset:
            statement = statement.offset(query.offset)
        if query.limit is not None:
            statement = statement.limit(query.limit + 1)
        return statement, names

    def narrow(self, entity: Entity, table: FromClause) -> list[ColumnElement]:
        """Conditions selecting the rows of `entity` (and its subtypes) in its table."""
        return [table.c[self.model.column(entity, name)] == value for name, value in entity.classifier]

    # Criteria ---------------------------------------------------------------------

    def condition(self, node: ast.Criteria, entity: Entity, table: FromClause) -> ColumnElement:
        if isinstance(node, ast.And):
            return and_(*(self.condition(n, entity, table) for n in node.operands))
        if isinstance(node, ast.Or):
            return or_(*(self.condition(n, entity, table) for n in node.operands))
        if isinstance(node, ast.Not):
            return not_(self.condition(node.operand, entity, table))
        return self._follow(node, node.path.names, entity, table, str(node.path))

    def _follow(self, node, names: tuple[str, ...], entity: Entity, table: FromClause, path: str) -> ColumnElement:
        """Walk `names` from `table`; apply `node` to what the last name reaches."""
        found, owner = attribute(self.model, entity, names[0], path)
        narrowing = self.narrow(owner, table) if owner is not entity and owner.classifier else []
        rest = names[1:]
        if not rest:
            result = self._final(node, found, owner, table, path)
        elif isinstance(found, (Reference, Collection)):
            if (
                isinstance(found, Reference)
                and found.key
                and rest == ("id",)
                and isinstance(node, (ast.Comparison, ast.Membership))
            ):
                # `project.id is X` needs no subquery: compare the foreign key itself.
                key_field = owner.by_name[found.key]
                result = self._compare_field(node, key_field, table.c[key_field.column_name], path)
            else:
                result = self._related(found, owner, table, path, lambda e, t: self._follow(node, rest, e, t, path))
                if isinstance(node, ast.Comparison) and node.operator == "=" and node.value.value is None:
                    if isinstance(found, Reference) and found.key:
                        result = or_(table.c[owner.by_name[found.key].column_name].is_(None), result)
        else:
            raise ValidationError(f'"{path}": "{names[0]}" of "{owner.name}" is not a relation.')
        return and_(*narrowing, result) if narrowing else result

    def _related(self, relation, owner: Entity, table: FromClause, path: str, inner) -> ColumnElement:
        """EXISTS over the rows `relation` reaches from `table`, filtered by `inner(entity, alias)`."""
        target = self.model.get(relation.target)
        if target is None or not target.served:
            return false()
        if isinstance(relation, Collection) and relation.name == "custom_attributes":
            return or_(self._stored(relation, target, owner, table, inner), self._defaults(target, owner, table, inner))
        return self._stored(relation, target, owner, table, inner)

    def _stored(self, relation, target: Entity, owner: Entity, table: FromClause, inner) -> ColumnElement:
        alias = self.tables[target.table].alias()
        conditions = self.narrow(target, alias)
        if isinstance(relation, Reference) and relation.key:
            # A foreign key either names a matching row or not: an uncorrelated IN lets the
            # database find the few matching targets once instead of probing per row.
            matching = select(alias.c[self.model.column(target, "id")]).where(*conditions, inner(target, alias))
            return table.c[self.model.column(owner, relation.key)].in_(matching)
        if isinstance(relation, Reference):
            conditions.append(alias.c[self.model.column(target, relation.back)] == table.c[self.model.column(owner, "id")])
        elif relation.through:
            link = self.model.get(relation.through)
            link_alias = self.tables[link.table].alias()
            conditions.append(link_alias.c[self.model.column(link, relation.back)] == table.c[self.model.column(owner, relation.local)])
            conditions.append(link_alias.c[self.model.column(link, relation.forward)] == alias.c[self.model.column(target, "id")])
        else:
            conditions.append(alias.c[self.model.column(target, relation.back)] == table.c[self.model.column(owner, relation.local)])
        for name, value in relation.where:
            conditions.append(alias.c[self.model.column(target, name)] == value)
        conditions.append(inner(target, alias))
        return exists().where(*conditions)

    def _defaults(self, target: Entity, owner: Entity, table: FromClause, inner) -> ColumnElement:
        """Custom attribute defaults that stand in for values the entity has never stored."""
        configurations = self.tables["CustomAttributeConfiguration"]
        values = self.tables["CustomAttributeValue"]
        virtual = (
            select(
                configurations.c.id.label("configuration_id"),
                configurations.c.key.label("key"),
                configurations.c.default.label("value"),
                configurations.c[DEFAULT_TEXT].label(SEARCH_TEXT),
                configurations.c[DEFAULT_NUMBER].label(SEARCH_NUMBER),
                configurations.c.entity_type,
                configurations.c.object_type_id,
                configurations.c.project_id,
                configurations.c.is_hierarchical,
                literal(target.classifier[0][1]).label("value_family"),
                literal(None).label("entity_id"),
            )
            .where(configurations.c[DEFAULT_TEXT].is_not(None))
            .subquery()
        )
        never_stored = ~(
            select(values.c._rowid)
            .where(values.c.configuration_id == virtual.c.configuration_id, values.c.entity_id == table.c.id)
            .correlate_except(values)
            .exists()
        )
        specific = configurations.alias()
        shadowed = (
            select(specific.c._rowid)
            .where(
                virtual.c.project_id.is_(None),
                specific.c.project_id.is_not(None),
                specific.c.key == virtual.c.key,
                applies_to(owner, specific, table),
            )
            .correlate_except(specific)
            .exists()
        )
        return exists().select_from(virtual).where(
            applies_to(owner, virtual, table), never_stored, ~shadowed, inner(target, virtual)
        )

    def _final(self, node, found, owner: Entity, table: FromClause, path: str) -> ColumnElement:
        if isinstance(node, ast.Exists):
            if not isinstance(found, (Reference, Collection)):
                raise ValidationError(f'"{path}" is not a relation: "{node.kind}" needs a relation.')
            criteria = node.criteria
            return self._related(
                found, owner, table, path,
                lambda e, t: self.condition(criteria, e, t) if criteria is not None else true(),
            )
        if isinstance(found, Field):
            column = table.c[found.column_name]
            if owner.table == "CustomAttributeValue" and found.name == "value":
                return self._compare_value(node, table, path)
            return self._compare_field(node, found, column, path)
        if isinstance(found, Reference):
            if found.key:
                key_field = owner.by_name[found.key]
                return self._compare_field(node, key_field, table.c[key_field.column_name], path)
            if isinstance(node, ast.Comparison) and node.value.value is None and node.operator in ("=", "!="):
                present = self._related(found, owner, table, path, lambda e, t: true())
                return not_(present) if node.operator == "=" else present
        if isinstance(found, Computed):
            raise ValidationError(f'"{path}" is computed and cannot be used in criteria.')
        raise ValidationError(f'"{path}" is a collection: use "any" or a path to one of its attributes.')

    def _compare_field(self, node, field: Field, column, path: str) -> ColumnElement:
        if isinstance(node, ast.Membership):
            if node.subquery is not None:
                values = self._subquery(node.subquery)
                if not field.is_key and (field.type or "string") == "string":
                    column, values = func.lower(column), select(func.lower(values.selected_columns[0]))
                condition = column.in_(values)
            else:
                coerced = [self._coerce(field, lit, path) for lit in node.values]
                if not coerced:
                    return true() if node.negated else false()
                column, coerced = self._fold(field, column, coerced)
                condition = column.in_(coerced)
            return not_(condition) if node.negated else condition
        operator, literal_node = node.operator, node.value
        if literal_node.value is None:
            if operator == "=":
                return column.is_(None)
            if operator == "!=":
                return column.is_not(None)
            raise ValidationError(f'"{path}": cannot compare with None using "{operator}".')
        if operator in ("like", "not_like"):
            condition = column.ilike(str(literal_node.value), escape="\\")
            return and_(column.is_not(None), not_(condition)) if operator == "not_like" else condition
        value = self._coerce(field, literal_node, path)
        if field.is_datetime and operator in ("=", "!=") and isinstance(literal_node.value, str) and is_date_only(literal_node.value):
            day = and_(column >= value, column < value + dt.timedelta(days=1))
            return day if operator == "=" else and_(column.is_not(None), not_(day))
        column, folded = self._fold(field, column, [value])
        return _OPERATORS[operator](column, folded[0])

    def _compare_value(self, node, table: FromClause, path: str) -> ColumnElement:
        """Custom attribute values: compare as numbers or as text depending on the literal."""
        if isinstance(node, ast.Membership):
            values = [lit.value for lit in node.values or ()]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) and values:
                condition = table.c[SEARCH_NUMBER].in_(values)
            else:
                condition = func.lower(table.c[SEARCH_TEXT]).in_([_text(v) for v in values])
            return not_(condition) if node.negated else condition
        value = node.value.value
        if value is None:
            column = table.c[SEARCH_TEXT]
            return column.is_(None) if node.operator == "=" else column.is_not(None)
        if node.operator in ("like", "not_like"):
            condition = table.c[SEARCH_TEXT].ilike(str(value), escape="\\")
            return not_(condition) if node.operator == "not_like" else condition
        if isinstance(value, (bool, int, float)) or (isinstance(value, str) and _is_number(value) and node.operator not in ("=", "!=")):
            number = float(value)
            return _OPERATORS[node.operator](table.c[SEARCH_NUMBER], number)
        return _OPERATORS[node.operator](func.lower(table.c[SEARCH_TEXT]), _text(value))

    def _fold(self, field: Field, column, values: list):
        """Case-insensitive string comparison, except for ids."""
        if not field.is_key and (field.type or "string") == "string" and not field.is_datetime:
            return func.lower(column), [v.lower() if isinstance(v, str) else v for v in values]
        return column, values

    def _coerce(self, field: Field, node: ast.Literal, path: str) -> Any:
        value = node.value
        kind = field.type or "string"
        try:
            if value is None:
                return None
            if field.is_datetime:
                return parse_datetime(str(value))
            if kind == "string":
                if isinstance(value, bool):
                    return str(value)
                if isinstance(value, float) and value.is_integer() and not node.quoted:
                    return str(value)
                return str(value) if not isinstance(value, str) else value
            if kind in ("integer", "number"):
                if isinstance(value, bool):
                    raise ValueError
                number = float(value)
                return int(number) if kind == "integer" and number.is_integer() else number
            if kind == "boolean":
                if isinstance(value, bool):
                    return value
                text = str(value).lower()
                if text in ("true", "1"):
                    return True
                if text in ("false", "0"):
                    return False
                raise ValueError
        except ValueError:
            expected = "a datetime" if field.is_datetime else f"a {kind}"
            raise ValidationError(f'Invalid value for "{path}": expected {expected}, got "{value}".') from None
        return value

    def _subquery(self, query: ast.Query) -> Select:
        if not query.projections or len(query.projections) != 1 or isinstance(query.projections[0], ast.Aggregate):
            raise ValidationError("A subquery must select exactly one attribute.")
        entity = entity_type(self.model, query.entity_type)
        table = self.tables[entity.table].alias()
        column = self.value(query.projections[0], entity, table)
        statement = select(column).where(*self.narrow(entity, table))
        if query.criteria is not None:
            statement = statement.where(self.condition(query.criteria, entity, table))
        return statement

    # Values and ordering --------------------------------------------------------------

    def value(self, path: ast.Path, entity: Entity, table: FromClause):
        """A scalar SQL expression for `path`, following scalar relations."""
        names = path.names
        found, owner = attribute(self.model, entity, names[0], str(path))
        if len(names) == 1:
            if isinstance(found, Field):
                return table.c[found.column_name]
            if isinstance(found, Reference) and found.key:
                return table.c[self.model.column(owner, found.key)]
            raise ValidationError(f'"{path}" is not a scalar attribute.')
        if isinstance(found, Reference) and found.key:
            if names[1:] == ("id",):
                return table.c[self.model.column(owner, found.key)]
            target = entity_type(self.model, found.target)
            alias = self.tables[target.table].alias()
            inner = self.value(ast.Path(names[1:], path.position), target, alias)
            return (
                select(inner)
                .where(alias.c[self.model.column(target, "id")] == table.c[self.model.column(owner, found.key)])
                .scalar_subquery()
            )
        raise ValidationError(f'"{path}": "{names[0]}" is not a scalar relation.')

    def ordering(self, items, entity: Entity, table: FromClause) -> list:
        order = []
        for item in items:
            column = self.value(item.path, entity, table)
            field = self._field_at(item.path, entity)
            if field is not None and not field.is_key and (field.type or "string") == "string" and not field.is_datetime:
                column = func.lower(column)
            order.append(column.desc().nulls_last() if item.descending else column.asc().nulls_first())
        order.append(table.c[ROWID])
        return order

    def _field_at(self, path: ast.Path, entity: Entity) -> Field | None:
        current = entity
        for name in path.names[:-1]:
            found, _ = attribute(self.model, current, name)
            if not isinstance(found, Reference):
                return None
            current = entity_type(self.model, found.target)
        found, _ = attribute(self.model, current, path.names[-1])
        return found if isinstance(found, Field) else None


def applies_to(owner: Entity, configuration, table: FromClause) -> ColumnElement:
    """SQL for "this configuration applies to the owner row" (see data-model.md 7.2)."""
    c = configuration.c
    hierarchical = c.is_hierarchical.is_(True)
    if owner.table == "context":
        in_project = or_(c.project_id.is_(None), c.project_id == table.c.project_id)
        own = or_(
            and_(table.c.context_type == "task", c.entity_type == "task", c.object_type_id == table.c.object_type_id),
            and_(table.c.context_type == "show", c.entity_type == "show"),
        )
        return and_(in_project, or_(hierarchical, own))
    legacy = {"Asset": "asset", "AssetVersion": "assetversion", "List": "list", "Resource": "user"}.get(owner.table)
    if legacy is None:
        return false()
    own = c.entity_type == legacy
    if legacy in ("asset", "assetversion"):
        own = or_(own, hierarchical)
    in_project = c.project_id.is_(None)
    if legacy == "list":
        in_project = or_(in_project, c.project_id == table.c.project_id)
    return and_(in_project, own)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).lower()
