"""Access to a location's data on a local or mounted filesystem."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from typing import Any

import ftrack_api.data
from ftrack_api.accessor.base import Accessor
from ftrack_api.exception import (
    AccessorContainerNotEmptyError,
    AccessorFilesystemPathError,
    AccessorOperationFailedError,
    AccessorParentResourceNotFoundError,
    AccessorPermissionDeniedError,
    AccessorResourceInvalidError,
    AccessorResourceNotFoundError,
    AccessorUnsupportedOperationError,
)

# errno -> accessor error; anything else is AccessorOperationFailedError.
_ERRORS_BY_ERRNO: dict[int, type[Exception]] = {
    errno.ENOENT: AccessorResourceNotFoundError,
    errno.EPERM: AccessorPermissionDeniedError,
    errno.EACCES: AccessorPermissionDeniedError,
    errno.ENOTEMPTY: AccessorContainerNotEmptyError,
    errno.ENOTDIR: AccessorResourceInvalidError,
    errno.EISDIR: AccessorResourceInvalidError,
    errno.EINVAL: AccessorResourceInvalidError,
}


@contextlib.contextmanager
def error_handler(**kw: Any) -> Iterator[None]:
    """Turn an OSError raised inside the block into the matching accessor error.

    *kw* (``operation``, ``resource_identifier``) goes to the error raised; the
    OSError itself becomes its ``error`` detail.
    """
    try:
        yield
    except OSError as error:
        raise _accessor_error(error, **kw) from error


def _accessor_error(error: OSError, **kw: Any) -> Exception:
    """Return the accessor error matching *error*'s errno."""
    kw.setdefault("error", error)
    return _ERRORS_BY_ERRNO.get(error.errno or 0, AccessorOperationFailedError)(**kw)


def _is_within(path: str, directory: str) -> bool:
    """Return whether *path* is *directory* or lies under it (both normalised)."""
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # different drives, or absolute mixed with relative
        return False


class DiskAccessor(Accessor):
    """Resource identifiers are filesystem paths, relative to *prefix* when one is set."""

    def __init__(self, prefix: str, **kw: Any) -> None:
        if prefix:
            prefix = os.path.abspath(os.path.expanduser(os.path.expandvars(prefix)))
        self.prefix = prefix
        super().__init__(**kw)

    def get_filesystem_path(self, resource_identifier: str) -> str:
        """Return the filesystem path of *resource_identifier*.

        A relative identifier is taken relative to the prefix. Raise
        AccessorFilesystemPathError if the result falls outside the prefix.
        """
        path = resource_identifier
        if path:
            path = os.path.normpath(path)
        if self.prefix:
            if not os.path.isabs(path):
                path = os.path.normpath(os.path.join(self.prefix, path))
            if not _is_within(path, self.prefix):
                raise AccessorFilesystemPathError(
                    resource_identifier=resource_identifier,
                    message=(
                        "Could not determine a filesystem path for resource identifier "
                        "{resource_identifier}: it falls outside the prefix {prefix}."
                    ),
                    details={"prefix": self.prefix},
                )
        return path

    def list(self, resource_identifier: str) -> list[str]:
        """Return the identifiers of the entries in container *resource_identifier*."""
        path = self.get_filesystem_path(resource_identifier)
        with error_handler(operation="list", resource_identifier=resource_identifier):
            entries = os.listdir(path)
        return [os.path.join(resource_identifier, entry) for entry in entries]

    def exists(self, resource_identifier: str) -> bool:
        """Return whether anything exists at *resource_identifier*."""
        return os.path.exists(self.get_filesystem_path(resource_identifier))

    def is_file(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is a file."""
        return os.path.isfile(self.get_filesystem_path(resource_identifier))

    def is_container(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is a directory."""
        return os.path.isdir(self.get_filesystem_path(resource_identifier))

    def is_sequence(self, resource_identifier: str) -> bool:
        """Not supported on disk: raise AccessorUnsupportedOperationError."""
        raise AccessorUnsupportedOperationError(
            operation="is_sequence", resource_identifier=resource_identifier)

    def open(self, resource_identifier: str, mode: str = "rb") -> ftrack_api.data.File:
        """Return the file at *resource_identifier* opened with *mode*."""
        path = self.get_filesystem_path(resource_identifier)
        with error_handler(operation="open", resource_identifier=resource_identifier):
            return ftrack_api.data.File(path, mode)

    def remove(self, resource_identifier: str) -> None:
        """Remove the file or empty directory at *resource_identifier*."""
        path = self.get_filesystem_path(resource_identifier)
        with error_handler(operation="remove", resource_identifier=resource_identifier):
            if os.path.isfile(path):
                os.remove(path)
                return
            if os.path.isdir(path):
                os.rmdir(path)
                return
        raise AccessorResourceNotFoundError(
            operation="remove", resource_identifier=resource_identifier)

    def make_container(self, resource_identifier: str, recursive: bool = True) -> None:
        """Make a directory at *resource_identifier*, with its parents when *recursive*.

        An existing directory is kept; anything else in the way is
        AccessorResourceInvalidError. Without *recursive*, a missing parent is
        AccessorParentResourceNotFoundError.
        """
        path = self.get_filesystem_path(resource_identifier)
        kw = {"operation": "makeContainer", "resource_identifier": resource_identifier}
        if os.path.isdir(path):
            return
        try:
            if recursive:
                os.makedirs(path)
            else:
                os.mkdir(path)
        except OSError as error:
            if error.errno == errno.EEXIST and os.path.isdir(path):
                return  # made by someone else meanwhile
            if error.errno == errno.EEXIST:
                raise AccessorResourceInvalidError(error=error, **kw) from error
            if error.errno == errno.ENOENT and not recursive:
                raise AccessorParentResourceNotFoundError(error=error, **kw) from error
            raise _accessor_error(error, **kw) from error

    def get_container(self, resource_identifier: str) -> str:
        """Return the identifier of the directory holding *resource_identifier*.

        With a prefix the result is relative to it (``""`` for the prefix
        itself); the prefix and anything above it have no container here.
        """
        path = self.get_filesystem_path(resource_identifier)
        container = os.path.dirname(path)
        if not path or container == path:
            raise AccessorParentResourceNotFoundError(
                resource_identifier=resource_identifier,
                message="Could not determine the container of {resource_identifier}.",
            )
        if not self.prefix:
            return container
        if path == self.prefix or not _is_within(container, self.prefix):
            raise AccessorParentResourceNotFoundError(
                resource_identifier=resource_identifier,
                message=(
                    "Could not determine the container of {resource_identifier}: "
                    "it falls outside the prefix {prefix}."
                ),
                details={"prefix": self.prefix},
            )
        return container[len(self.prefix):].lstrip("\\/")
