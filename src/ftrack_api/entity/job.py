"""Jobs: long-running server or API work with a status users can follow."""

from __future__ import annotations

from typing import Any

from ftrack_api.entity.base import Entity


class Job(Entity):
    """A job; jobs made through the API must have type ``api_job``."""

    def __init__(self, session: Any, data: Any = None, reconstructing: bool = False):
        if not reconstructing:
            job_type = (data or {}).get("type")
            if job_type not in (None, "api_job"):
                raise ValueError("Invalid job type, only 'api_job' is allowed")
        super().__init__(session, data=data, reconstructing=reconstructing)
