"""Bytes follow their registration: when a batch removes a component's last
``ftrack.server`` location entry (directly, or by deleting the component or
anything owning it), the bytes are deleted once that batch commits."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..store.database import chunks
from ..store.seed import LOCATION_IDS

if TYPE_CHECKING:
    from ..api.batch import Batch

SERVER_LOCATION_ID = LOCATION_IDS["ftrack.server"]


def release_removed(batch: Batch, resource_ids: set[str]) -> None:
    """Schedule deletion of the bytes of `resource_ids` no longer registered in ``ftrack.server``."""
    if batch.files is None or not resource_ids:
        return
    table = batch.db.tables["ComponentLocation"]
    still = set()
    for chunk in chunks(sorted(resource_ids)):
        still.update(batch.conn.execute(
            select(table.c.resource_identifier)
            .where(table.c.location_id == SERVER_LOCATION_ID, table.c.resource_identifier.in_(chunk))
        ).scalars())
    for resource_id in sorted(resource_ids - still):
        batch.effects.on_commit(partial(batch.files.storage.remove, resource_id))
