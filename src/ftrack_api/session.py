"""The Session: the ftrack API as pipeline code uses it.

A session talks to one server through the low-level
:class:`~ftrack_api.client.Client`, builds entity classes from the server's
schemas, keeps one instance per entity (its identity map, the top layer of
``session.cache``), records changes until :meth:`Session.commit` sends them
as one batch, and runs the local event hub that plugins subscribe to.
"""

from __future__ import annotations

import atexit
import collections.abc
import datetime
import getpass
import json
import logging
import os
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, Callable

import arrow
import httpx

import ftrack_api._gc
import ftrack_api.exception
import ftrack_api.plugin
import ftrack_api.schema
from ftrack_api.attribute import ReferenceAttribute
from ftrack_api.cache import Cache, LayeredCache, MemoryCache, StringKeyMaker
from ftrack_api.client import Client, resolve_credentials
from ftrack_api.collection import Collection, MappedCollectionProxy
from ftrack_api.entity.base import Entity
from ftrack_api.entity.factory import StandardFactory
from ftrack_api.event.base import Event
from ftrack_api.event.hub import EventHub
from ftrack_api.inspection import operation_states, primary_key, states
from ftrack_api.materialise import Materialiser
from ftrack_api.operation import (
    CreateEntityOperation,
    DeleteEntityOperation,
    Operations,
    UpdateEntityOperation,
)
from ftrack_api.query import QueryResult
from ftrack_api.session_files import SessionFiles
from ftrack_api.symbol import CREATED, DELETED, MODIFIED, NOT_SET
from ftrack_api.transport import encode_json, parse_datetime

_MINIMUM_SERVER_VERSION = (3, 3, 11)
_STRATEGIES = ("all", "set_only", "modified_only", "persisted_only")


class SessionAuthentication(httpx.Auth):
    """Adds the ftrack API key and user headers to a request."""

    def __init__(self, api_key: str, api_user: str):
        self.api_key = api_key
        self.api_user = api_user

    def __call__(self, request: Any) -> Any:
        request.headers["ftrack-api-key"] = self.api_key
        request.headers["ftrack-user"] = self.api_user
        return request

    def auth_flow(self, request: httpx.Request) -> Any:
        yield self(request)


class _ThreadFlags(threading.local):
    """Per-thread ``auto_populate`` and ``record_operations``; every thread
    starts from the session's initial values."""

    def __init__(self, auto_populate: bool):
        self.auto_populate = auto_populate
        self.record_operations = True


class _FlagContext:
    def __init__(self, session: "Session", name: str, value: bool):
        self._session = session
        self._name = name
        self._value = value
        self._previous: bool | None = None

    def __enter__(self) -> None:
        self._previous = getattr(self._session, self._name)
        setattr(self._session, self._name, self._value)

    def __exit__(self, *exc_info: object) -> None:
        setattr(self._session, self._name, self._previous)


class AutoPopulatingContext(_FlagContext):
    """Sets ``auto_populate`` for the ``with`` block, restoring it after."""

    def __init__(self, session: "Session", auto_populate: bool):
        super().__init__(session, "auto_populate", auto_populate)


class OperationRecordingContext(_FlagContext):
    """Sets ``record_operations`` for the ``with`` block, restoring it after."""

    def __init__(self, session: "Session", record_operations: bool):
        super().__init__(session, "record_operations", record_operations)


class OperationPayload(collections.abc.MutableMapping):
    """One action of a commit batch."""

    def __init__(self, *args: Any, **kwargs: Any):
        self._data: dict[str, Any] = dict(*args, **kwargs)

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self._data}>"

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - any failure just means "unknown"
        return None


def _quote(value: Any) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Session(SessionFiles):
    """A connection to an ftrack server with an identity map and a unit of work."""

    def __init__(
        self,
        server_url: str | None = None,
        api_key: str | None = None,
        api_user: str | None = None,
        auto_populate: bool = True,
        plugin_paths: list[str] | None = None,
        cache: Cache | Callable[["Session"], Cache | None] | None = None,
        cache_key_maker: Any = None,
        auto_connect_event_hub: bool = False,
        schema_cache_path: str | bool | None = None,
        plugin_arguments: Mapping[str, Any] | None = None,
        timeout: float = 60,
        cookies: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        strict_api: bool = False,
    ):
        super().__init__()
        self.logger = logging.getLogger(f"{__name__}.{type(self).__name__}")
        self._closed = False
        if api_user is None:
            api_user = os.environ.get("FTRACK_API_USER") or _login_name()
        server_url, api_user, api_key = resolve_credentials(server_url, api_user, api_key)
        if cookies is not None and not isinstance(cookies, Mapping):
            raise TypeError("The cookies argument is required to be a mapping.")
        if headers is not None and not isinstance(headers, Mapping):
            raise TypeError("The headers argument is required to be a mapping.")
        if not isinstance(strict_api, bool):
            raise TypeError("The strict_api argument is required to be a boolean.")

        self._flags = _ThreadFlags(auto_populate)
        self._lock = threading.RLock()
        self.recorded_operations = Operations()
        self._states_version = -1
        self._states_count = 0
        self._states: dict[tuple, Any] = {}
        self._local_cache = MemoryCache()
        self.cache = LayeredCache([self._local_cache])
        if cache is not None:
            if callable(cache) and not isinstance(cache, Cache):
                cache = cache(self)
            if cache is not None:
                self.cache.caches.append(cache)
        self.cache_key_maker = cache_key_maker if cache_key_maker is not None \
            else StringKeyMaker()
        self.request_timeout = timeout
        self._materialiser = Materialiser(self)
        self._client = Client(server_url, api_user, api_key, timeout=timeout,
                              headers=headers, cookies=cookies, strict_api=strict_api,
                              default=self._encode_default, object_hook=None)
        self.types: dict[str, type] = {}
        self.schemas: list[dict[str, Any]] = []

        self._server_information = self.call([{"action": "query_server_information"}])[0]
        self.check_server_compatibility()

        # The hub sends what /api requests send: the custom headers with the
        # strict-api flag, and the cookies (custom ones and any the server set).
        hub_headers = {**(headers or {}),
                       "ftrack-strict-api": "true" if strict_api else "false"}
        hub_cookies = {cookie.name: cookie.value or "" for cookie in self._request.cookies.jar}
        self._event_hub = EventHub(server_url, api_user, api_key, headers=hub_headers,
                                   cookies=hub_cookies)
        self._auto_connect_event_hub_thread: threading.Thread | None = None
        if auto_connect_event_hub:
            self._event_hub.init_connection()
            self._auto_connect_event_hub_thread = threading.Thread(
                target=self._connect_event_hub, name="ftrack-event-hub-connect", daemon=True)
            self._auto_connect_event_hub_thread.start()
        atexit.register(weakref.WeakMethod(self._close_at_exit))  # type: ignore[arg-type]

        if plugin_paths is None:
            plugin_paths = os.environ.get("FTRACK_EVENT_PLUGIN_PATH", "").split(os.pathsep)
        self._plugin_paths = plugin_paths
        self._plugin_arguments = dict(plugin_arguments or {})
        self._discover_plugins(plugin_arguments=self._plugin_arguments)

        if schema_cache_path is None:
            schema_cache_path = ftrack_api.schema.default_cache_folder()
        self.schemas = self._load_schemas(schema_cache_path)
        self.types = self._build_entity_type_classes(self.schemas)

        self._register_storage_scenario_handler()
        self._configure_locations()
        self.event_hub.publish(Event(topic="ftrack.api.session.ready",
                                     data={"session": self}), synchronous=True)

    # ------------------------------------------------------------------
    # Properties

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.server_url} user={self.api_user!r}>"

    @property
    def server_url(self) -> str:
        return self._client.server_url

    @property
    def api_user(self) -> str:
        return self._client.api_user

    @property
    def api_key(self) -> str:
        return self._client.api_key

    @property
    def client_token(self) -> str:
        """Names this session in the ``ftrack.update`` events its commits cause."""
        return self._client.client_token

    @property
    def event_hub(self) -> EventHub:
        return self._event_hub

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def server_information(self) -> dict[str, Any]:
        return dict(self._server_information)

    @property
    def auto_populate(self) -> bool:
        return self._flags.auto_populate

    @auto_populate.setter
    def auto_populate(self, value: bool) -> None:
        self._flags.auto_populate = value

    @property
    def record_operations(self) -> bool:
        return self._flags.record_operations

    @record_operations.setter
    def record_operations(self, value: bool) -> None:
        self._flags.record_operations = value

    @property
    def _request(self) -> httpx.Client:
        if self._closed:
            raise ftrack_api.exception.ConnectionClosedError()
        return self._client.transport._http

    @property
    def _memory(self) -> dict:
        return self._local_cache._cache

    @property
    def _persisted_layers(self) -> bool:
        return len(self.cache.caches) > 1

    @property
    def created(self) -> list[Entity]:
        return self._entities_in_state(CREATED)

    @property
    def modified(self) -> list[Entity]:
        return self._entities_in_state(MODIFIED)

    @property
    def deleted(self) -> list[Entity]:
        return self._entities_in_state(DELETED)

    def _entities_in_state(self, wanted: Any) -> list[Entity]:
        entities = [value for value in self._local_cache.values() if isinstance(value, Entity)]
        return [entity for entity, found in zip(entities, states(entities)) if found is wanted]

    def _operation_states(self) -> dict[tuple, Any]:
        """Pending state of each entity touched by the recorded operations."""
        operations = self.recorded_operations
        if self._states_version != operations.version:
            done = self._states_count
            pushed_only = operations.version - self._states_version == len(operations) - done >= 0
            if pushed_only:  # the usual case: replay only what was added since
                self._states = operation_states(operations._stack[done:], self._states)
            else:
                self._states = operation_states(operations)
            self._states_version = operations.version
            self._states_count = len(operations)
        return self._states

    def auto_populating(self, auto_populate: bool) -> AutoPopulatingContext:
        return AutoPopulatingContext(self, auto_populate)

    def operation_recording(self, record_operations: bool) -> OperationRecordingContext:
        return OperationRecordingContext(self, record_operations)

    # ------------------------------------------------------------------
    # Start-up

    def check_server_compatibility(self) -> None:
        """``ServerCompatibilityError`` for servers older than 3.3.11."""
        version = self._server_information.get("version")
        if version is None:
            raise ftrack_api.exception.ServerCompatibilityError(
                "Could not determine server version.")
        parts = str(version).split(".")
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            if tuple(int(part) for part in parts) < _MINIMUM_SERVER_VERSION:
                raise ftrack_api.exception.ServerCompatibilityError(
                    f"Server version {version} incompatible with this version of the API "
                    "which requires a server version >= 3.3.11")

    def _connect_event_hub(self) -> None:
        try:
            self.event_hub.connect()
        except ftrack_api.exception.EventHubConnectionError as error:
            if not self._closed:
                self.logger.warning("Could not connect the event hub: %s", error)

    def _discover_plugins(self, plugin_arguments: Mapping[str, Any] | None = None) -> None:
        ftrack_api.plugin.discover(self._plugin_paths, [self], dict(plugin_arguments or {}))

    def _read_schemas_from_cache(self, schema_cache_path: str) -> tuple[list, str]:
        return ftrack_api.schema.read_cache(schema_cache_path)

    def _write_schemas_to_cache(self, schemas: Any, schema_cache_path: str) -> None:
        ftrack_api.schema.write_cache(schemas, schema_cache_path)

    def _load_schemas(self, schema_cache_path: str | bool) -> list[dict[str, Any]]:
        """Schemas from the cache when its hash matches the server's, else
        from the server (then cached)."""
        path = None
        if schema_cache_path:
            path = ftrack_api.schema.cache_file(os.path.expanduser(str(schema_cache_path)))
            try:
                schemas, local_hash = self._read_schemas_from_cache(path)
            except (OSError, TypeError, AttributeError, ValueError) as error:
                self.logger.warning("Ignoring schema cache %s, it could not be read: %s",
                                    path, error)
            else:
                if local_hash == self._server_information.get("schema_hash"):
                    return schemas
        schemas = self.call([{"action": "query_schemas"}])[0]
        if path is not None:
            try:
                self._write_schemas_to_cache(schemas, path)
            except (OSError, TypeError) as error:
                self.logger.warning("Could not write schema cache %s: %s", path, error)
        return schemas

    def _build_entity_type_classes(self, schemas: list[dict[str, Any]]) -> dict[str, type]:
        """A class per schema, from a construct-entity-type plugin or the
        standard factory."""
        factory = StandardFactory()
        classes = {}
        for schema in schemas:
            replies = self.event_hub.publish(
                Event(topic="ftrack.api.session.construct-entity-type",
                      data={"schema": schema, "schemas": schemas}),
                synchronous=True)
            replies = [reply for reply in replies or [] if reply is not None]
            if len(replies) > 1:
                raise ValueError(f"Expected one entity type class for {schema['id']}, "
                                 f"got {len(replies)}.")
            cls = replies[0] if replies else factory.create(schema)
            classes[cls.entity_type] = cls
        return classes

    # ------------------------------------------------------------------
    # Entities

    def _create(self, entity_type: str, data: Any, reconstructing: bool) -> Entity:
        try:
            cls = self.types[entity_type]
        except KeyError:
            raise ftrack_api.exception.UnrecognisedEntityTypeError(entity_type) from None
        return cls(self, data=data, reconstructing=reconstructing)

    def create(self, entity_type: str, data: Any = None, reconstructing: bool = False) -> Entity:
        """A new entity of *entity_type* (recorded for the next commit), or with
        *reconstructing* one rebuilt from server values."""
        entity = self._create(entity_type, data, reconstructing)
        values = entity._identity_values()
        if values is not None:
            key = self.cache_key_maker.key((entity.entity_type, list(values)))
            with self._lock:
                if key not in self._memory:
                    try:
                        self.cache.get(key)
                    except KeyError:
                        self.cache.set(key, entity)  # new: it becomes the attached instance
                        return entity
        with self.operation_recording(False):
            return self.merge(entity)

    def ensure(self, entity_type: str, data: Mapping[str, Any],
               identifying_keys: Iterable[str] | None = None) -> Entity:
        """The entity matching *data* on *identifying_keys*, updated to *data*,
        or a new one — committed either way."""
        keys = list(identifying_keys if identifying_keys is not None else data.keys())
        if not keys:
            raise ValueError(f"Could not determine any identifying data to check against "
                             f"when ensuring {entity_type!r} with data {dict(data)!r}.")
        criteria = []
        for key in keys:
            value = data[key]
            if isinstance(value, str):
                value = _quote(value)
            elif isinstance(value, (arrow.Arrow, datetime.datetime, datetime.date)):
                naive = arrow.get(value).naive.replace(microsecond=0)
                value = _quote(naive.isoformat())
            criteria.append(f"{key} is {value}")
        expression = f"{entity_type} where {' and '.join(criteria)}"
        try:
            entity = self.query(expression).one()
        except ftrack_api.exception.NoResultFoundError:
            entity = self.create(entity_type, data)
            self.commit()
            return entity
        changed = False
        for key, value in data.items():
            if entity[key] != value:
                entity[key] = value
                changed = True
        if changed:
            self.commit()
        return entity

    def delete(self, entity: Entity) -> None:
        """Record *entity* for deletion at the next commit."""
        if self.record_operations:
            self.recorded_operations.push(
                DeleteEntityOperation(entity.entity_type, primary_key(entity)))

    def get(self, entity_type: str, entity_key: Any) -> Entity | None:
        """The entity of *entity_type* with primary key *entity_key* (from the
        cache when known), or ``None``."""
        cls = self.types[entity_type]
        if isinstance(entity_key, str):
            values = [entity_key]
        elif isinstance(entity_key, Mapping):
            values = list(entity_key.values())
        else:
            values = list(entity_key)
        names = cls.primary_key_attributes
        if len(values) != len(names):
            raise ValueError(f"Incompatible entity_key {entity_key!r} supplied. Entity type "
                             f"{entity_type} expects a primary key composed of {names}.")
        try:
            return self.cache.get(self.cache_key_maker.key(
                (str(entity_type), [str(value) for value in values])))
        except KeyError:
            pass
        criteria = " and ".join(f"{name} is {_quote(value)}" for name, value in zip(names, values))
        return self.query(f"{entity_type} where ({criteria})").first()

    def query(self, expression: str, page_size: int = 500) -> QueryResult:
        """A lazy result for *expression*; ``select`` of the type's default
        projections is added when the expression has none."""
        expression = expression.strip()
        if not expression.lower().startswith("select"):
            entity_type = expression.split(" ", 1)[0]
            cls = self.types[entity_type]
            projections = ", ".join(cls.default_projections) or "id"
            expression = f"select {projections} from {expression}"
        return QueryResult(self, expression, page_size=page_size)

    def _query(self, expression: str) -> tuple[list[Entity], dict[str, Any]]:
        result = self.call([{"action": "query", "expression": expression}])[0]
        return result["data"], result.get("metadata") or {}

    def populate(self, entities: Any, projections: str) -> None:
        """Fetch *projections* of *entities* (one type) in one query; unsaved
        local values stay."""
        if isinstance(entities, Entity):
            entities = [entities]
        entities = [entity for entity, found in zip(entities, states(entities))
                    if found is not CREATED] if entities else []
        if not entities:
            return
        first = entities[0]
        names = first.primary_key_attributes
        if len(names) == 1:
            values = [entity._identity_values() for entity in entities]
            ids = [_quote(value[0]) for value in values if value]
            if len(ids) == 1:
                criteria = f"{names[0]} is {ids[0]}"
            else:
                criteria = f"{names[0]} in ({','.join(ids)})"
        else:
            clauses = []
            for entity in entities:
                key = entity._identity_values() or ()
                clauses.append("(" + " and ".join(
                    f"{name} is {_quote(value)}" for name, value in zip(names, key)) + ")")
            criteria = " or ".join(clauses)
        with self.auto_populating(False):
            self.query(f"select {projections} from {first.entity_type} where {criteria}").all()

    def merge(self, value: Any, merged: dict | None = None) -> Any:
        """*value* with its entities replaced by the session's instances."""
        with self.operation_recording(False):
            return self._merge(value, merged={} if merged is None else merged)

    def _merge(self, value: Any, merged: dict | None = None) -> Any:
        if merged is None:
            merged = {}
        if isinstance(value, Entity):
            return self._merge_entity(value, merged)
        if isinstance(value, MappedCollectionProxy):
            value = value.collection
        if isinstance(value, (Collection, list)):
            return [self._merge(item, merged) for item in value]
        return value

    def _merge_entity(self, entity: Entity, merged: dict) -> Entity:
        with self._lock:
            values = entity._identity_values()
            if values is None:
                return entity
            key = self.cache_key_maker.key((entity.entity_type, list(values)))
            attached = merged.get(key)
            if attached is not None:
                return attached
            try:
                attached = self.cache.get(key)
            except KeyError:
                attached = None
            if attached is None or attached is entity:
                merged[key] = entity
                pending = {name for store in (entity._local, entity._remote)
                           for name, item in store.items()
                           if isinstance(item, (Entity, Collection, MappedCollectionProxy,
                                                list))}
                if pending:
                    entity._unattached = pending
                if attached is None:
                    self.cache.set(key, entity)
                return entity
            merged[key] = attached
            if attached.merge(entity, merged=merged) and self._persisted_layers:
                self.cache.set(key, attached)
            return attached

    # ------------------------------------------------------------------
    # Unit of work

    def _payloads(self) -> list[OperationPayload]:
        """The pending operations as one optimised batch."""
        payloads: list[tuple[tuple, dict]] = []
        created: set[tuple] = set()
        deleted: set[tuple] = set()
        for operation in self.recorded_operations:
            entity_type = operation.entity_type  # type: ignore[attr-defined]
            key_values = list(dict(operation.entity_key).values())  # type: ignore[attr-defined]
            identity = (entity_type, tuple(key_values))
            if isinstance(operation, CreateEntityOperation):
                created.add(identity)
                data = {"__entity_type__": entity_type, **operation.entity_data}
                payload = {"action": "create", "entity_type": entity_type,
                           "entity_key": key_values, "entity_data": data}
            elif isinstance(operation, UpdateEntityOperation):
                data = {"__entity_type__": entity_type,
                        operation.attribute_name: operation.new_value}
                payload = {"action": "update", "entity_type": entity_type,
                           "entity_key": key_values, "entity_data": data}
            elif isinstance(operation, DeleteEntityOperation):
                deleted.add(identity)
                payload = {"action": "delete", "entity_type": entity_type,
                           "entity_key": key_values}
            else:
                raise ValueError(f"Unrecognised operation type {operation!r}.")
            payloads.append((identity, payload))

        transient = created & deleted
        seen: set[tuple] = set()
        kept: list[tuple[tuple, dict]] = []
        for identity, payload in reversed(payloads):
            if identity in transient:
                continue
            action = payload["action"]
            data = payload.get("entity_data")
            if data is not None:
                for name in list(data):
                    if name == "__entity_type__":
                        continue
                    if data[name] is NOT_SET:
                        del data[name]
                    elif action == "update":
                        if (identity, name) in seen:
                            del data[name]
                        else:
                            seen.add((identity, name))
                if len(data) <= 1 and action == "update":
                    continue
            kept.append((identity, payload))
        kept.reverse()

        batch: list[dict] = []
        previous: tuple | None = None
        for identity, payload in kept:
            if payload["action"] == "update" and batch and previous == identity \
                    and batch[-1]["action"] != "delete":
                batch[-1]["entity_data"].update(payload["entity_data"])
                continue
            batch.append(payload)
            previous = identity
        return [OperationPayload(payload) for payload in batch]

    def commit(self) -> None:
        """Send every pending change to the server as one batch."""
        with self._lock:
            with ftrack_api._gc.paused():
                batch = self._payloads()
            if batch:
                self.call(batch)  # results are merged into the identity map
            self.recorded_operations.clear()
            for entity in self._local_cache.values():
                if isinstance(entity, Entity) and entity._local:
                    for name, value in entity._local.items():
                        if name in entity.primary_key_attributes:
                            entity._remote.setdefault(name, value)
                    entity._local.clear()

    def rollback(self) -> None:
        """Forget every unsaved change: new entities leave the cache, local
        values revert to the server's."""
        with self._lock:
            with self.operation_recording(False):
                known = self._operation_states()
                for key, found in list(known.items()):
                    if found is CREATED:
                        entity_type, values = key
                        try:
                            self.cache.remove(self.cache_key_maker.key(
                                (entity_type, list(values))))
                        except KeyError:
                            pass
                for entity in self._local_cache.values():
                    if isinstance(entity, Entity):
                        entity._local.clear()
            self.recorded_operations.clear()

    def reset(self) -> None:
        """Drop pending changes and the in-memory cache, reconfigure locations
        and publish ``ftrack.api.session.reset``."""
        if self.recorded_operations:
            self.logger.warning("Resetting session with pending operations not persisted.")
        self.recorded_operations.clear()
        self._local_cache.clear()
        self._configure_locations()
        self.event_hub.publish(Event(topic="ftrack.api.session.reset",
                                     data={"session": self}), synchronous=True)

    def close(self) -> None:
        """Close connections; later server calls raise ``ConnectionClosedError``."""
        if self._closed:
            return
        if self.recorded_operations:
            self.logger.warning("Closing session with pending operations not persisted.")
        self.recorded_operations.clear()
        self._local_cache.clear()
        self._client.close()
        self._closed = True
        self._disconnect_event_hub()
        thread = self._auto_connect_event_hub_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.request_timeout)
            if self.event_hub.connected:  # connected just before the join
                self._disconnect_event_hub()

    def _disconnect_event_hub(self) -> None:
        try:
            self.event_hub.disconnect()
        except ftrack_api.exception.EventHubConnectionError:
            pass

    def _close_at_exit(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing useful to do at exit
            pass

    # ------------------------------------------------------------------
    # Server calls and serialisation

    def call(self, data: Any) -> list[Any]:
        """Send the operations in *data*; their results, entities attached."""
        if self._closed:
            raise ftrack_api.exception.ConnectionClosedError()
        if not isinstance(data, (bytes, str)):
            with ftrack_api._gc.paused():
                data = encode_json(list(data), default=self._encode_default)
        raw = self._client.transport.call(data)  # repeats merge in the identity map
        with self.operation_recording(False), ftrack_api._gc.paused():
            return self._materialiser.value(raw)

    def _encode_default(self, value: Any) -> Any:
        if isinstance(value, Entity):
            return self.entity_reference(value)
        if isinstance(value, MappedCollectionProxy):
            value = value.collection
        if isinstance(value, Collection):
            return [self.entity_reference(item) for item in value]
        if isinstance(value, OperationPayload):
            return dict(value)
        raise TypeError(f"{value!r} is not JSON serializable")

    def entity_reference(self, entity: Entity) -> dict[str, Any]:
        """``{"__entity_type__": type, <primary key>: value…}`` of *entity*."""
        reference: dict[str, Any] = {"__entity_type__": entity.entity_type}
        with self.auto_populating(False):
            reference.update(primary_key(entity))
        return reference

    def _entity_values(self, entity: Entity, strategy: str) -> dict[str, Any]:
        data = self.entity_reference(entity)
        with self.auto_populating(strategy == "all"):
            for attribute in entity.attributes:
                value = NOT_SET
                if strategy == "all":
                    value = attribute.get_value(entity)
                elif strategy == "set_only":
                    if attribute.is_set(entity):
                        value = attribute.get_local_value(entity)
                        if value is NOT_SET:
                            value = attribute.get_remote_value(entity)
                elif strategy == "modified_only":
                    if attribute.is_modified(entity):
                        value = attribute.get_local_value(entity)
                elif not attribute.computed:
                    value = attribute.get_remote_value(entity)
                if value is NOT_SET:
                    continue
                if isinstance(attribute, ReferenceAttribute) and isinstance(value, Entity):
                    value = self.entity_reference(value)
                data[attribute.name] = value
        return data

    def encode(self, data: Any, entity_attribute_strategy: str = "set_only") -> str:
        """*data* as JSON (sorted keys); entities carry the attributes the
        strategy picks: ``all``, ``set_only``, ``modified_only`` or
        ``persisted_only``."""
        if entity_attribute_strategy not in _STRATEGIES:
            raise ValueError(f'Unsupported entity_attribute_strategy '
                             f'"{entity_attribute_strategy}"')

        def default(value: Any) -> Any:
            if isinstance(value, Entity):
                return self._entity_values(value, entity_attribute_strategy)
            if isinstance(value, (arrow.Arrow, datetime.date)):
                return {"__type__": "datetime", "value": value.isoformat()}
            return self._encode_default(value)

        with self.auto_populating(False):
            return json.dumps(data, sort_keys=True, default=default)

    def decode(self, string: str | bytes) -> Any:
        """Decoded JSON: datetimes as arrow values, entities rebuilt (not
        attached to the session)."""
        with self.operation_recording(False):
            return json.loads(string, object_hook=self._decode)

    def _decode(self, item: dict) -> Any:
        kind = item.get("__type__")
        if kind == "datetime" or kind == "date":
            return parse_datetime(item["value"])
        entity_type = item.get("__entity_type__")
        if entity_type is not None:
            entity = self._create(entity_type, item, reconstructing=True)
            pending = {name for name, value in entity._remote.items()
                       if isinstance(value, (Entity, list, Collection, MappedCollectionProxy))}
            if pending:
                entity._unattached = pending
            return entity
        return item

    def reset_remote(self, reset_type: str, entity: Entity | None = None) -> Any:
        """Reset something on the server (e.g. ``"api_key"`` of a user); its answer."""
        payload: dict[str, Any] = {"action": "reset_remote", "reset_type": reset_type}
        if entity is not None:
            payload.update({"entity_type": entity.entity_type, "entity_key": entity["id"]})
        return self.call([payload])[0]["data"]

    def _compatible_call(self, payload: dict[str, Any]) -> Any:
        try:
            return self.call([payload])[0]
        except ftrack_api.exception.ServerCompatibilityError as error:
            raise ftrack_api.exception.ServerCompatibilityError(
                f"Server version {self._server_information.get('version')!r} does not "
                f"support the {payload['action']!r} action.") from error

    def get_widget_url(self, name: str, entity: Entity | None = None,
                       theme: str | None = None) -> str:
        """A URL (with a short-lived token) showing widget *name*."""
        payload: dict[str, Any] = {"action": "get_widget_url", "name": name,
                                   "theme": theme}
        if entity is not None:
            payload["entity_type"] = entity.entity_type
            payload["entity_key"] = list(primary_key(entity).values())
        return self._compatible_call(payload)["widget_url"]

    def send_user_invite(self, user: Entity) -> None:
        self.send_user_invites([user])

    def send_user_invites(self, users: Iterable[Entity]) -> None:
        for user in users:
            self._compatible_call({"action": "send_user_invite", "user_id": user["id"]})

    def send_review_session_invite(self, invitee: Entity) -> None:
        self.send_review_session_invites([invitee])

    def send_review_session_invites(self, invitees: Iterable[Entity]) -> None:
        for invitee in invitees:
            self._compatible_call({"action": "send_review_session_invite",
                                   "review_session_invitee_id": invitee["id"]})

    # ------------------------------------------------------------------
    # The JavaScript client's surface

    def get_schema(self, schema_id: str) -> dict[str, Any] | None:
        """The schema of entity type *schema_id*, or ``None``."""
        for schema in self.schemas:
            if schema["id"] == schema_id:
                return schema
        return None

    def get_component_url(self, component_id: str | None) -> str | None:
        return self._client.get_component_url(component_id)

    def thumbnail_url(self, component_id: str | None, size: int = 300) -> str:
        return self._client.thumbnail_url(component_id, size=size)
