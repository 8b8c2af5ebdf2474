"""The bottom of ``ftrack_api``: exceptions, symbols, transport and low-level client.

Server behaviour is checked against the real ``ftrack_server`` (the shared
``server`` fixture). What a real server cannot be made to do on purpose (send
HTML, hang, record the headers it got) comes from a tiny stdlib HTTP server in
this file.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import http.server
import json
import pickle
import re
import socket
import threading
import time
import uuid
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import arrow
import pytest

from ftrack_api import exception, symbol, transport
from ftrack_api.client import AsyncClient, Client
from support.server import free_port

# ----------------------------------------------------------------------------
# Helpers


class FakeServer:
    """A stdlib HTTP server that records requests and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.content_type = "application/json"
        self.body = b'[{"version": "dev"}]'
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                length = int(self.headers.get("content-length") or 0)
                fake.requests.append({"path": self.path, "headers": self.headers,
                                      "body": self.rfile.read(length)})
                self.send_response(fake.status)
                self.send_header("content-type", fake.content_type)
                self.send_header("content-length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def answer(self, status: int, body: bytes | str | Any, content_type: str = "application/json") -> None:
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        self.status = status
        self.body = body.encode() if isinstance(body, str) else body
        self.content_type = content_type

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def client(server) -> Iterator[Client]:
    with Client(server.url, server.api_user, server.api_key) as value:
        yield value


def vfx_schema_id(client: Client) -> str:
    result = client.query('select id, name from ProjectSchema where name is "VFX Scheme"')
    (schema,) = result["data"]
    return schema["id"]


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


# ----------------------------------------------------------------------------
# Exceptions and symbols


def test_error_defaults_and_formatting() -> None:
    error = exception.Error()
    assert error.message == "Unspecified error occurred."
    assert error.details == {}
    assert isinstance(error.traceback, str)
    assert str(exception.Error("{a} and {b}", details={"a": 1, "b": "two"})) == "1 and two"
    assert str(exception.ConnectionClosedError()) == "Connection closed."
    assert str(exception.UnrecognisedEntityTypeError("Thing")) == 'Entity type "Thing" not recognised.'
    # Text that is not a valid template still reads as itself.
    assert str(exception.ServerError("content {with} braces")) == "content {with} braces"


def test_error_hierarchy() -> None:
    assert issubclass(exception.ServerCompatibilityError, exception.ServerError)
    assert issubclass(exception.ServerValidationError, exception.ServerError)
    assert issubclass(exception.ServerPermissionDeniedError, exception.ServerError)
    assert issubclass(exception.MultipleResultsFoundError, exception.IncorrectResultError)
    assert issubclass(exception.AccessorPermissionDeniedError, exception.AccessorOperationFailedError)
    assert issubclass(exception.AccessorResourceNotFoundError, exception.AccessorResourceError)
    assert issubclass(exception.AttributeError, exception.Error)
    assert exception.AttributeError is not AttributeError
    for name in ["AuthenticationError", "NotFoundError", "NotUniqueError", "OperationError",
                 "InvalidStateError", "ParseError", "EventHubError", "PermissionDeniedError",
                 "LocationError", "AccessorError", "StructureError", "EventHubPacketError"]:
        assert issubclass(getattr(exception, name), exception.Error)


def test_error_details_from_arguments() -> None:
    class Attribute:
        name = "id"

    assert str(exception.ImmutableAttributeError(Attribute())) == (
        "Cannot modify value of immutable 'id' attribute.")
    error = exception.ComponentNotInLocationError({"id": "c1"}, "loc")
    assert error.details["components"] == [{"id": "c1"}]
    assert error.details["location"] == "loc"
    error = exception.ComponentInLocationError(["a", "b"], "loc")
    assert str(error) == "Component(s) a, b already exist in location loc."
    error = exception.AccessorResourceNotFoundError(resource_identifier="/tmp/x")
    assert str(error) == "Resource not found: /tmp/x"
    error = exception.AccessorOperationFailedError("read", "/x", "boom")
    assert str(error) == "Operation read failed: boom"
    error = exception.DuplicateItemInCollectionError(1, [1])
    assert str(error) == "Item 1 already exists in collection [1]."
    error = pickle.loads(pickle.dumps(exception.UnrecognisedEntityTypeError("Thing")))
    assert str(error) == 'Entity type "Thing" not recognised.'


def test_symbols() -> None:
    assert not symbol.NOT_SET
    assert symbol.CREATED and symbol.MODIFIED and symbol.DELETED
    assert str(symbol.NOT_SET) == "NOT_SET"
    assert repr(symbol.JOB_SYNC_USERS_LDAP) == "Symbol(SYNC_USERS_LDAP)"
    assert copy.copy(symbol.CREATED) is symbol.CREATED
    assert copy.deepcopy({"state": symbol.NOT_SET})["state"] is symbol.NOT_SET
    assert pickle.loads(pickle.dumps(symbol.MODIFIED)) is symbol.MODIFIED
    assert symbol.SERVER_LOCATION_ID == "3a372bde-05bc-11e4-8908-20c9d081909b"
    assert symbol.COMPONENT_ADDED_TO_LOCATION_TOPIC == "ftrack.location.component-added"
    assert symbol.CHUNK_SIZE == 1024 * 1024


# ----------------------------------------------------------------------------
# JSON codec


@pytest.fixture(params=["orjson", "json"])
def codec(request, monkeypatch) -> str:
    """Run a codec test with orjson (when installed) and with the stdlib json."""
    if request.param == "json":
        monkeypatch.setattr(transport, "orjson", None)
    elif transport.orjson is None:
        pytest.skip("orjson not installed")
    return request.param


def test_encode_datetimes(codec: str) -> None:
    values = [
        datetime.datetime(2024, 5, 1, 10, 0, 0),
        datetime.datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=datetime.timezone.utc),
        datetime.date(2024, 5, 1),
        arrow.get("2024-05-01T10:00:00+02:00"),
    ]
    encoded = json.loads(transport.encode_json(values))
    assert encoded == [
        {"__type__": "datetime", "value": "2024-05-01T10:00:00"},
        {"__type__": "datetime", "value": "2024-05-01T10:00:00.123456+00:00"},
        {"__type__": "datetime", "value": "2024-05-01"},
        {"__type__": "datetime", "value": "2024-05-01T10:00:00+02:00"},
    ]


def test_encode_hooks_and_errors(codec: str) -> None:
    class Thing:
        pass

    with pytest.raises(TypeError):
        transport.encode_json({"x": Thing()})
    encoded = transport.encode_json({"b": Thing(), "a": 1}, default=lambda value: "thing",
                                    sort_keys=True)
    assert json.loads(encoded) == {"a": 1, "b": "thing"}
    assert encoded.index(b'"a"') < encoded.index(b'"b"')
    assert json.loads(transport.encode_json({"név": "ünïcode"})) == {"név": "ünïcode"}


def test_decode_hook(codec: str) -> None:
    text = b'[{"at": {"__type__": "datetime", "value": "2024-05-01T10:00:00"}},' \
           b' {"__type__": "date", "value": "2024-05-02"}, {"__type__": "other", "value": 1}]'
    decoded = transport.decode_json(text, object_hook=transport.decode_datetime)
    assert decoded[0]["at"] == arrow.get(2024, 5, 1, 10, tzinfo="UTC")
    assert decoded[0]["at"].tzinfo is not None
    assert decoded[1] == arrow.get(2024, 5, 2, tzinfo="UTC")
    assert decoded[2] == {"__type__": "other", "value": 1}
    assert transport.decode_json(text)[1] == {"__type__": "date", "value": "2024-05-02"}
    with pytest.raises(ValueError):
        transport.decode_json(b"<html>")


# ----------------------------------------------------------------------------
# Constructor and URL builders (no network)


def test_credentials_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("FTRACK_SERVER", "http://example.invalid:1/")
    monkeypatch.setenv("FTRACK_API_USER", "jane")
    monkeypatch.setenv("FTRACK_API_KEY", "secret")
    with Client() as client:
        assert (client.server_url, client.api_user, client.api_key) == (
            "http://example.invalid:1", "jane", "secret")
    with Client("http://other.invalid", api_user="joe") as client:
        assert (client.server_url, client.api_user, client.api_key) == (
            "http://other.invalid", "joe", "secret")


def test_missing_credentials_raise_type_error(monkeypatch) -> None:
    for variable in ["FTRACK_SERVER", "FTRACK_API_USER", "FTRACK_API_KEY", "FTRACK_APIKEY"]:
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(TypeError) as caught:
        Client()
    message = str(caught.value)
    for word in ["server_url", "FTRACK_SERVER", "api_user", "FTRACK_API_USER",
                 "api_key", "FTRACK_API_KEY"]:
        assert word in message
    with pytest.raises(TypeError) as caught:
        AsyncClient("http://example.invalid", "jane")
    assert "api_key" in str(caught.value) and "server_url" not in str(caught.value)


def test_bad_options_raise_type_error() -> None:
    with pytest.raises(TypeError, match="headers"):
        Client("http://x.invalid", "u", "k", headers=[("a", "b")])
    with pytest.raises(TypeError, match="cookies"):
        Client("http://x.invalid", "u", "k", cookies="a=b")
    with pytest.raises(TypeError, match="strict_api"):
        Client("http://x.invalid", "u", "k", strict_api="yes")


def test_url_builders() -> None:
    with Client("http://host:8080/", "jane+doe@example.com", "k/e y") as client:
        assert client.get_component_url(None) is None
        assert client.get_component_url("") is None
        url = client.get_component_url("abc-123")
        assert url.startswith("http://host:8080/component/get?")
        assert url == ("http://host:8080/component/get?id=abc-123"
                       "&username=jane%2Bdoe%40example.com&apiKey=k%2Fe+y")
        assert parse_qs(urlsplit(url).query) == {
            "id": ["abc-123"], "username": ["jane+doe@example.com"], "apiKey": ["k/e y"]}
        assert client.thumbnail_url(None) == "http://host:8080/img/thumbnail2.png"
        assert client.thumbnail_url("abc") == (
            "http://host:8080/component/thumbnail?id=abc&size=300"
            "&username=jane%2Bdoe%40example.com&apiKey=k%2Fe+y")
        assert "size=64&" in client.thumbnail_url("abc", size=64)


def test_default_client_token_is_unique() -> None:
    with Client("http://x.invalid", "u", "k") as first, Client("http://x.invalid", "u", "k") as second:
        assert re.fullmatch(r"ftrack-python-api--[0-9a-f-]{36}", first.client_token)
        assert first.client_token != second.client_token
    with Client("http://x.invalid", "u", "k", client_token="mine") as client:
        assert client.client_token == "mine"


# ----------------------------------------------------------------------------
# Against the real server


def test_round_trip(client: Client) -> None:
    schema_id = vfx_schema_id(client)
    name = unique("client_rt")
    created = client.create("Project", {"name": name, "full_name": "Round trip",
                                        "project_schema_id": schema_id})
    assert created["action"] == "create"
    project = created["data"]
    assert project["__entity_type__"] == "Project"
    assert project["name"] == name

    result = client.query(f'select name, full_name from Project where id is "{project["id"]}"')
    assert set(result) >= {"data", "metadata"}
    assert result["metadata"]["next"]["offset"] is None
    assert [row["full_name"] for row in result["data"]] == ["Round trip"]

    updated = client.update("Project", [project["id"]], {"full_name": "Renamed"})
    assert updated["action"] == "update"
    assert updated["data"]["full_name"] == "Renamed"
    # JavaScript-style bare string keys work too.
    client.update("Project", project["id"], {"full_name": "Renamed again"})

    results = client.call([
        {"action": "query", "expression": f'select full_name from Project where id is "{project["id"]}"'},
        {"action": "query_server_information"},
    ])
    assert results[0]["data"][0]["full_name"] == "Renamed again"
    assert "version" in results[1]

    assert client.delete("Project", [project["id"]]) == {"action": "delete", "data": True}
    assert client.query(f'Project where id is "{project["id"]}"')["data"] == []


def test_dates_round_trip(client: Client) -> None:
    schema_id = vfx_schema_id(client)
    created = client.create("Project", {
        "name": unique("client_dates"), "full_name": "Dates", "project_schema_id": schema_id,
        "start_date": datetime.date(2024, 5, 1),
        "end_date": arrow.get("2024-06-01T12:30:00+02:00"),
    })["data"]
    assert created["start_date"] == arrow.get("2024-05-01T00:00:00+00:00")
    assert created["end_date"] == arrow.get("2024-06-01T10:30:00+00:00")

    client.update("Project", [created["id"]], {
        "start_date": datetime.datetime(2024, 7, 1, 9, 15, 0),  # naive means UTC
        "end_date": datetime.datetime(2024, 8, 1, 9, 15, 0, tzinfo=datetime.timezone.utc),
    })
    (row,) = client.query(
        f'select start_date, end_date from Project where id is "{created["id"]}"')["data"]
    assert isinstance(row["start_date"], arrow.Arrow)
    assert row["start_date"] == arrow.get("2024-07-01T09:15:00+00:00")
    assert row["end_date"] == arrow.get("2024-08-01T09:15:00+00:00")

    # Without the datetime hook the tagged wire form comes back untouched.
    with Client(client.server_url, client.api_user, client.api_key, object_hook=None) as raw:
        (row,) = raw.query(f'select start_date from Project where id is "{created["id"]}"')["data"]
    assert row["start_date"] == {"__type__": "datetime", "value": "2024-07-01T09:15:00"}
    client.delete("Project", [created["id"]])


def test_get_schema_fetches_once(server) -> None:
    client = Client(server.url, server.api_user, server.api_key)
    schema = client.get_schema("Project")
    assert schema["id"] == "Project"
    assert "name" in schema["properties"]
    info = client.server_information
    assert "version" in info and "schema_hash" in info
    client.close()
    # Both answers were kept: asking again needs no server.
    assert client.get_schema("AssetVersion")["id"] == "AssetVersion"
    assert client.get_schema("NoSuchType") is None
    assert client.server_information is info
    with pytest.raises(exception.ConnectionClosedError):
        client.query("Project")


def test_bad_credentials(server) -> None:
    for strict_api in (False, True):
        with Client(server.url, server.api_user, "not-the-key", strict_api=strict_api) as client:
            with pytest.raises(exception.ServerError) as caught:
                client.server_information  # noqa: B018 - the property asks the server
        error = caught.value
        assert error.exception == "InvalidCredentialsError"
        assert error.content == "API key or user not accepted."
        assert str(error) == ("Server reported error: InvalidCredentialsError"
                              "(API key or user not accepted.)")


@pytest.mark.parametrize("strict_api", [False, True])
def test_query_errors(server, strict_api: bool) -> None:
    with Client(server.url, server.api_user, server.api_key, strict_api=strict_api) as client:
        with pytest.raises(exception.ServerError) as caught:
            client.query("select name Project")
        assert caught.value.exception == "ParseError"
        assert "position" in caught.value.content
        assert str(caught.value) == f"Server reported error: ParseError({caught.value.content})"

        with pytest.raises(exception.ServerValidationError) as caught:
            client.query("select no_such_attribute from Project")
        assert caught.value.exception == "ValidationError"
        assert "no_such_attribute" in str(caught.value)

        with pytest.raises(exception.ServerValidationError):
            client.create("Project", {"name": unique("client_bad")})  # required values missing


def test_strict_mode_group_by(server) -> None:
    with Client(server.url, server.api_user, server.api_key, strict_api=True) as client:
        (result,) = client.call([{
            "action": "query",
            "expression": "select count(id) from ProjectSchema group by name"}])
        assert all(row["count_id"] >= 1 for row in result["data"])
        assert "VFX Scheme" in [row["name"] for row in result["data"]]


def test_unknown_action(client: Client) -> None:
    with pytest.raises(exception.ServerCompatibilityError) as caught:
        client.call([{"action": "no_such_action"}])
    assert isinstance(caught.value, exception.ServerError)
    assert "Invalid action u'no_such_action'" in str(caught.value)


def test_failed_batch_changes_nothing(client: Client) -> None:
    schema_id = vfx_schema_id(client)
    name = unique("client_atomic")
    with pytest.raises(exception.ServerError):
        client.call([
            {"action": "create", "entity_type": "Project",
             "entity_data": {"name": name, "full_name": "x", "project_schema_id": schema_id}},
            {"action": "no_such_action"},
        ])
    assert client.query(f'Project where name is "{name}"')["data"] == []


def test_async_client_round_trip(server) -> None:
    async def scenario() -> None:
        async with AsyncClient(server.url, server.api_user, server.api_key) as client:
            info = await client.server_information()
            assert "version" in info
            assert (await client.get_schema("Project"))["id"] == "Project"
            assert await client.get_schema("NoSuchType") is None
            (schema,) = (await client.query(
                'select id from ProjectSchema where name is "VFX Scheme"'))["data"]
            project = (await client.create("Project", {
                "name": unique("client_async"), "full_name": "Async",
                "project_schema_id": schema["id"],
                "start_date": datetime.date(2024, 5, 1)}))["data"]
            assert project["start_date"] == arrow.get("2024-05-01T00:00:00+00:00")
            updated = await client.update("Project", [project["id"]], {"full_name": "Async 2"})
            assert updated["data"]["full_name"] == "Async 2"
            # Two batches in flight at once over the one client.
            first, second = await asyncio.gather(
                client.query(f'select full_name from Project where id is "{project["id"]}"'),
                client.call([{"action": "query_server_information"}]),
            )
            assert first["data"][0]["full_name"] == "Async 2"
            assert second[0]["version"] == info["version"]
            with pytest.raises(exception.ServerCompatibilityError):
                await client.call([{"action": "no_such_action"}])
            with pytest.raises(exception.ServerError) as caught:
                await client.query("select name Project")
            assert caught.value.exception == "ParseError"
            assert await client.delete("Project", [project["id"]]) == {
                "action": "delete", "data": True}
            assert (await client.query(f'Project where id is "{project["id"]}"'))["data"] == []
        assert client.closed
        with pytest.raises(exception.ConnectionClosedError):
            await client.query("Project")

    asyncio.run(scenario())


# ----------------------------------------------------------------------------
# What goes over the wire, and replies a real server would not give


def test_request_headers_and_body(fake: FakeServer) -> None:
    with Client(fake.url + "/", "jane", "secret", client_token="token-1",
                headers={"x-extra": "yes"}, cookies={"flavour": "oat"}) as client:
        client.call([{"action": "query_server_information"}])
        default_token = Client(fake.url, "jane", "secret")
        default_token.call([])
        default_token.close()
    (first, second) = fake.requests
    assert first["path"] == "/api"
    headers = first["headers"]
    assert headers["ftrack-user"] == "jane"
    assert headers["ftrack-api-key"] == "secret"
    assert headers["ftrack-strict-api"] == "false"
    assert headers["ftrack-clienttoken"] == "token-1"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["x-extra"] == "yes"
    assert "flavour=oat" in headers["cookie"]
    assert json.loads(first["body"]) == [{"action": "query_server_information"}]
    assert re.fullmatch(r"ftrack-python-api--[0-9a-f-]{36}",
                        second["headers"]["ftrack-clienttoken"])


def test_strict_header_and_encoded_dates_sent(fake: FakeServer) -> None:
    with Client(fake.url, "jane", "secret", strict_api=True) as client:
        client.create("Project", {"start_date": datetime.date(2024, 5, 1),
                                  "end_date": arrow.get("2024-06-01T10:00:00+00:00")})
    (request,) = fake.requests
    assert request["headers"]["ftrack-strict-api"] == "true"
    assert json.loads(request["body"]) == [{
        "action": "create", "entity_type": "Project",
        "entity_data": {"__entity_type__": "Project",
                        "start_date": {"__type__": "datetime", "value": "2024-05-01"},
                        "end_date": {"__type__": "datetime", "value": "2024-06-01T10:00:00+00:00"}},
    }]


def test_async_client_sends_the_same_headers(fake: FakeServer) -> None:
    async def scenario() -> None:
        async with AsyncClient(fake.url, "jane", "secret", client_token="token-2",
                               headers={"x-extra": "yes"}) as client:
            await client.call([{"action": "query_server_information"}])

    asyncio.run(scenario())
    (request,) = fake.requests
    assert request["headers"]["ftrack-clienttoken"] == "token-2"
    assert request["headers"]["ftrack-user"] == "jane"
    assert request["headers"]["x-extra"] == "yes"


@pytest.mark.parametrize("status, body, content_type, expected_type, expected_text", [
    (200, "<html>oops</html>", "text/html", exception.ServerError,
     "Server reported error in unexpected format. Raw error was: <html>oops</html>"),
    (502, "<html>Bad Gateway</html>", "text/html", exception.ServerError, "HTTP 502"),
    (404, {"detail": "nope"}, "application/json", exception.ServerError, "HTTP 404"),
    (200, {"not": "a list"}, "application/json", exception.ServerError, "unexpected format"),
    (403, {"exception": "PermissionError", "content": "Not yours.", "error_code": "E1"},
     "application/json", exception.ServerPermissionDeniedError,
     "Server reported error: PermissionError(Not yours.)"),
    (200, {"exception": "FTAuthenticationError", "content": "Who?", "error_code": None},
     "application/json", exception.ServerPermissionDeniedError, "FTAuthenticationError(Who?)"),
    (400, {"exception": "ValidationError", "content": "Bad {value}.", "error_code": None},
     "application/json", exception.ServerValidationError, "ValidationError(Bad {value}.)"),
])
def test_unusual_replies(fake: FakeServer, status, body, content_type, expected_type,
                         expected_text) -> None:
    fake.answer(status, body, content_type)
    with Client(fake.url, "u", "k") as client:
        with pytest.raises(exception.ServerError) as caught:
            client.call([{"action": "query_server_information"}])
    assert type(caught.value) is expected_type
    assert expected_text in str(caught.value)
    if status >= 400 and "HTTP" in expected_text:
        assert fake.url in str(caught.value)
    if isinstance(body, dict) and "exception" in body:
        assert caught.value.error_code == body["error_code"]


def test_unreachable_server() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with Client(url, "u", "k", timeout=5) as client:
        with pytest.raises(exception.ServerError) as caught:
            client.query("Project")
    assert time.monotonic() - started < 5
    assert url in str(caught.value)
    assert caught.value.exception == "NetworkError"


def test_silent_server_times_out() -> None:
    # Accepts connections (the kernel does) but never answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with Client(url, "u", "k", timeout=0.5) as client:
            with pytest.raises(exception.ServerError) as caught:
                client.call([{"action": "query_server_information"}])
        assert time.monotonic() - started < 3
        assert url in str(caught.value) and "0.5 seconds" in str(caught.value)

        async def scenario() -> None:
            async with AsyncClient(url, "u", "k", timeout=0.5) as async_client:
                with pytest.raises(exception.ServerError) as caught:
                    await async_client.call([{"action": "query_server_information"}])
            assert url in str(caught.value)

        asyncio.run(scenario())


def test_pre_encoded_batches_pass_through(fake: FakeServer) -> None:
    with Client(fake.url, "u", "k") as client:
        client.call('[{"action": "query_server_information"}]')
        client.call(b'[{"action": "query_schemas"}]')
    assert [json.loads(request["body"])[0]["action"] for request in fake.requests] == [
        "query_server_information", "query_schemas"]


def test_non_ascii_credentials_sent_as_latin1(fake: FakeServer) -> None:
    with Client(fake.url, "jöhn", "kéy") as client:
        client.call([])
    (request,) = fake.requests
    # The stdlib server, like Starlette, reads header bytes as latin-1.
    assert request["headers"]["ftrack-user"] == "jöhn"
    assert request["headers"]["ftrack-api-key"] == "kéy"


def test_transport_hooks_for_the_layer_above(fake: FakeServer) -> None:
    class Entity:
        def __init__(self, entity_id: str) -> None:
            self.entity_id = entity_id

    fake.answer(200, [{"data": {"__entity_type__": "Task", "id": "t1"}}])
    with transport.Transport(
        fake.url, "u", "k",
        default=lambda value: {"__entity_type__": "Task", "id": value.entity_id},
        object_hook=lambda item: Entity(item["id"]) if "__entity_type__" in item else item,
    ) as sync_transport:
        (result,) = sync_transport.call([{"action": "update", "entity_data": Entity("t1")}])
    assert isinstance(result["data"], Entity) and result["data"].entity_id == "t1"
    assert json.loads(fake.requests[0]["body"]) == [
        {"action": "update", "entity_data": {"__entity_type__": "Task", "id": "t1"}}]
    assert sync_transport.closed
    with pytest.raises(exception.ConnectionClosedError):
        sync_transport.call([])


def test_repeated_entities_come_back_whole(server):
    """The server writes repeated nested entities once; the client merges them back."""
    from ftrack_api.client import Client

    with Client(server.url, server.api_user, server.api_key) as client:
        rows = client.query("select name, state.name, state.short from Status")["data"]
    assert len({row["state"]["id"] for row in rows}) < len(rows)  # states really repeat
    assert all(row["state"]["short"] and row["state"]["name"] for row in rows)
    by_id = {}
    for row in rows:
        assert by_id.setdefault(row["state"]["id"], row["state"]) is row["state"]
