"""File-like access to data wherever it lives: a disk file, a temporary buffer, a server.

Accessors hand these out from ``open()``; locations copy between them chunk by
chunk, so nothing here needs a whole file in memory.
"""

from __future__ import annotations

import abc
import os
import tempfile
from typing import IO, Any


class Data(abc.ABC):
    """A file-like object: ``read``, ``write``, ``flush``, ``close``.

    ``seek`` and ``tell`` are optional; the base refuses them.
    """

    def __init__(self) -> None:
        self.closed = False

    @abc.abstractmethod
    def read(self, limit: int | None = None) -> Any:
        """Return content from the current position, up to *limit* (all when None)."""

    @abc.abstractmethod
    def write(self, content: Any) -> None:
        """Write *content* at the current position."""

    def flush(self) -> None:
        """Make sure everything written has reached its destination."""

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> None:
        """Move the position by *offset* relative to *whence*."""
        raise NotImplementedError("Seek not supported.")

    def tell(self) -> int:
        """Return the current position."""
        raise NotImplementedError("Tell not supported.")

    def close(self) -> None:
        """Flush, then refuse further access."""
        self.flush()
        self.closed = True

    def __enter__(self) -> "Data":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class FileWrapper(Data):
    """Data backed by an open Python file object."""

    def __init__(self, wrapped_file: IO[Any]) -> None:
        self.wrapped_file = wrapped_file
        self._read_since_last_write = False
        super().__init__()

    def read(self, limit: int | None = None) -> Any:
        """Return content from the current position, up to *limit* (all when None)."""
        self._read_since_last_write = True
        return self.wrapped_file.read(-1 if limit is None else limit)

    def write(self, content: Any) -> None:
        """Write *content* at the current position."""
        if self._read_since_last_write:
            # Switching from reading to writing needs a positioning call in
            # between, or the write may land somewhere other than tell().
            self.seek(self.tell())
        self.wrapped_file.write(content)
        self._read_since_last_write = False

    def flush(self) -> None:
        """Flush the wrapped file."""
        super().flush()
        if hasattr(self.wrapped_file, "flush"):
            self.wrapped_file.flush()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> None:
        """Move the wrapped file's position."""
        self.wrapped_file.seek(offset, whence)

    def tell(self) -> int:
        """Return the wrapped file's position."""
        return self.wrapped_file.tell()

    def close(self) -> None:
        """Flush and close the wrapped file (once)."""
        if self.closed:
            return
        super().close()
        if hasattr(self.wrapped_file, "close"):
            self.wrapped_file.close()


class File(FileWrapper):
    """Data for the file at *path*, opened with *mode*."""

    def __init__(self, path: str | os.PathLike[str], mode: str = "rb") -> None:
        super().__init__(open(path, mode))


class String(FileWrapper):
    """Data held in a temporary file: bytes in gives bytes out, text in gives text out.

    Text is stored as UTF-8; ``is_binary`` turns False once any text is written.
    """

    def __init__(self, content: str | bytes | None = None) -> None:
        self.is_binary = True
        super().__init__(tempfile.TemporaryFile())
        if content is not None:
            self.wrapped_file.write(self._encode(content))
            self.wrapped_file.seek(0)

    def _encode(self, content: str | bytes) -> bytes:
        if isinstance(content, bytes):
            return content
        self.is_binary = False
        return content.encode("utf-8")

    def write(self, content: str | bytes) -> None:
        """Write *content*; text is encoded as UTF-8."""
        super().write(self._encode(content))

    def read(self, limit: int | None = None) -> str | bytes:
        """Return content up to *limit*: text if text was ever written, else bytes."""
        content = super().read(limit)
        if self.is_binary:
            return content
        return content.decode("utf-8")
