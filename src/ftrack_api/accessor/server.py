"""Access to component data stored by the ftrack server itself.

Resource identifiers are component ids. Downloads and uploads go through a
temporary file in chunks, so a file is never held in memory whole.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx

import ftrack_api.symbol
from ftrack_api.accessor.base import Accessor
from ftrack_api.data import String
from ftrack_api.exception import AccessorOperationFailedError

# Raised by httpx for failed, timed-out or malformed requests.
_HTTP_ERRORS = (httpx.HTTPError, httpx.StreamError, httpx.InvalidURL)


def _failure(operation: str, resource_identifier: str,
             error: Exception | str) -> AccessorOperationFailedError:
    """Return the accessor error for a failed *operation*, without the URL (it holds the key)."""
    if isinstance(error, httpx.HTTPStatusError):
        response = error.response
        error = f"the server answered {response.status_code} {response.reason_phrase}"
    elif isinstance(error, Exception):
        error = str(error) or type(error).__name__
    return AccessorOperationFailedError(
        operation=operation, resource_identifier=resource_identifier, error=error)


def _component_url(session: Any, endpoint: str, resource_identifier: str,
                   **extra: Any) -> str:
    """Return ``<server>/component/<endpoint>?id=..&username=..&apiKey=..`` plus *extra*."""
    query = {
        "id": resource_identifier,
        "username": session.api_user,
        "apiKey": session.api_key,
        **extra,
    }
    return f"{str(session.server_url).rstrip('/')}/component/{endpoint}?{urlencode(query)}"


class ServerFile(String):
    """A component's data on the server, buffered in a temporary file.

    Reading downloads the data on first use. In ``"wb"`` mode, ``flush()`` and
    ``close()`` upload what was written.
    """

    def __init__(self, resource_identifier: str, session: Any, mode: str = "rb") -> None:
        self.mode = mode
        self.resource_identifier = resource_identifier
        self._session = session
        self._downloaded = False
        self._uploaded = False
        super().__init__()

    def read(self, limit: int | None = None) -> str | bytes:
        """Return content up to *limit*, downloading it first if need be."""
        if not self._downloaded and self.mode != "wb":
            self._download()
        self._downloaded = True
        return super().read(limit)

    def write(self, content: str | bytes) -> None:
        """Write *content* to the local buffer (uploaded on flush in ``"wb"`` mode)."""
        super().write(content)
        self._uploaded = False

    def flush(self) -> None:
        """Flush the buffer and, in ``"wb"`` mode, upload it if it changed."""
        super().flush()
        if self.mode == "wb" and not self._uploaded:
            self._upload()
            self._uploaded = True

    def _error(self, operation: str, error: Exception | str) -> AccessorOperationFailedError:
        return _failure(operation, self.resource_identifier, error)

    def _download(self) -> None:
        """Copy the server's data into the buffer, keeping the current position."""
        position = self.wrapped_file.tell()
        self.wrapped_file.seek(0)
        self.wrapped_file.truncate()
        try:
            with httpx.stream(
                "GET",
                _component_url(self._session, "get", self.resource_identifier),
                timeout=self._session.request_timeout,
                follow_redirects=True,
            ) as response:
                response.raise_for_status()
                for block in response.iter_bytes(ftrack_api.symbol.CHUNK_SIZE):
                    self.wrapped_file.write(block)
        except _HTTP_ERRORS as error:
            raise self._error("read", error) from error
        self.wrapped_file.flush()
        self.wrapped_file.seek(position)

    def _upload(self) -> None:
        """PUT the buffer to the upload URL the server hands out, with its MD5."""
        position = self.wrapped_file.tell()
        component = self._session.get("FileComponent", self.resource_identifier)
        if component is None:
            raise self._error("write", f"no FileComponent with id {self.resource_identifier!r}")

        file_name = component["name"]
        file_type = component["file_type"]
        if file_type:
            file_name = f"{file_name}.{file_type.lstrip('.')}"

        size, checksum = self._size_and_checksum()
        try:
            metadata = self._session.get_upload_metadata(
                component_id=self.resource_identifier,
                file_name=file_name,
                file_size=size,
                checksum=checksum,
            )
        except Exception as error:  # whatever stops us getting a URL fails the write
            raise self._error("write", f"could not get upload metadata: {error}") from error

        headers = httpx.Headers(metadata.get("headers") or {})
        headers.setdefault("Content-MD5", checksum)
        headers["Content-Length"] = str(size)
        try:
            response = httpx.put(
                metadata["url"],
                content=self._chunks(),
                headers=headers,
                timeout=self._session.request_timeout,
            )
            response.raise_for_status()
        except _HTTP_ERRORS as error:
            raise self._error("write", error) from error
        finally:
            self.wrapped_file.seek(position)

    def _size_and_checksum(self) -> tuple[int, str]:
        """Return the buffer's size and base64 MD5 digest, read in chunks."""
        digest = hashlib.md5()
        size = 0
        for chunk in self._chunks():
            digest.update(chunk)
            size += len(chunk)
        return size, base64.b64encode(digest.digest()).decode("ascii")

    def _chunks(self) -> Iterator[bytes]:
        """Yield the whole buffer from the start, CHUNK_SIZE bytes at a time."""
        self.wrapped_file.seek(0)
        while chunk := self.wrapped_file.read(ftrack_api.symbol.CHUNK_SIZE):
            yield chunk


class _ServerAccessor(Accessor):
    """Accessor for the ftrack server's own storage (the server location)."""

    def __init__(self, session: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self._session = session

    def open(self, resource_identifier: str, mode: str = "rb") -> ServerFile:
        """Return a :class:`ServerFile` for component *resource_identifier*."""
        return ServerFile(resource_identifier, session=self._session, mode=mode)

    def remove(self, resource_identifier: str) -> None:
        """Ask the server to delete the data of component *resource_identifier*."""
        try:
            response = httpx.get(
                _component_url(self._session, "remove", resource_identifier),
                timeout=self._session.request_timeout,
                follow_redirects=True,
            )
            response.raise_for_status()
        except _HTTP_ERRORS as error:
            raise _failure("remove", resource_identifier, error) from error

    def get_container(self, resource_identifier: str) -> None:
        """Server storage has no containers: always None."""
        return None

    def make_container(self, resource_identifier: str, recursive: bool = True) -> None:
        """Server storage has no containers: nothing to do."""

    def list(self, resource_identifier: str) -> list[str]:
        raise NotImplementedError("Listing is not supported by the server accessor.")

    def exists(self, resource_identifier: str) -> bool:
        """Always False: the server accessor cannot check existence."""
        return False

    def is_file(self, resource_identifier: str) -> bool:
        raise NotImplementedError("is_file is not supported by the server accessor.")

    def is_container(self, resource_identifier: str) -> bool:
        raise NotImplementedError("is_container is not supported by the server accessor.")

    def is_sequence(self, resource_identifier: str) -> bool:
        raise NotImplementedError("is_sequence is not supported by the server accessor.")

    def get_url(self, resource_identifier: str) -> str:
        """Return the authenticated download URL of *resource_identifier*."""
        return _component_url(self._session, "get", resource_identifier)

    def get_thumbnail_url(self, resource_identifier: str, size: int | None = None) -> str:
        """Return the thumbnail URL of *resource_identifier*, at most *size* pixels square."""
        extra = {"size": size} if size else {}
        return _component_url(self._session, "thumbnail", resource_identifier, **extra)

