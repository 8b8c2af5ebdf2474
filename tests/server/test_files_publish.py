"""Our client publishing to the ftrack.server location: sequences, containers, progress callbacks.

Acceptance for "files in, files out": a 100-frame image sequence and a
ContainerComponent with member files go up, every member comes back with the
same bytes, and removing them from the location deletes the bytes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
import pytest
from support.components import generated

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol

FRAMES = 100


@pytest.fixture
def session(server, tmp_path):
    session = ftrack_api.Session(server_url=server.url, api_key=server.api_key, api_user=server.api_user,
                                 schema_cache_path=str(tmp_path / "schemas"), plugin_paths=[],
                                 auto_connect_event_hub=False)
    yield session
    session.close()


@pytest.fixture
def server_location(session):
    return session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)


def write_frames(folder: Path, count: int = FRAMES) -> dict[str, bytes]:
    """Tiny distinct frames ``shot.0001.exr`` …; their bytes by member name ("0001")."""
    frames = {}
    for frame in range(1, count + 1):
        content = f"frame {frame} ".encode() * (20 + frame % 7)
        (folder / f"shot.{frame:04d}.exr").write_bytes(content)
        frames[f"{frame:04d}"] = content
    return frames


def downloaded(location, component) -> httpx.Response:
    return httpx.get(location.get_url(component), timeout=60)


class Recorder:
    """A progress callback that keeps every call."""

    def __init__(self):
        self.calls: list[tuple[str, int, int | None]] = []

    def __call__(self, component, transferred, total):
        self.calls.append((component["id"], transferred, total))

    def of(self, component_id: str) -> list[tuple[int, int | None]]:
        return [(done, total) for cid, done, total in self.calls if cid == component_id]


def assert_reports_a_whole_transfer(calls: list[tuple[int, int | None]], size: int) -> None:
    assert calls, "the callback was never called"
    assert calls[0] == (0, size)
    done = [transferred for transferred, _ in calls]
    assert done == sorted(done), "transferred bytes went backwards"
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)


# A 100-frame sequence and a container ----------------------------------------------------------

def test_a_100_frame_sequence_goes_up_and_comes_back(session, server_location, tmp_path):
    frames = write_frames(tmp_path)
    sequence = session.create_component(str(tmp_path / f"shot.%04d.exr [1-{FRAMES}]"),
                                        data={"name": "plate"}, location=server_location)
    session.commit()

    assert sequence.entity_type == "SequenceComponent"
    members = sorted(sequence["members"], key=lambda member: member["name"])
    assert [member["name"] for member in members] == sorted(frames)
    assert sequence["size"] == sum(map(len, frames.values()))
    assert server_location.get_component_availability(sequence) == 100.0
    for member in members:
        response = downloaded(server_location, member)
        assert response.status_code == 200
        assert response.content == frames[member["name"]], member["name"]

    urls = [server_location.get_url(member) for member in members]
    server_location.remove_component(sequence)
    assert [httpx.get(url, timeout=60).status_code for url in urls] == [404] * FRAMES
    assert server_location.get_component_availability(sequence) == 0.0


def test_a_container_with_member_files(session, server_location, tmp_path):
    files = {"model": b"mesh " * 3000, "rig": b"joints " * 700, "notes": b"", "textures": os.urandom(300_000)}
    for name, content in files.items():
        (tmp_path / f"{name}.bin").write_bytes(content)
    origin = session.get("Location", ftrack_api.symbol.ORIGIN_LOCATION_ID)
    container = session.create("ContainerComponent", {"name": "asset_bundle"})
    for name in files:  # as with the official client, members join the container explicitly
        member = session.create_component(str(tmp_path / f"{name}.bin"),
                                          data={"name": name, "container": container}, location=None)
        container["members"].append(member)
    origin.add_component(container, str(tmp_path), recursive=False)
    progress = Recorder()
    server_location.add_component(container, origin, recursive=True, progress=progress)

    again = ftrack_api.Session(server_url=session.server_url, api_key=session.api_key,
                               api_user=session.api_user, plugin_paths=[], auto_connect_event_hub=False,
                               schema_cache_path=str(tmp_path / "schemas"))
    with again:
        location = again.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
        stored = again.get("ContainerComponent", container["id"])
        assert location.get_component_availability(stored) == 100.0
        members = {member["name"]: member for member in stored["members"]}
        assert sorted(members) == sorted(files)
        for name, member in members.items():
            assert downloaded(location, member).content == files[name], name
            assert location.accessor.open(member["id"], "rb").read() == files[name]
            assert_reports_a_whole_transfer(progress.of(member["id"]), len(files[name]))
    assert not progress.of(container["id"]), "the container itself moves no bytes"

    urls = [server_location.get_url(member) for member in container["members"]]
    server_location.remove_component(container, recursive=True)
    assert [httpx.get(url, timeout=60).status_code for url in urls] == [404] * len(files)
    with pytest.raises(ftrack_api.exception.ComponentNotInLocationError):
        server_location.get_resource_identifier(container)


# Progress -------------------------------------------------------------------------------------

def test_upload_progress_of_a_multi_megabyte_file(session, server_location, tmp_path):
    size = 5 * 1024 * 1024 + 123
    path = tmp_path / "plate.mov"
    with open(path, "wb") as handle:
        for block in generated(size, seed=7):
            handle.write(block)
    progress = Recorder()
    component = session.create_component(str(path), data={"name": "main"}, location=server_location,
                                         progress=progress)
    session.commit()

    calls = progress.of(component["id"])
    assert_reports_a_whole_transfer(calls, size)
    assert len(calls) >= 6, "one call per 1 MiB chunk at least"
    assert {cid for cid, _, _ in progress.calls} == {component["id"]}
    digest = hashlib.md5(downloaded(server_location, component).content).digest()
    assert digest == hashlib.md5(path.read_bytes()).digest()


def test_progress_of_a_sequence_reports_each_member(session, server_location, tmp_path):
    frames = write_frames(tmp_path, 5)
    progress = Recorder()
    sequence = session.create_component(str(tmp_path / "shot.%04d.exr [1-5]"), location=server_location,
                                        progress=progress)
    for member in sequence["members"]:
        assert_reports_a_whole_transfer(progress.of(member["id"]), len(frames[member["name"]]))
    assert not progress.of(sequence["id"])


def test_download_progress_through_the_accessor(session, server_location, tmp_path):
    size = 3 * 1024 * 1024 + 5
    path = tmp_path / "data.bin"
    path.write_bytes(b"".join(generated(size, seed=3)))
    component = session.create_component(str(path), location=server_location)
    calls: list[tuple[int, int | None]] = []
    data = server_location.accessor.open(component["id"], "rb",
                                         progress=lambda done, total: calls.append((done, total)))
    assert data.read() == path.read_bytes()
    assert calls[0] == (0, size) and calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_progress_from_the_server_to_a_disk_location(session, server_location, tmp_path):
    """Downloading into another location reports the network transfer (the server accessor's)."""
    from ftrack_api.accessor.disk import DiskAccessor
    from ftrack_api.structure.id import IdStructure

    size = 2 * 1024 * 1024 + 9
    path = tmp_path / "data.bin"
    path.write_bytes(b"".join(generated(size, seed=4)))
    component = session.create_component(str(path), location=server_location)
    disk = session.create("Location", {"name": f"test.disk.{component['id']}"})
    disk.accessor = DiskAccessor(prefix=str(tmp_path / "disk"))
    disk.structure = IdStructure()
    session.commit()
    progress = Recorder()
    disk.add_component(component, server_location, progress=progress)
    assert_reports_a_whole_transfer(progress.of(component["id"]), size)
    assert Path(disk.get_filesystem_path(component)).read_bytes() == path.read_bytes()


def test_progress_between_disk_locations_follows_the_copy(session, tmp_path):
    from ftrack_api.accessor.disk import DiskAccessor
    from ftrack_api.structure.id import IdStructure

    size = 2 * 1024 * 1024 + 1
    path = tmp_path / "data.bin"
    path.write_bytes(b"".join(generated(size, seed=5)))
    disk = session.create("Location", {"name": f"test.disk.{os.urandom(6).hex()}"})
    disk.accessor = DiskAccessor(prefix=str(tmp_path / "disk"))
    disk.structure = IdStructure()
    session.commit()
    progress = Recorder()
    component = session.create_component(str(path), location=disk, progress=progress)
    assert_reports_a_whole_transfer(progress.of(component["id"]), size)


def test_a_failing_callback_stops_the_transfer(session, server_location, tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"".join(generated(3 * 1024 * 1024, seed=6)))

    def cancel(component, transferred, total):
        if transferred > 1024 * 1024:
            raise RuntimeError("cancelled by the user")

    component = session.create("FileComponent", {"name": "cancelled", "size": path.stat().st_size,
                                                 "file_type": ".bin"})
    origin = session.get("Location", ftrack_api.symbol.ORIGIN_LOCATION_ID)
    origin.add_component(component, str(path))
    with pytest.raises(ftrack_api.exception.LocationError, match="cancelled by the user"):
        server_location.add_component(component, origin, progress=cancel)
    session.reset()
    url = server_location.accessor.get_url(component["id"])
    assert httpx.get(url, timeout=60).status_code == 404, "no bytes were stored"


# What the official client sends ---------------------------------------------------------------

def test_an_empty_file_put_as_requests_sends_it(server):
    """requests PUTs an empty file with Content-Length 0 *and* chunked encoding, then no chunk."""
    import socket
    from urllib.parse import urlsplit

    from support.components import metadata, new_id

    component_id = new_id()
    url = urlsplit(metadata(server, component_id, 0)[0]["url"])
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall((f"PUT {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                            "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        answer = connection.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 200 ")
    assert "connection: close" in answer.lower()
    response = httpx.get(f"{server.url}/component/get", params={"id": component_id},
                         headers={"ftrack-user": server.api_user, "ftrack-api-key": server.api_key})
    assert response.status_code == 200 and response.content == b""


def test_upload_progress_writing_through_the_accessor(session, server_location):
    """Data written to ``accessor.open(id, "wb")`` is buffered, then uploaded with progress on close."""
    size = 2 * 1024 * 1024 + 3
    content = b"".join(generated(size, seed=8))
    component = session.create("FileComponent", {"name": "written", "file_type": ".bin", "size": size})
    calls: list[tuple[int, int | None]] = []
    data = server_location.accessor.open(component["id"], "wb",
                                         progress=lambda done, total: calls.append((done, total)))
    data.write(content[:size // 2])
    data.write(content[size // 2:])
    assert calls == [], "nothing is sent before the data is complete"
    data.close()
    assert calls[0] == (0, size) and calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert server_location.accessor.open(component["id"], "rb").read() == content


# The accessor's download -----------------------------------------------------------------------

def _redirecting_server(target: str):
    """A real HTTP server on loopback answering every GET with a 302 to *target* + the same path."""
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    return redirector


def test_download_follows_redirects(server, session, server_location, tmp_path):
    """ftrack sites answer /component/get with a redirect to their storage."""
    from types import SimpleNamespace

    from ftrack_api.accessor.server import ServerFile

    content = b"".join(generated(1024 * 1024 + 77, seed=9))
    path = tmp_path / "data.bin"
    path.write_bytes(content)
    component = session.create_component(str(path), location=server_location)
    redirector = _redirecting_server(server.url)
    try:
        elsewhere = SimpleNamespace(server_url=f"http://127.0.0.1:{redirector.server_address[1]}",
                                    api_user=server.api_user, api_key=server.api_key, request_timeout=30)
        calls = []
        data = ServerFile(component["id"], elsewhere, "rb", progress=lambda done, total: calls.append(done))
        assert data.read() == content
        assert calls[-1] == len(content)
        with pytest.raises(ftrack_api.exception.AccessorOperationFailedError, match="404 Not Found"):
            ServerFile("no-such-component", elsewhere, "rb").read()
    finally:
        redirector.shutdown()
        redirector.server_close()


def test_download_through_a_configured_proxy_uses_it(session, server_location, tmp_path, monkeypatch):
    path = tmp_path / "data.bin"
    path.write_bytes(b"proxied")
    component = session.create_component(str(path), location=server_location)
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(ftrack_api.exception.AccessorOperationFailedError):
        server_location.accessor.open(component["id"], "rb").read()
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    assert server_location.accessor.open(component["id"], "rb").read() == b"proxied"
