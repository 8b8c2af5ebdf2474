"""Components (the files of a version) and thumbnails."""

from __future__ import annotations

from typing import Any

from ftrack_api.entity.base import Entity
from ftrack_api.symbol import ORIGIN_LOCATION_ID, SERVER_LOCATION_ID


class Component(Entity):
    """A file, sequence or container of files."""

    def get_availability(self, locations: Any = None) -> dict[str, float]:
        """``{location id: percent}`` of this component per location."""
        return self.session.get_component_availability(self, locations=locations)


class CreateThumbnailMixin:
    """``create_thumbnail`` for entity types with a ``thumbnail_id``."""

    def create_thumbnail(self, path: str, data: dict[str, Any] | None = None) -> Any:
        """Upload the image at *path* to the server and make it this entity's thumbnail."""
        session = self.session  # type: ignore[attr-defined]
        data = dict(data or {})
        data.setdefault("name", "thumbnail")
        thumbnail = session.create_component(path, data, location=None)
        origin = session.get("Location", ORIGIN_LOCATION_ID)
        server = session.get("Location", SERVER_LOCATION_ID)
        server.add_component(thumbnail, origin)
        self["thumbnail_id"] = thumbnail["id"]  # type: ignore[index]
        session.commit()
        return thumbnail
