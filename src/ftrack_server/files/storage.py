"""Component bytes on disk, one file per resource identifier.

Layout under ``<data-dir>/components``::

    files/ab/cd/<sha256 of the id>     the stored bytes
    incoming/<random>                  uploads and assemblies in progress
    parts/<upload>/<part number>       parts of multipart uploads
    thumbnails/ab/<sha256 of the id>/  resized images, one per size
    used/<nonce>                       upload tokens already spent
    secret                             the key that signs upload tokens

Paths come from a hash of the identifier, never from anything else a client
sends, so no identifier can point outside the folder. A file appears under
``files/`` only complete: it is written under ``incoming/`` and renamed into
place.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import StorageFullError

#: Bytes read or written at a time: large enough to be fast, small enough never to matter.
CHUNK_SIZE = 1024 * 1024

#: Errors that mean there is no room for more data.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def is_full(error: OSError) -> bool:
    """Whether `error` says the disk (or the file size limit) is full."""
    return error.errno in _FULL


def storage_full(error: OSError, size: int | None = None) -> StorageFullError:
    wanted = f" ({size} bytes)" if size is not None else ""
    return StorageFullError(
        f"The server has no room to store the data{wanted}: {os.strerror(error.errno or 0)}. Nothing was stored."
    )


class Storage:
    """Stored bytes addressed by resource identifier (for ``ftrack.server``: the component id)."""

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / "components"
        self.files = self.root / "files"
        self.incoming = self.root / "incoming"
        self.parts = self.root / "parts"
        self.thumbnails = self.root / "thumbnails"
        self.used = self.root / "used"
        for folder in (self.files, self.incoming, self.parts, self.thumbnails, self.used):
            folder.mkdir(parents=True, exist_ok=True)

    # Addressing ---------------------------------------------------------------------------

    @staticmethod
    def key(resource_id: str) -> str:
        return hashlib.sha256(resource_id.encode("utf-8", "surrogatepass")).hexdigest()

    def path(self, resource_id: str) -> Path:
        """Where the bytes of `resource_id` live (whether or not they exist)."""
        key = self.key(resource_id)
        return self.files / key[:2] / key[2:4] / key

    def thumbnail_dir(self, resource_id: str) -> Path:
        key = self.key(resource_id)
        return self.thumbnails / key[:2] / key

    def part_dir(self, upload: str) -> Path:
        """The folder of a multipart upload; `upload` is a nonce from a verified token."""
        if not _NONCE.match(upload):
            raise ValueError(f"not an upload nonce: {upload!r}")
        return self.parts / upload

    # Reading ------------------------------------------------------------------------------

    def stat(self, resource_id: str) -> os.stat_result | None:
        try:
            return self.path(resource_id).stat()
        except FileNotFoundError:
            return None

    def exists(self, resource_id: str) -> bool:
        return self.stat(resource_id) is not None

    # Writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def incoming_file(self) -> Iterator[tuple[Path, BinaryIO]]:
        """A new empty file under ``incoming/``; removed again unless the caller moved it away."""
        path = self.incoming / secrets.token_hex(16)
        handle = open(path, "xb")
        try:
            yield path, handle
        except BaseException:
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
        handle.close()

    def discard(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def install(self, incoming: Path, resource_id: str) -> Path:
        """Move a complete file from ``incoming/`` into place, replacing older bytes atomically."""
        target = self.path(resource_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(incoming, target)
        self.drop_thumbnails(resource_id)
        return target

    def remove(self, resource_id: str) -> bool:
        """Delete the bytes (and thumbnails) of `resource_id`; False when there were none."""
        self.drop_thumbnails(resource_id)
        try:
            self.path(resource_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def drop_thumbnails(self, resource_id: str) -> None:
        shutil.rmtree(self.thumbnail_dir(resource_id), ignore_errors=True)

    def copy_into(self, source: BinaryIO, target: BinaryIO, size: int | None = None) -> int:
        """Copy `source` to `target` in chunks; return the bytes copied."""
        copied = 0
        try:
            while block := source.read(CHUNK_SIZE):
                target.write(block)
                copied += len(block)
            target.flush()
        except OSError as error:
            if is_full(error):
                raise storage_full(error, size) from None
            raise
        return copied

    # Spent tokens -------------------------------------------------------------------------

    def spend(self, nonce: str) -> bool:
        """Mark a one-time token as used; False when it already was."""
        if not _NONCE.match(nonce):
            return False
        try:
            os.close(os.open(self.used / nonce, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True

    def spent(self, nonce: str) -> bool:
        return not _NONCE.match(nonce) or (self.used / nonce).exists()

    # Housekeeping -------------------------------------------------------------------------

    def sweep(self, older_than: float) -> None:
        """Forget spent tokens, abandoned uploads and parts older than `older_than` seconds."""
        limit = time.time() - older_than
        for folder in (self.used, self.incoming, self.parts):
            for entry in folder.iterdir():
                try:
                    if entry.stat().st_mtime >= limit:
                        continue
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink()
                except FileNotFoundError:
                    continue
