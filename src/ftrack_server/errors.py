"""Errors the server reports, each carrying ftrack's exception name."""

from __future__ import annotations


class ServerError(Exception):
    """A failure reported to the client as ftrack's error object."""

    exception = "ServerError"
    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def payload(self) -> dict:
        # Clients format messages as templates: braces would break them.
        content = self.message.replace("{", "(").replace("}", ")")
        return {"exception": self.exception, "content": content, "error_code": None}


class ValidationError(ServerError):
    exception = "ValidationError"
    status = 400


class ParseError(ValidationError):
    exception = "ParseError"


class NotFoundError(ValidationError):
    exception = "NotFoundError"
    status = 404


class DuplicateEntryError(ServerError):
    exception = "DuplicateEntryError"
    status = 409


class DatabaseUnavailableError(ServerError):
    """The database could not be reached or failed; nothing of the batch was stored."""

    status = 503


class InvalidCredentialsError(ServerError):
    exception = "InvalidCredentialsError"
    status = 401


class PermissionError(ServerError):  # noqa: A001 - ftrack's name for it
    exception = "PermissionError"
    status = 403


class UnknownActionError(ValidationError):
    exception = "ValidationError"

    def __init__(self, action: object):
        super().__init__(f"Invalid action u'{action}'")


def first_line(error: BaseException) -> str:
    """The first line of an error's message (database drivers add detail lines)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
