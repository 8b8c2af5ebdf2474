"""Alembic's entry point: runs migrations on the connection `store.migrations` hands over."""

from alembic import context

from ftrack_server.model import MODEL
from ftrack_server.store.tables import build_metadata

target_metadata = build_metadata(MODEL)
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with 'ftrack-server db upgrade', which supplies the database.")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
