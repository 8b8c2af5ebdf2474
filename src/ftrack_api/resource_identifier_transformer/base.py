"""The resource identifier transformer interface (a pass-through by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ResourceIdentifierTransformer:
    """Rewrite resource identifiers before they are stored centrally and after reading back.

    Subclass to, say, store a path as portable parts and rebuild it locally.
    A location passes ``context={'component': component}``.
    """

    def __init__(self, session: Any) -> None:
        self.session = session

    def encode(self, resource_identifier: str, context: Mapping[str, Any] | None = None) -> str:
        """Return *resource_identifier* in the form to store on the server."""
        return resource_identifier

    def decode(self, resource_identifier: str, context: Mapping[str, Any] | None = None) -> str:
        """Return a stored *resource_identifier* in the form to use locally."""
        return resource_identifier
