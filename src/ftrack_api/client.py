"""The low-level API client: plain dicts in, plain dicts out.

The same surface as the official JavaScript client's session (``call``,
``query``, ``create``, ``update``, ``delete``, ``get_schema``,
``get_component_url``, ``thumbnail_url``, ``client_token``), as a blocking
:class:`Client` and an asyncio :class:`AsyncClient`. Results are the server's
JSON with tagged datetimes decoded to :class:`arrow.Arrow` (unless another
``object_hook`` is given). ``Session`` is built on top of this.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from ftrack_api.references import merge_references
from ftrack_api.transport import (
    AsyncTransport,
    EncodeDefault,
    ObjectHook,
    Operations,
    Transport,
    decode_datetime,
)

_T = TypeVar("_T", Transport, AsyncTransport)

#: Constructor argument → environment variables read when it is not given.
_ENVIRONMENT = {
    "server_url": ("FTRACK_SERVER",),
    "api_key": ("FTRACK_API_KEY", "FTRACK_APIKEY"),
    "api_user": ("FTRACK_API_USER",),
}


def resolve_credentials(server_url: str | None, api_user: str | None,
                        api_key: str | None) -> tuple[str, str, str]:
    """``(server_url, api_user, api_key)``, each taken from the environment
    when not given; ``TypeError`` naming every one still missing.
    """
    given = {"server_url": server_url, "api_key": api_key, "api_user": api_user}
    missing = []
    for name, variables in _ENVIRONMENT.items():
        for variable in variables:
            if given[name]:
                break
            given[name] = os.environ.get(variable)
        if not given[name]:
            missing.append(f"{name} (or environment variable {' / '.join(variables)})")
    if missing:
        raise TypeError("Required ftrack credentials not given: " + ", ".join(missing) + ".")
    return given["server_url"].rstrip("/"), given["api_user"], given["api_key"]  # type: ignore[union-attr,return-value]


# ----------------------------------------------------------------------------
# Operations


def query_operation(expression: str) -> dict[str, Any]:
    return {"action": "query", "expression": expression}


def create_operation(entity_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"action": "create", "entity_type": entity_type,
            "entity_data": {**data, "__entity_type__": entity_type}}


def update_operation(entity_type: str, keys: Sequence[str] | str,
                     data: Mapping[str, Any]) -> dict[str, Any]:
    return {"action": "update", "entity_type": entity_type, "entity_key": keys,
            "entity_data": {**data, "__entity_type__": entity_type}}


def delete_operation(entity_type: str, keys: Sequence[str] | str) -> dict[str, Any]:
    return {"action": "delete", "entity_type": entity_type, "entity_key": keys}


SERVER_INFORMATION_OPERATION = {"action": "query_server_information"}
SCHEMAS_OPERATION = {"action": "query_schemas"}


# ----------------------------------------------------------------------------
# Clients


class _BaseClient(Generic[_T]):
    """Credentials, URL builders and caches; subclasses add the I/O."""

    _transport_type: type[_T]

    def __init__(
        self,
        server_url: str | None = None,
        api_user: str | None = None,
        api_key: str | None = None,
        *,
        client_token: str | None = None,
        timeout: float | None = 60,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        strict_api: bool = False,
        default: EncodeDefault | None = None,
        object_hook: ObjectHook | None = decode_datetime,
    ):
        server_url, api_user, api_key = resolve_credentials(server_url, api_user, api_key)
        self.transport: _T = self._transport_type(
            server_url, api_user, api_key,
            client_token=client_token, timeout=timeout, headers=headers, cookies=cookies,
            strict_api=strict_api, default=default, object_hook=object_hook,
        )
        self._server_information: dict[str, Any] | None = None
        self._schemas: dict[str, dict[str, Any]] | None = None

    @property
    def server_url(self) -> str:
        return self.transport.server_url

    @property
    def api_user(self) -> str:
        return self.transport.api_user

    @property
    def api_key(self) -> str:
        return self.transport.api_key

    @property
    def client_token(self) -> str:
        """Names this client in the update events its changes cause."""
        return self.transport.client_token

    @property
    def closed(self) -> bool:
        return self.transport.closed

    def get_component_url(self, component_id: str | None) -> str | None:
        """Where the bytes of *component_id* (in ``ftrack.server``) download
        from, or ``None`` without an id.
        """
        if not component_id:
            return None
        query = urlencode({"id": component_id, "username": self.api_user,
                           "apiKey": self.api_key})
        return f"{self.server_url}/component/get?{query}"

    def thumbnail_url(self, component_id: str | None, size: int = 300) -> str:
        """Where a thumbnail of *component_id* fitting *size* × *size* pixels
        downloads from; the placeholder image without an id.
        """
        if not component_id:
            return f"{self.server_url}/img/thumbnail2.png"
        query = urlencode({"id": component_id, "size": str(size),
                           "username": self.api_user, "apiKey": self.api_key})
        return f"{self.server_url}/component/thumbnail?{query}"

    def _remember_schemas(self, schemas: list[dict[str, Any]]) -> None:
        self._schemas = {schema["id"]: schema for schema in schemas}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.server_url} user={self.api_user!r}>"


class Client(_BaseClient[Transport]):
    """Blocking low-level client; one keep-alive connection pool."""

    _transport_type = Transport

    def call(self, operations: Operations) -> list:
        """Send *operations* as one batch; their results, in order, repeated entities merged."""
        return merge_references(self.transport.call(operations))

    def query(self, expression: str) -> dict[str, Any]:
        """Run *expression*: ``{"data": [...], "metadata": {"next": {"offset": ...}}}``."""
        return self.call([query_operation(expression)])[0]

    def create(self, entity_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Create an *entity_type* from *data*: ``{"action": "create", "data": entity}``."""
        return self.call([create_operation(entity_type, data)])[0]

    def update(self, entity_type: str, keys: Sequence[str] | str,
               data: Mapping[str, Any]) -> dict[str, Any]:
        """Change the entity with primary key *keys*: ``{"action": "update", "data": entity}``."""
        return self.call([update_operation(entity_type, keys, data)])[0]

    def delete(self, entity_type: str, keys: Sequence[str] | str) -> dict[str, Any]:
        """Delete the entity with primary key *keys*: ``{"action": "delete", "data": True}``."""
        return self.call([delete_operation(entity_type, keys)])[0]

    def get_schema(self, schema_id: str) -> dict[str, Any] | None:
        """The schema named *schema_id* (e.g. ``"AssetVersion"``), or ``None``."""
        if self._schemas is None:
            self._remember_schemas(self.call([SCHEMAS_OPERATION])[0])
        return self._schemas.get(schema_id)  # type: ignore[union-attr]

    @property
    def server_information(self) -> dict[str, Any]:
        """What ``query_server_information`` answered (asked once)."""
        if self._server_information is None:
            self._server_information = self.call([SERVER_INFORMATION_OPERATION])[0]
        return self._server_information

    def close(self) -> None:
        """Close the connections; later calls raise ``ConnectionClosedError``."""
        self.transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient(_BaseClient[AsyncTransport]):
    """asyncio low-level client: :class:`Client` with every server call awaited.

    ``server_information`` is a coroutine method here (``await
    client.server_information()``), as a property cannot wait for the server.
    """

    _transport_type = AsyncTransport

    async def call(self, operations: Operations) -> list:
        """Send *operations* as one batch; their results, in order, repeated entities merged."""
        return merge_references(await self.transport.call(operations))

    async def query(self, expression: str) -> dict[str, Any]:
        """Run *expression*: ``{"data": [...], "metadata": {"next": {"offset": ...}}}``."""
        return (await self.call([query_operation(expression)]))[0]

    async def create(self, entity_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Create an *entity_type* from *data*: ``{"action": "create", "data": entity}``."""
        return (await self.call([create_operation(entity_type, data)]))[0]

    async def update(self, entity_type: str, keys: Sequence[str] | str,
                     data: Mapping[str, Any]) -> dict[str, Any]:
        """Change the entity with primary key *keys*: ``{"action": "update", "data": entity}``."""
        return (await self.call([update_operation(entity_type, keys, data)]))[0]

    async def delete(self, entity_type: str, keys: Sequence[str] | str) -> dict[str, Any]:
        """Delete the entity with primary key *keys*: ``{"action": "delete", "data": True}``."""
        return (await self.call([delete_operation(entity_type, keys)]))[0]

    async def get_schema(self, schema_id: str) -> dict[str, Any] | None:
        """The schema named *schema_id* (e.g. ``"AssetVersion"``), or ``None``."""
        if self._schemas is None:
            self._remember_schemas((await self.call([SCHEMAS_OPERATION]))[0])
        return self._schemas.get(schema_id)  # type: ignore[union-attr]

    async def server_information(self) -> dict[str, Any]:
        """What ``query_server_information`` answered (asked once)."""
        if self._server_information is None:
            self._server_information = (await self.call([SERVER_INFORMATION_OPERATION]))[0]
        return self._server_information

    async def close(self) -> None:
        """Close the connections; later calls raise ``ConnectionClosedError``."""
        await self.transport.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
