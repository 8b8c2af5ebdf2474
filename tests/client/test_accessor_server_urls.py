"""Tests for the URLs ``ftrack_api.accessor.server._ServerAccessor`` builds (spec §21).

The server's component endpoints come later; until then only the URL
builders, the no-op methods and failure on an unreachable server are tested.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from ftrack_api.accessor.server import ServerFile, _ServerAccessor
from ftrack_api.data import String
from ftrack_api.exception import AccessorOperationFailedError


@dataclass
class SessionDetails:
    """The session attributes the server accessor reads."""

    server_url: str = "https://studio.example.com"
    api_user: str = "jane"
    api_key: str = "secret-key"
    request_timeout: float = 5.0

    def get(self, entity_type: str, entity_id: str) -> Any:
        return None

    def get_upload_metadata(self, **kw: Any) -> dict[str, Any]:
        raise AssertionError("not reached in these tests")


@pytest.fixture
def accessor() -> _ServerAccessor:
    return _ServerAccessor(SessionDetails())


def test_get_url(accessor: _ServerAccessor) -> None:
    assert accessor.get_url("abc-123") == (
        "https://studio.example.com/component/get?id=abc-123&username=jane&apiKey=secret-key"
    )


def test_get_thumbnail_url(accessor: _ServerAccessor) -> None:
    assert accessor.get_thumbnail_url("abc-123") == (
        "https://studio.example.com/component/thumbnail"
        "?id=abc-123&username=jane&apiKey=secret-key"
    )
    assert accessor.get_thumbnail_url("abc-123", size=300) == (
        "https://studio.example.com/component/thumbnail"
        "?id=abc-123&username=jane&apiKey=secret-key&size=300"
    )


def test_urls_encode_their_values() -> None:
    session = SessionDetails(server_url="http://localhost:8000/",
                             api_user="jane.doe@example.com", api_key="k/+= &")
    url = _ServerAccessor(session).get_url("a b&c")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://localhost:8000/component/get"
    assert parse_qsl(parts.query) == [
        ("id", "a b&c"), ("username", "jane.doe@example.com"), ("apiKey", "k/+= &")]


def test_container_methods_do_nothing(accessor: _ServerAccessor) -> None:
    assert accessor.exists("abc") is False
    assert accessor.get_container("abc") is None
    assert accessor.make_container("abc") is None


@pytest.mark.parametrize("method", ["list", "is_file", "is_container", "is_sequence"])
def test_unsupported_queries(accessor: _ServerAccessor, method: str) -> None:
    with pytest.raises(NotImplementedError):
        getattr(accessor, method)("abc")


def test_open_returns_a_lazy_server_file(accessor: _ServerAccessor) -> None:
    data = accessor.open("abc", "wb")
    assert isinstance(data, ServerFile) and isinstance(data, String)
    assert data.resource_identifier == "abc" and data.mode == "wb"


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_unreachable_server_fails_remove_and_read() -> None:
    session = SessionDetails(server_url=_closed_port_url())
    accessor = _ServerAccessor(session)
    with pytest.raises(AccessorOperationFailedError) as caught:
        accessor.remove("abc")
    assert caught.value.details["operation"] == "remove"
    with pytest.raises(AccessorOperationFailedError):
        accessor.open("abc").read()


def test_upload_of_unknown_component_fails(accessor: _ServerAccessor) -> None:
    data = accessor.open("unknown", "wb")
    data.write(b"content")
    with pytest.raises(AccessorOperationFailedError):
        data.flush()
