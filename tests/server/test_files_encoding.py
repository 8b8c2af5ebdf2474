"""encode_media: a Job that ffmpeg turns into ftrackreview-mp4 / ftrackreview-image components."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import time

import pytest
from PIL import Image

from support.components import SERVER_LOCATION_ID, auth, download, image_bytes, new_id, register, upload
from support.server import ServerProcess
from support.services import skip_or_fail


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if not found or not shutil.which("ffprobe"):
        skip_or_fail("ffmpeg is not installed (apt-get install ffmpeg)")
    return found


@pytest.fixture(scope="module")
def movie(ffmpeg, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("media") / "clip.mov"
    subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x54:rate=24:duration=1",
                    "-c:v", "mjpeg", str(path)], check=True, timeout=60)
    return path.read_bytes()


def playable_frames(mp4: bytes, folder) -> tuple[str, int]:
    """(codec, frames decoded) of the video stream of *mp4*, as ffprobe reads it."""
    path = folder / "out.mp4"
    path.write_bytes(mp4)
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
         "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, timeout=60, check=True)
    codec, frames = result.stdout.strip().split(",")[:2]
    return codec, int(frames)


def published(server, data: bytes, name: str, file_type: str) -> str:
    component_id = upload(server, data, file_name=name + file_type)
    assert isinstance(register(server, component_id, name=name, file_type=file_type, size=len(data)), list)
    return component_id


def new_version(server) -> str:
    from ftrack_server.store import seed

    project_id, asset_id, version_id = new_id(), new_id(), new_id()
    asset_type = server.call([{"action": "query", "expression": "select id from AssetType limit 1"}])[0]["data"][0]
    reply = server.call([
        {"action": "create", "entity_type": "Project", "entity_data": {
            "id": project_id, "name": f"enc_{project_id[:8]}", "full_name": "encode",
            "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Asset", "entity_data": {
            "id": asset_id, "name": "clip", "context_id": project_id, "type_id": asset_type["id"]}},
        {"action": "create", "entity_type": "AssetVersion", "entity_data": {"id": version_id, "asset_id": asset_id}},
    ])
    assert isinstance(reply, list), reply
    return version_id


def encode(server, component_id, version_id=None, keep_original=True):
    return server.call([{"action": "encode_media", "component_id": component_id, "version_id": version_id,
                         "keep_original": keep_original}])


def finished_job(server, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = server.call([{"action": "query", "expression":
                            f'select status, data, finished_at, job_components from Job where id is "{job_id}"'}])
        row = job[0]["data"][0]
        if row["status"] in ("done", "failed") or time.monotonic() > deadline:
            return row
        time.sleep(0.1)


def test_a_movie_becomes_mp4_and_jpeg_on_the_version(server, movie, tmp_path):
    source = published(server, movie, "clip", ".mov")
    version_id = new_version(server)
    reply = encode(server, source, version_id)
    assert isinstance(reply, list) and set(reply[0]) == {"job_id"}, reply
    job = finished_job(server, reply[0]["job_id"])
    assert job["status"] == "done", job
    data = json.loads(job["data"])
    assert [o["format"] for o in data["output"]] == ["video/mp4", "image/jpeg"]
    assert data["source_component_id"] == source and data["keep_original"] is True
    ids = [o["component_id"] for o in data["output"]]
    assert sorted(link["component_id"] for link in job["job_components"]) == sorted(ids)
    rows = server.call([{"action": "query", "expression":
                         f'select name, file_type, version_id, component_locations.location_id, metadata '
                         f'from FileComponent where id in ("{ids[0]}", "{ids[1]}") order by name'}])[0]["data"]
    assert [(r["name"], r["file_type"], r["version_id"]) for r in rows] == [
        ("ftrackreview-image", ".jpg", version_id), ("ftrackreview-mp4", ".mp4", version_id)]
    assert all(r["component_locations"][0]["location_id"] == SERVER_LOCATION_ID for r in rows)
    mp4 = download(server, ids[0], headers=auth(server)).content
    assert mp4[4:8] == b"ftyp"
    assert playable_frames(mp4, tmp_path) == ("h264", 24)  # decodes: a second at 24 fps
    jpeg = Image.open(io.BytesIO(download(server, ids[1], headers=auth(server)).content))
    assert jpeg.format == "JPEG" and jpeg.size == (96, 54)
    assert download(server, source, headers=auth(server)).status_code == 200  # kept


def test_an_image_gives_a_jpeg_only_and_the_source_can_go(server, ffmpeg):
    source = published(server, image_bytes(120, 80, "PNG"), "still", ".png")
    reply = encode(server, source, keep_original=False)
    job = finished_job(server, reply[0]["job_id"])
    assert job["status"] == "done", job
    output = json.loads(job["data"])["output"]
    assert [o["format"] for o in output] == ["image/jpeg"]
    assert download(server, source, headers=auth(server)).status_code == 404
    gone = server.call([{"action": "query", "expression": f'select id from FileComponent where id is "{source}"'}])
    assert gone[0]["data"] == []


def test_a_file_that_is_not_media_fails_the_job(server, ffmpeg):
    source = published(server, b"plain text is not a movie", "notes", ".txt")
    job = finished_job(server, encode(server, source)[0]["job_id"])
    assert job["status"] == "failed"
    assert "error" in json.loads(job["data"])
    assert download(server, source, headers=auth(server)).status_code == 200


def test_bad_requests(server):
    unknown = encode(server, new_id())
    assert unknown["exception"] == "NotFoundError"
    no_bytes = new_id()
    server.call([{"action": "create", "entity_type": "FileComponent", "entity_data": {"id": no_bytes, "name": "x"}}])
    assert "no data" in encode(server, no_bytes)["content"]
    source = published(server, b"abc", "a", ".bin")
    assert encode(server, source, keep_original="yes")["exception"] == "ValidationError"
    assert encode(server, source, version_id=new_id())["exception"] == "NotFoundError"


def test_without_ffmpeg_the_job_fails_at_once(tmp_path):
    with ServerProcess(tmp_path / "data", env={"PATH": str(tmp_path / "empty-path")}) as server:
        source = published(server, image_bytes(10, 10, "PNG"), "a", ".png")
        reply = encode(server, source)
        job = server.call([{"action": "query", "expression":
                            f'select status, data from Job where id is "{reply[0]["job_id"]}"'}])[0]["data"][0]
        assert job["status"] == "failed"
        assert "ffmpeg is not installed" in json.loads(job["data"])["error"]
