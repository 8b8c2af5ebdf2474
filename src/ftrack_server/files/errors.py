"""Errors of component storage, in ftrack's error format (see `ftrack_server.errors`)."""

from __future__ import annotations

from ..errors import NotFoundError, PermissionError, ServerError, ValidationError

__all__ = [
    "NotFoundError", "PayloadTooLargeError", "StorageFullError", "StorageNotConfiguredError",
    "UploadTokenError", "ValidationError",
]


class PayloadTooLargeError(ValidationError):
    """An upload larger than the server accepts."""

    status = 413


class StorageFullError(ServerError):
    """The disk (or the process's file size limit) has no room for the data."""

    status = 507


class UploadTokenError(PermissionError):
    """An upload URL whose token is missing, forged, expired, used, or for another component."""


class StorageNotConfiguredError(ServerError):
    status = 501

    def __init__(self) -> None:
        super().__init__("This server has no component storage configured.")
