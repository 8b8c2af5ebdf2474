"""Send a batch of operations to an ftrack server's ``/api`` and read the answer.

This is the one place that talks HTTP for the API: it adds the ftrack headers,
encodes the batch as JSON (datetimes tagged the ftrack way), decodes the reply
through an optional ``object_hook`` and turns the server's error object into a
typed :class:`~ftrack_api.exception.ServerError`.

:class:`Transport` (blocking, ``httpx.Client``) and :class:`AsyncTransport`
(asyncio, ``httpx.AsyncClient``) differ only in the line that does the I/O;
building the request and reading the response are plain functions both call.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import ssl
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Union

import arrow
import httpx

from ftrack_api.exception import (
    ConnectionClosedError,
    ServerCompatibilityError,
    ServerError,
    ServerPermissionDeniedError,
    ServerValidationError,
)

try:
    import orjson
except ImportError:  # orjson is optional: only a speed-up
    orjson = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: Called with each value the JSON encoder cannot handle; returns a JSON-able value.
EncodeDefault = Callable[[Any], Any]
#: Called with each decoded JSON object (innermost first); returns its replacement.
ObjectHook = Callable[[dict], Any]
#: A batch: a sequence of operation dicts, or that batch already encoded as JSON.
Operations = Union[Sequence[Mapping[str, Any]], bytes, str]

#: Exception names in the server's error object → the error raised for them.
SERVER_ERROR_TYPES: dict[str, type[ServerError]] = {
    "ValidationError": ServerValidationError,
    "PermissionError": ServerPermissionDeniedError,
    "FTAuthenticationError": ServerPermissionDeniedError,
}

_INVALID_ACTION = "Invalid action u'"
_RAW_TEXT_LIMIT = 2000


def new_client_token() -> str:
    """A fresh client token naming this client in the events its changes cause."""
    return f"ftrack-python-api--{uuid.uuid4()}"


# ----------------------------------------------------------------------------
# JSON codec


def _encode_value(value: Any, default: EncodeDefault | None) -> Any:
    if isinstance(value, (datetime.date, arrow.Arrow)):  # datetime is a date too
        return {"__type__": "datetime", "value": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return str(value)
    if default is not None:
        return default(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def encode_json(data: Any, *, default: EncodeDefault | None = None,
                sort_keys: bool = False) -> bytes:
    """*data* as JSON bytes; datetimes, dates and arrow values become
    ``{"__type__": "datetime", "value": <isoformat>}``, anything else unknown
    goes to *default* (``TypeError`` without one).
    """
    def fallback(value: Any) -> Any:
        return _encode_value(value, default)

    if orjson is not None:
        options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
        if sort_keys:
            options |= orjson.OPT_SORT_KEYS
        return orjson.dumps(data, default=fallback, option=options)
    return json.dumps(data, default=fallback, sort_keys=sort_keys,
                      separators=(",", ":")).encode("ascii")


def decode_json(data: bytes | str, *, object_hook: ObjectHook | None = None) -> Any:
    """Decoded *data*, each object passed through *object_hook* when given.

    Raises ``ValueError`` (a ``JSONDecodeError``) for text that is not JSON.
    """
    if object_hook is None and orjson is not None:
        return orjson.loads(data)
    return json.loads(data, object_hook=object_hook)


_UTC = datetime.timezone.utc


_parsed: dict[str, arrow.Arrow] = {}
_PARSED_LIMIT = 65536


def parse_datetime(text: str) -> arrow.Arrow:
    """The timezone-aware :class:`arrow.Arrow` for ISO 8601 *text*; naive
    values are UTC. Results are shared (arrow values never change in place),
    since the same dates repeat across the rows of a response."""
    found = _parsed.get(text)
    if found is not None:
        return found
    try:
        value = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return arrow.get(text)
    found = arrow.Arrow(value.year, value.month, value.day, value.hour, value.minute,
                        value.second, value.microsecond, value.tzinfo or _UTC)
    if len(_parsed) >= _PARSED_LIMIT:
        _parsed.clear()
    _parsed[text] = found
    return found


def decode_datetime(item: dict) -> Any:
    """An ``object_hook`` turning tagged ``datetime``/``date`` values into
    timezone-aware :class:`arrow.Arrow` (naive values are UTC); other objects
    pass through unchanged.
    """
    kind = item.get("__type__")
    if kind == "datetime" or kind == "date":
        return parse_datetime(item["value"])
    return item


_DECODE_ERRORS: tuple[type[Exception], ...] = (json.JSONDecodeError, UnicodeDecodeError)
if orjson is not None:
    _DECODE_ERRORS += (orjson.JSONDecodeError,)


# ----------------------------------------------------------------------------
# Requests and responses


def api_url(server_url: str) -> str:
    """The batch endpoint of the server at *server_url*."""
    return server_url.rstrip("/") + "/api"


def _header_value(value: str) -> str | bytes:
    # httpx takes only ASCII in str header values; servers read header bytes
    # as latin-1 (as the official client sends them), UTF-8 is the last resort.
    if value.isascii():
        return value
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def build_headers(api_user: str, api_key: str, *, client_token: str,
                  strict_api: bool = False,
                  headers: Mapping[str, str] | None = None) -> dict[str, str | bytes]:
    """Every header a batch request carries; the ftrack ones win over *headers*."""
    result: dict[str, str | bytes] = {
        "content-type": "application/json",
        "accept": "application/json",
    }
    result.update(headers or {})
    result.update({
        "ftrack-user": _header_value(api_user),
        "ftrack-api-key": _header_value(api_key),
        "ftrack-strict-api": "true" if strict_api else "false",
        "ftrack-Clienttoken": _header_value(client_token),
    })
    return result


def request_body(operations: Operations, default: EncodeDefault | None = None) -> bytes:
    """The POST body for *operations* (already-encoded JSON passes through)."""
    if isinstance(operations, bytes):
        return operations
    if isinstance(operations, str):
        return operations.encode("utf-8")
    return encode_json(operations, default=default)


def server_error(error: Mapping[str, Any]) -> ServerError:
    """The typed error for the server's error object *error*."""
    name = error.get("exception")
    content = error.get("content")
    if isinstance(content, str) and _INVALID_ACTION in content:
        error_type: type[ServerError] = ServerCompatibilityError
    else:
        error_type = SERVER_ERROR_TYPES.get(name, ServerError)  # type: ignore[arg-type]
    return error_type(
        f"Server reported error: {name}({content})",
        exception=name,
        content=content,
        error_code=error.get("error_code"),
    )


def _raw_text(response: httpx.Response) -> str:
    text = response.text
    if len(text) > _RAW_TEXT_LIMIT:
        text = text[:_RAW_TEXT_LIMIT] + f"... ({len(text)} characters)"
    return text


def read_response(response: httpx.Response, object_hook: ObjectHook | None = None) -> list:
    """The decoded results of a batch, or the error the response stands for."""
    try:
        result = decode_json(response.content, object_hook=object_hook)
    except _DECODE_ERRORS:
        if response.is_error:
            raise ServerError(
                f"Server at {response.request.url} answered HTTP {response.status_code} "
                f"{response.reason_phrase} without a JSON body: {_raw_text(response)}"
            ) from None
        raise ServerError(
            "Server reported error in unexpected format. Raw error was: "
            f"{_raw_text(response)}"
        ) from None
    if isinstance(result, Mapping) and "exception" in result:
        raise server_error(result)
    if response.is_error:
        raise ServerError(
            f"Server at {response.request.url} answered HTTP {response.status_code} "
            f"{response.reason_phrase}."
        )
    if not isinstance(result, list):
        raise ServerError(
            "Server reported error in unexpected format. Raw error was: "
            f"{_raw_text(response)}"
        )
    return result


def request_error(url: str, error: httpx.RequestError, timeout: float | None) -> ServerError:
    """The error for a request to *url* that got no HTTP answer at all."""
    if isinstance(error, httpx.TimeoutException):
        reason = f"no answer within {timeout} seconds ({type(error).__name__})"
    else:
        reason = f"{type(error).__name__}: {error}"
    return ServerError(
        f"Could not reach the ftrack server at {url}: {reason}",
        exception="NetworkError",
        content=str(error) or type(error).__name__,
    )


# ----------------------------------------------------------------------------
# Transports


class _BaseTransport:
    """Settings shared by both transports; subclasses add the HTTP client."""

    def __init__(
        self,
        server_url: str,
        api_user: str,
        api_key: str,
        *,
        client_token: str | None = None,
        timeout: float | None = 60,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        strict_api: bool = False,
        default: EncodeDefault | None = None,
        object_hook: ObjectHook | None = None,
    ):
        if headers is not None and not isinstance(headers, Mapping):
            raise TypeError("The headers argument is required to be a mapping.")
        if cookies is not None and not isinstance(cookies, Mapping):
            raise TypeError("The cookies argument is required to be a mapping.")
        if not isinstance(strict_api, bool):
            raise TypeError("The strict_api argument is required to be a boolean.")
        self.server_url = server_url.rstrip("/")
        self.api_url = api_url(self.server_url)
        self.api_user = api_user
        self.api_key = api_key
        self.client_token = client_token or new_client_token()
        self.timeout = timeout
        self.strict_api = strict_api
        #: Encodes values JSON cannot (e.g. entities); set by the layer above.
        self.default = default
        #: Rebuilds each decoded object (e.g. into entities); set by the layer above.
        self.object_hook = object_hook
        self._headers = build_headers(api_user, api_key, client_token=self.client_token,
                                      strict_api=strict_api, headers=headers)
        self._closed = False
        self._http = self._open(dict(cookies or {}))

    def _open(self, cookies: dict[str, str]) -> Any:
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called; calls then raise ``ConnectionClosedError``."""
        return self._closed

    def _prepare(self, operations: Operations) -> bytes:
        if self._closed:
            raise ConnectionClosedError()
        body = request_body(operations, self.default)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("POST %s %s", self.api_url, body[:1000])
        return body

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.api_url} user={self.api_user!r}>"


@functools.lru_cache(maxsize=None)
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the certificate bundle
    is most of the cost of opening a client."""
    return httpx.create_ssl_context()


class Transport(_BaseTransport):
    """Blocking transport over one keep-alive ``httpx.Client``."""

    def _open(self, cookies: dict[str, str]) -> httpx.Client:
        return httpx.Client(headers=self._headers, cookies=cookies, timeout=self.timeout,
                            verify=_ssl_context())

    def call(self, operations: Operations) -> list:
        """POST *operations*; the list of their results, one per operation."""
        body = self._prepare(operations)
        try:
            response = self._http.post(self.api_url, content=body)
        except httpx.RequestError as error:
            raise request_error(self.api_url, error, self.timeout) from error
        return read_response(response, self.object_hook)

    def close(self) -> None:
        """Close the connections; later calls raise ``ConnectionClosedError``."""
        self._closed = True
        self._http.close()

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncTransport(_BaseTransport):
    """asyncio transport over one keep-alive ``httpx.AsyncClient``."""

    def _open(self, cookies: dict[str, str]) -> httpx.AsyncClient:
        return httpx.AsyncClient(headers=self._headers, cookies=cookies, timeout=self.timeout,
                                 verify=_ssl_context())

    async def call(self, operations: Operations) -> list:
        """POST *operations*; the list of their results, one per operation."""
        body = self._prepare(operations)
        try:
            response = await self._http.post(self.api_url, content=body)
        except httpx.RequestError as error:
            raise request_error(self.api_url, error, self.timeout) from error
        return read_response(response, self.object_hook)

    async def close(self) -> None:
        """Close the connections; later calls raise ``ConnectionClosedError``."""
        self._closed = True
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncTransport":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
