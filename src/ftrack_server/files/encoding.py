"""`encode_media`: browser-playable reviewables made by ffmpeg, as a Job.

The action creates the Job (``queued``) in its batch; once that batch
commits, a background thread marks it ``running``, probes the source with
ffprobe and makes an H.264 MP4 (for moving pictures) and a JPEG (always).
Then one transaction adds them as components in ``ftrack.server``
(``ftrackreview-mp4`` / ``ftrackreview-image``, on the version when one was
given), links them to the job, fills ``Job.data`` and marks it ``done``, and
deletes the source unless it is kept. Any failure marks the job ``failed``
with the reason in ``Job.data["error"]``. Without ffmpeg on the server, the
job is created ``failed`` at once.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import subprocess
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError, ValidationError
from ..store.values import now
from .errors import StorageNotConfiguredError
from .release import SERVER_LOCATION_ID
from .service import ComponentStorage

if TYPE_CHECKING:
    from ..api.batch import Batch
    from ..store.database import Database

log = logging.getLogger("ftrack_server.files")

#: Encodes running at once; more wait their turn.
_SLOTS = threading.BoundedSemaphore(2)

#: Longest one ffmpeg run may take, in seconds.
_TIMEOUT = 3600


def ffmpeg() -> tuple[str, str] | None:
    """Paths of ffmpeg and ffprobe, or None when either is missing."""
    found = shutil.which("ffmpeg"), shutil.which("ffprobe")
    return found if all(found) else None  # type: ignore[return-value]


def encode_media(batch: Batch, operation: dict) -> dict:
    """Create the encoding Job; the work starts once the batch commits."""
    files = batch.files
    if files is None:
        raise StorageNotConfiguredError()
    component_id = operation.get("component_id")
    if not isinstance(component_id, str) or not component_id:
        raise ValidationError('encode_media needs the "component_id" of a FileComponent in ftrack.server.')
    component = batch.writer.find(batch.writer.entity("FileComponent"), (component_id,))
    if component is None:
        raise NotFoundError(f'FileComponent with key ({component_id}) does not exist.')
    version_id = operation.get("version_id")
    version = batch.writer.entity("AssetVersion")
    if version_id is not None and (not isinstance(version_id, str) or batch.writer.find(version, (version_id,)) is None):
        raise NotFoundError(f"AssetVersion with key ({version_id}) does not exist.")
    keep_original = operation.get("keep_original", True)
    if not isinstance(keep_original, bool):
        raise ValidationError(f'"keep_original" must be true or false, not {keep_original!r}.')
    if not files.storage.exists(component_id):
        raise ValidationError(f'Component "{component_id}" has no data in the ftrack.server location to encode.')
    data = {"output": [], "source_component_id": component_id, "keep_original": keep_original}
    tools = ffmpeg()
    job = {"id": str(uuid.uuid4()), "user_id": batch.user_id, "type": "api_job", "status": "queued"}
    if tools is None:
        data["error"] = "ffmpeg is not installed on the server, so media cannot be encoded."
        job |= {"status": "failed", "finished_at": now().isoformat()}
    job["data"] = json.dumps(data)
    batch.writer.create("Job", job)
    if tools is not None:
        task = _Encode(batch.db, files, batch.loader.base_url, job["id"], batch.user_id, component_id,
                       version_id, keep_original, tools)
        batch.effects.on_commit(lambda: threading.Thread(target=task.run, name="openftrack-encode", daemon=True).start())
    return {"job_id": job["id"]}


@dataclass
class _Output:
    name: str
    file_type: str
    format: str
    path: Path
    metadata: dict


class EncodingError(Exception):
    pass


@dataclass
class _Encode:
    db: Database
    files: ComponentStorage
    base_url: str
    job_id: str
    user_id: str
    source_id: str
    version_id: str | None
    keep_original: bool
    tools: tuple[str, str]

    def run(self) -> None:
        with _SLOTS:
            outputs: list[_Output] = []
            try:
                self._set_status("running")
                outputs = self._encode()
                self._finish(outputs)
            except Exception as error:  # noqa: BLE001 - every failure ends up on the job
                if not isinstance(error, EncodingError):
                    log.exception("Encoding job %s failed", self.job_id)
                self._fail(str(error))
            finally:
                for output in outputs:
                    self.files.storage.discard(output.path)

    # ffmpeg -------------------------------------------------------------------------------

    def _encode(self) -> list[_Output]:
        source = self.files.storage.path(self.source_id)
        video = self._probe(source)
        outputs = []
        if not video["still"]:
            mp4 = self.files.storage.incoming / f"encode-{uuid.uuid4().hex}.mp4"
            outputs.append(_Output("ftrackreview-mp4", ".mp4", "video/mp4", mp4, {
                "frameIn": 0, "frameOut": video["frames"], "frameRate": video["rate"],
                "width": video["width"], "height": video["height"],
            }))
            self._ffmpeg([
                "-i", str(source), "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:a", "aac",
                "-movflags", "+faststart", "-f", "mp4", str(mp4),
            ])
        jpeg = self.files.storage.incoming / f"encode-{uuid.uuid4().hex}.jpg"
        outputs.append(_Output("ftrackreview-image", ".jpg", "image/jpeg", jpeg, {"format": "image"}))
        self._ffmpeg([
            "-i", str(source), "-frames:v", "1", "-vf", "scale='min(1920,iw)':-2", "-q:v", "3",
            "-f", "image2", "-c:v", "mjpeg", str(jpeg),
        ])
        return outputs

    def _probe(self, source: Path) -> dict:
        result = subprocess.run(
            [self.tools[1], "-v", "error", "-select_streams", "v:0", "-show_streams", "-show_format", "-of", "json",
             str(source)],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )
        facts = json.loads(result.stdout or "{}") if result.returncode == 0 else {}
        streams = facts.get("streams") or []
        if not streams:
            raise EncodingError("The source has no picture that ffmpeg can read.")
        stream, container = streams[0], facts.get("format", {})
        still = "image" in container.get("format_name", "") or "_pipe" in container.get("format_name", "")
        rate = _rate(stream.get("avg_frame_rate")) or _rate(stream.get("r_frame_rate")) or 24.0
        frames = int(stream.get("nb_frames") or 0) or math.ceil(float(container.get("duration") or 0) * rate)
        return {"still": still or frames <= 1, "rate": rate, "frames": frames,
                "width": stream.get("width"), "height": stream.get("height")}

    def _ffmpeg(self, arguments: list[str]) -> None:
        result = subprocess.run(
            [self.tools[0], "-nostdin", "-y", "-v", "error", *arguments],
            capture_output=True, text=True, timeout=_TIMEOUT, stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise EncodingError(f"ffmpeg failed: {result.stderr.strip()[-500:] or result.returncode}")

    # The database -------------------------------------------------------------------------

    def _transaction(self, work) -> None:
        from ..api.batch import Batch
        from ..api.effects import SideEffects

        effects = SideEffects()
        with effects, self.db.transaction() as conn:
            batch = Batch(self.db, conn, {"id": self.user_id}, self.base_url, files=self.files, effects=effects)
            work(batch)
            batch.finish()

    def _set_status(self, status: str, **extra: Any) -> None:
        self._transaction(lambda batch: batch.writer.update("Job", [self.job_id], {"status": status, **extra}))

    def _fail(self, reason: str) -> None:
        data = {"output": [], "source_component_id": self.source_id, "keep_original": self.keep_original,
                "error": reason}
        try:
            self._set_status("failed", finished_at=now().isoformat(), data=json.dumps(data))
        except Exception:  # noqa: BLE001 - nothing more can be done; say so
            log.exception("Could not mark encoding job %s failed", self.job_id)

    def _finish(self, outputs: list[_Output]) -> None:
        made = [(output, str(uuid.uuid4())) for output in outputs]

        def work(batch: Batch) -> None:
            writer = batch.writer
            for output, component_id in made:
                writer.create("FileComponent", {
                    "id": component_id, "name": output.name, "file_type": output.file_type,
                    "size": output.path.stat().st_size, "version_id": self.version_id,
                })
                writer.create("Metadata", {"parent_id": component_id, "parent_type": "FileComponent",
                                           "key": "ftr_meta", "value": json.dumps(output.metadata)})
                writer.create("ComponentLocation", {"id": str(uuid.uuid4()), "component_id": component_id,
                                                    "resource_identifier": component_id,
                                                    "location_id": SERVER_LOCATION_ID})
                writer.create("JobComponent", {"job_id": self.job_id, "component_id": component_id})
                batch.effects.on_commit(lambda path=output.path, cid=component_id: self.files.storage.install(path, cid))
            data = {
                "output": [{"format": output.format, "component_id": cid} for output, cid in made],
                "source_component_id": self.source_id, "keep_original": self.keep_original,
            }
            writer.update("Job", [self.job_id], {"status": "done", "finished_at": now().isoformat(), "data": json.dumps(data)})
            if not self.keep_original and writer.find(writer.entity("FileComponent"), (self.source_id,)) is not None:
                writer.delete("FileComponent", [self.source_id])

        self._transaction(work)


def _rate(text: Any) -> float | None:
    try:
        numerator, _, denominator = str(text).partition("/")
        value = float(numerator) / float(denominator or 1)
    except (ValueError, ZeroDivisionError):
        return None
    return round(value, 3) if value > 0 else None
