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
            Index("ix_context_sibling_name", table.c.parent_id, func.lower(table.c.name))
            Index("ix_context_project_type", table.c.project_id, table.c.object_type_id)
    Table(
        API_KEY_TABLE,
        metadata,
        Column("key", String(128), primary_key=True),
        Column("user_id", String(64), nullable=False, index=True),
        Column("created_at", DateTime, nullable=False),
    )
    return metadata


API_KEY_TABLE = "_api_key"
"""API keys are credentials, not entities: clients never see this table."""
