"""Who is asking, for the plain-GET storage URLs.

Credentials come as the ``ftrack-user`` / ``ftrack-api-key`` headers, or as
the ``username`` / ``apiKey`` query parameters that both official clients put
in the URLs they build. The official Python client pastes those values into
the URL unencoded, so a ``+`` in them arrives as a space: a failed lookup is
retried with the spaces read as ``+``.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from ..errors import InvalidCredentialsError
from ..store import accounts


def credentials(request: Request) -> tuple[str | None, str | None]:
    username = request.headers.get("ftrack-user") or request.query_params.get("username")
    api_key = request.headers.get("ftrack-api-key") or request.query_params.get("apiKey")
    return username, api_key


def authenticate(conn, tables, username: str | None, api_key: str | None) -> Mapping:
    """The user the credentials belong to; InvalidCredentialsError otherwise."""
    if not username or not api_key:
        raise InvalidCredentialsError(
            "Credentials are needed: the ftrack-user and ftrack-api-key headers, "
            "or the username and apiKey query parameters."
        )
    user = accounts.authenticate(conn, tables, username, api_key)
    if user is None and (" " in username or " " in api_key):
        user = accounts.authenticate(conn, tables, username.replace(" ", "+"), api_key.replace(" ", "+"))
    if user is None:
        raise InvalidCredentialsError("API key or user not accepted.")
    return user
