"""The accessor interface every way of reaching a location's data implements.

A *resource identifier* is the part of a path all accessors of one location
agree on; it is what gets stored on the server for a component.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

from ftrack_api.exception import AccessorUnsupportedOperationError

if TYPE_CHECKING:
    from ftrack_api.data import Data


class Accessor(abc.ABC):
    """Read, write, list and remove data by resource identifier."""

    def __init__(self) -> None:
        super().__init__()

    @abc.abstractmethod
    def list(self, resource_identifier: str) -> list[str]:
        """Return the resource identifiers inside the container *resource_identifier*.

        Raise AccessorResourceNotFoundError if it does not exist and
        AccessorResourceInvalidError if it is not a container.
        """

    @abc.abstractmethod
    def exists(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is valid and exists."""

    @abc.abstractmethod
    def is_file(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is a file."""

    @abc.abstractmethod
    def is_container(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is a container."""

    @abc.abstractmethod
    def is_sequence(self, resource_identifier: str) -> bool:
        """Return whether *resource_identifier* is a file sequence."""

    @abc.abstractmethod
    def open(self, resource_identifier: str, mode: str = "rb") -> "Data":
        """Return :class:`ftrack_api.data.Data` for *resource_identifier*."""

    @abc.abstractmethod
    def remove(self, resource_identifier: str) -> None:
        """Remove *resource_identifier*; AccessorResourceNotFoundError if missing."""

    @abc.abstractmethod
    def make_container(self, resource_identifier: str, recursive: bool = True) -> None:
        """Make a container at *resource_identifier* (and its parents when *recursive*).

        An existing container is kept as it is.
        """

    @abc.abstractmethod
    def get_container(self, resource_identifier: str) -> str | None:
        """Return the resource identifier of the container holding *resource_identifier*.

        Raise AccessorParentResourceNotFoundError if it cannot be worked out.
        """

    def remove_container(self, resource_identifier: str) -> None:
        """Remove the container at *resource_identifier*."""
        return self.remove(resource_identifier)

    def get_filesystem_path(self, resource_identifier: str) -> str:
        """Return the filesystem path of *resource_identifier*, if this accessor has one."""
        raise AccessorUnsupportedOperationError(
            "get_filesystem_path", resource_identifier=resource_identifier)

    def get_url(self, resource_identifier: str) -> str:
        """Return a URL for *resource_identifier*, if this accessor has one."""
        raise AccessorUnsupportedOperationError(
            "get_url", resource_identifier=resource_identifier)
