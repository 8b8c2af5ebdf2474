"""Asset versions: what pipelines publish."""

from __future__ import annotations

from typing import Any

from ftrack_api.entity.base import Entity


class AssetVersion(Entity):
    """One version of an asset."""

    def create_component(self, path: str, data: dict[str, Any] | None = None,
                         location: Any = None, *, progress: Any = None) -> Any:
        """A component of this version for the file(s) at *path*.

        *progress* is passed on to ``Session.create_component``.
        """
        data = dict(data or {})
        data.pop("version_id", None)
        data["version"] = self
        return self.session.create_component(path, data=data, location=location, progress=progress)

    def encode_media(self, media: Any, keep_original: Any = "auto") -> Any:
        """Start a job making browser-playable reviewables of *media* for this version."""
        return self.session.encode_media(media, version_id=self["id"],
                                         keep_original=keep_original)
