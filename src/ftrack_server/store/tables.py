"""SQL tables generated from the entity model."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

from ..model import Field, Model

ROWID = "_rowid"
"""Every table's surrogate key: insertion order, the stable default ordering."""

SEARCH_TEXT = "_text"
SEARCH_NUMBER = "_number"
"""Hidden columns of custom attribute values, so filters compare typed values in SQL."""

DEFAULT_TEXT = "_default_text"
DEFAULT_NUMBER = "_default_number"
"""The same for configuration defaults, which stand in for values never stored."""


def _column_type(field: Field):
    if field.is_datetime:
        return DateTime()
    if field.is_key:
        return String(64)
    return {
        "integer": Integer(),
        "number": Float(),
        "boolean": Boolean(),
        "variable": JSON(),
        "object": JSON(),
    }.get(field.type or "string", Text())


def build_metadata(model: Model) -> MetaData:
    """One table per storage table of the model, with keys and indexes."""
    metadata = MetaData()
    for name, entities in model.tables.items():
        columns = [Column(ROWID, Integer, primary_key=True, autoincrement=True)]
        for column_name, field in model.columns(name).items():
            columns.append(Column(column_name, _column_type(field), nullable=True))
        if name == "CustomAttributeValue":
            columns += [Column(SEARCH_TEXT, Text), Column(SEARCH_NUMBER, Float)]
        if name == "CustomAttributeConfiguration":
            columns += [Column(DEFAULT_TEXT, Text), Column(DEFAULT_NUMBER, Float)]
        primary = [entities[0].by_name[k].column_name for k in entities[0].primary_key]
        table = Table(name, metadata, *columns, UniqueConstraint(*primary, name=f"uq_{name}_key"))
        for column_name, field in model.columns(name).items():
            if field.is_key and [column_name] != primary and column_name != primary[0]:
                Index(f"ix_{name}_{column_name}", table.c[column_name])
        if name == "context":
            Index("ix_context_project_type", table.c.project_id, table.c.object_type_id)
        _unique_names(table)
    Table(
        API_KEY_TABLE,
        metadata,
        Column("key", String(128), primary_key=True),
        Column("user_id", String(64), nullable=False, index=True),
        Column("created_at", DateTime, nullable=False),
    )
    return metadata


def _unique_names(table: Table) -> None:
    """Names the database itself keeps unique, behind the writer's own checks (see migration 0002)."""
    def unique(name: str, where: str, *expressions) -> None:
        Index(name, *expressions, unique=True, sqlite_where=text(where), postgresql_where=text(where))

    c = table.c
    if table.name == "context":
        unique("uq_context_sibling_name", "parent_id IS NOT NULL", c.parent_id, func.lower(c.name))
        unique("uq_context_project_name", "context_type = 'show'", func.lower(c.name))
    elif table.name == "Resource":
        unique("uq_Resource_username", "resource_type = 'user'", c.username)
    elif table.name == "Location":
        unique("uq_Location_name", "name IS NOT NULL", c.name)


API_KEY_TABLE = "_api_key"
"""API keys are credentials, not entities: clients never see this table."""
