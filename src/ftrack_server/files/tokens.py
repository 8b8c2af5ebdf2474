"""Upload tokens: signed claims (see `signing`) that authorise an upload URL without ftrack credentials."""

from __future__ import annotations

from typing import Any

from ..signing import InvalidToken, Signer
from .errors import UploadTokenError

_PROBLEMS = {
    "missing": "The upload URL has no token",
    "invalid": "The upload token is not valid",
    "expired": "The upload URL has expired",
}


def verify(signer: Signer, token: str | None) -> dict[str, Any]:
    """The claims of a valid upload token; UploadTokenError saying what is wrong otherwise."""
    try:
        return signer.verify(token)
    except InvalidToken as error:
        raise UploadTokenError(f"{_PROBLEMS[error.reason]}; ask get_upload_metadata for a new URL.") from None
