"""Component storage as one object: the bytes, the token signer and the settings."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from .settings import FileSettings
from .storage import Storage
from ..signing import Signer

#: Seconds between sweeps of spent tokens and abandoned uploads.
_SWEEP_INTERVAL = 600.0


class ComponentStorage:
    """What the upload, download and thumbnail code shares, for one data directory."""

    def __init__(self, data_dir: Path, settings: FileSettings | None = None):
        self.settings = settings or FileSettings()
        self.storage = Storage(data_dir)
        self.signer = Signer.from_file(self.storage.root / "secret")
        self._sweep_lock = threading.Lock()
        self._last_sweep = float("-inf")
        self.sweep()

    def sweep(self) -> None:
        """Every few minutes at most: forget what expired tokens can no longer use."""
        now = time.monotonic()
        if now - self._last_sweep < _SWEEP_INTERVAL or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._last_sweep = now
            self.storage.sweep(self.settings.token_lifetime)
        finally:
            self._sweep_lock.release()
