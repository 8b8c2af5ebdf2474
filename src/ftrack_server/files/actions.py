"""The `/api` actions of component storage: `get_upload_metadata`, `complete_multipart_upload`."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from . import uploads
from .errors import StorageNotConfiguredError
from .service import ComponentStorage

if TYPE_CHECKING:
    from ..api.batch import Batch


def _files(batch: Batch) -> ComponentStorage:
    if batch.files is None:
        raise StorageNotConfiguredError()
    return batch.files


def get_upload_metadata(batch: Batch, operation: dict) -> dict:
    """Where and how to PUT a component's bytes (the component need not be committed yet)."""
    return uploads.upload_metadata(
        _files(batch), batch.loader.base_url, operation.get("component_id"), operation.get("file_name"),
        operation.get("file_size"), operation.get("checksum"), operation.get("parts"),
    )


def complete_multipart_upload(batch: Batch, operation: dict) -> dict:
    """Join the uploaded parts; they become the component's bytes when the batch commits."""
    files = _files(batch)
    joined = uploads.assemble(files, operation.get("upload_id"), operation.get("component_id"), operation.get("parts"))
    batch.effects.on_commit(lambda: uploads.finish_multipart(files, joined))
    batch.effects.on_rollback(lambda: files.storage.discard(joined.path))
    url = f"{batch.loader.base_url}/component/get?{urlencode({'id': joined.component_id})}"
    return {"action": "complete_multipart_upload", "component_id": joined.component_id, "url": url}
