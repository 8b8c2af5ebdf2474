"""Access to component data stored by the ftrack server itself.

Resource identifiers are component ids. Downloads and uploads go through a
temporary file in chunks, so a file is never held in memory whole. Both can
report their progress to a callback (see :class:`ServerFile`). Uploads use
httpx; downloads read into one buffer with ``http.client`` (see ``_download``)
unless a proxy is configured.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx

import ftrack_api.symbol
from ftrack_api.accessor import _download
from ftrack_api.accessor.base import Accessor
from ftrack_api.data import String
from ftrack_api.exception import AccessorOperationFailedError
from ftrack_api.transport import _ssl_context

#: ``progress(transferred_bytes, total_bytes)``: how far a download or upload got.
ProgressCallback = Callable[[int, "int | None"], None]

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

    *progress*, when given, is called as the bytes cross the network:
    ``progress(0, total)`` first, then after every chunk, the last call with
    ``transferred == total``. *total* is None during a download only when
    the server announces no length. An exception raised by *progress* stops
    the transfer and propagates to the caller.
    """

    def __init__(self, resource_identifier: str, session: Any, mode: str = "rb",
                 progress: ProgressCallback | None = None) -> None:
        self.mode = mode
        self.resource_identifier = resource_identifier
        self._session = session
        self._progress = progress
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
        if self.wrapped_file.seek(0, 2):
            # Only when there is something to drop: on ext4, truncating makes
            # close() write the file out to disk (its auto_da_alloc heuristic).
            self.wrapped_file.truncate(0)
        self.wrapped_file.seek(0)
        url = _component_url(self._session, "get", self.resource_identifier)
        try:
            if _download.uses_proxy(url):
                self._download_through_proxy(url)
            else:
                _download.get_into(url, self.wrapped_file, self._session.request_timeout, self._report)
        except (*_HTTP_ERRORS, *_download.ERRORS, _download.DownloadError) as error:
            raise self._error("read", error) from error
        self.wrapped_file.flush()
        self.wrapped_file.seek(position)

    def _download_through_proxy(self, url: str) -> None:
        """The download with httpx, which goes through the configured proxy."""
        with httpx.stream("GET", url, timeout=self._session.request_timeout,
                          follow_redirects=True, verify=_ssl_context()) as response:
            response.raise_for_status()
            length = response.headers.get("content-length", "")
            total = int(length) if length.isdigit() else None
            received = 0
            self._report(0, total)
            for block in response.iter_bytes(ftrack_api.symbol.CHUNK_SIZE):
                self.wrapped_file.write(block)
                received += len(block)
                self._report(received, total)
            if total != received:
                self._report(received, received)

    def _upload(self) -> None:
        """PUT the buffer to the upload URL the server hands out, with its MD5."""
        position = self.wrapped_file.tell()
        try:
            _put(self._session, self.resource_identifier, self.wrapped_file, self._progress)
        finally:
            self.wrapped_file.seek(position)

    def _report(self, transferred: int, total: int | None) -> None:
        if self._progress is not None:
            self._progress(transferred, total)


def _put(session: Any, resource_identifier: str, handle: Any,
         progress: ProgressCallback | None) -> None:
    """PUT the whole of the binary file *handle* as the data of component
    *resource_identifier*, to the URL ``get_upload_metadata`` hands out, with its MD5."""
    component = session.get("FileComponent", resource_identifier)
    if component is None:
        raise _failure("write", resource_identifier, f"no FileComponent with id {resource_identifier!r}")

    file_name = component["name"]
    file_type = component["file_type"]
    if file_type:
        file_name = f"{file_name}.{file_type.lstrip('.')}"

    size, checksum = _size_and_checksum(handle)
    try:
        metadata = session.get_upload_metadata(
            component_id=resource_identifier,
            file_name=file_name,
            file_size=size,
            checksum=checksum,
        )
    except Exception as error:  # whatever stops us getting a URL fails the write
        raise _failure("write", resource_identifier, f"could not get upload metadata: {error}") from error

    headers = httpx.Headers(metadata.get("headers") or {})
    headers.setdefault("Content-MD5", checksum)
    headers["Content-Length"] = str(size)
    try:
        response = httpx.put(
            metadata["url"],
            content=_reported(_chunks(handle), size, progress),
            headers=headers,
            timeout=session.request_timeout,
            verify=_ssl_context(),
        )
        response.raise_for_status()
    except _HTTP_ERRORS as error:
        raise _failure("write", resource_identifier, error) from error


def _size_and_checksum(handle: Any) -> tuple[int, str]:
    """The size and base64 MD5 digest of everything in *handle*, read in chunks."""
    digest = hashlib.md5()
    size = 0
    for chunk in _chunks(handle):
        digest.update(chunk)
        size += len(chunk)
    return size, base64.b64encode(digest.digest()).decode("ascii")


def _reported(chunks: Iterator[bytes], total: int,
              progress: ProgressCallback | None) -> Iterator[bytes]:
    """*chunks*, reporting the bytes handed on so far to *progress*."""
    if progress is None:
        yield from chunks
        return
    sent = 0
    progress(0, total)
    for chunk in chunks:
        yield chunk
        sent += len(chunk)
        progress(sent, total)


def _chunks(handle: Any) -> Iterator[bytes]:
    """Yield the whole of *handle* from the start, CHUNK_SIZE bytes at a time."""
    handle.seek(0)
    while chunk := handle.read(ftrack_api.symbol.CHUNK_SIZE):
        yield chunk


class _ServerAccessor(Accessor):
    """Accessor for the ftrack server's own storage (the server location)."""

    def __init__(self, session: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self._session = session

    def open(self, resource_identifier: str, mode: str = "rb",
             progress: ProgressCallback | None = None) -> ServerFile:
        """Return a :class:`ServerFile` for component *resource_identifier*.

        *progress* (``progress(transferred_bytes, total_bytes)``) follows the
        download or upload, see :class:`ServerFile`.
        """
        return ServerFile(resource_identifier, session=self._session, mode=mode, progress=progress)

    def put_file(self, resource_identifier: str, path: str,
                 progress: ProgressCallback | None = None) -> None:
        """Upload the local file at *path* as the data of *resource_identifier*.

        What ``open(resource_identifier, "wb")`` and writing the file to it
        would do, without first copying the file into a temporary buffer.
        Locations use it when the source is a file on disk.
        """
        try:
            with open(path, "rb") as handle:
                _put(self._session, resource_identifier, handle, progress)
        except OSError as error:  # reading the file
            raise _failure("write", resource_identifier, error) from error

    def remove(self, resource_identifier: str) -> None:
        """Ask the server to delete the data of component *resource_identifier*."""
        try:
            response = httpx.get(
                _component_url(self._session, "remove", resource_identifier),
                timeout=self._session.request_timeout,
                follow_redirects=True,
                verify=_ssl_context(),
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

