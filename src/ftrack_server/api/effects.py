"""Work outside the database that must follow a batch's fate.

Component bytes are files, not rows: a batch that removes a component's last
``ftrack.server`` registration deletes its bytes only once the transaction has
committed, and a multipart upload joined inside a batch that rolls back is
thrown away. Use as the outer context around the transaction::

    with effects, db.transaction() as conn:
        ...
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("ftrack_server")


class SideEffects:
    """Callbacks run after the block: `on_commit` ones if it succeeded, `on_rollback` ones if not."""

    def __init__(self) -> None:
        self._commit: list[Callable[[], object]] = []
        self._rollback: list[Callable[[], object]] = []

    def on_commit(self, callback: Callable[[], object]) -> None:
        self._commit.append(callback)

    def on_rollback(self, callback: Callable[[], object]) -> None:
        self._rollback.append(callback)

    def __enter__(self) -> "SideEffects":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        callbacks = self._rollback if kind is not None else self._commit
        self._commit, self._rollback = [], []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - the transaction's outcome stands; say what was left undone
                log.exception("A %s side effect failed", "rollback" if kind is not None else "commit")
        return False
