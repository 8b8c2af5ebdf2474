"""The database keeps names unique: sibling contexts, projects, usernames, locations.

The server always refused such duplicates itself; with several server processes
the database now guarantees it too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from ftrack_server.store.schema import SchemaError

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_INDEXES = [
    ("uq_context_sibling_name", "context", ["parent_id", "lower(name)"], "parent_id IS NOT NULL"),
    ("uq_context_project_name", "context", ["lower(name)"], "context_type = 'show'"),
    ("uq_Resource_username", "Resource", ["username"], "resource_type = 'user'"),
    ("uq_Location_name", "Location", ["name"], "name IS NOT NULL"),
]


def upgrade() -> None:
    for name, table, columns, where in _INDEXES:
        keys = ", ".join(columns)
        duplicates = op.get_bind().execute(sa.text(
            f'SELECT {keys} FROM "{table}" WHERE {where} GROUP BY {keys} HAVING count(*) > 1 LIMIT 5'
        )).all()
        if duplicates:
            shown = "; ".join(", ".join(str(value) for value in row) for row in duplicates)
            raise SchemaError(f'Cannot upgrade: "{table}" has duplicate {keys} ({shown}). Rename them, then upgrade.')
        op.create_index(name, table, [sa.text(c) if "(" in c else c for c in columns], unique=True,
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    op.drop_index("ix_context_sibling_name", "context")


def downgrade() -> None:
    op.create_index('ix_context_sibling_name', 'context', ['parent_id', sa.text('lower(name)')])
    for name, table, _columns, _where in reversed(_INDEXES):
        op.drop_index(name, table)
