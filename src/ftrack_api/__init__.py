"""The ftrack API: ``ftrack_api.Session`` and everything around it.

A drop-in replacement for the official ftrack Python client; see docs/client.md.
"""

from ftrack_api._version import __version__
from ftrack_api._mixin import mixin
from ftrack_api.session import Session

# Modules user code reaches through ``ftrack_api.<name>`` without importing them.
import ftrack_api.accessor.base  # noqa: E402,F401
import ftrack_api.accessor.disk  # noqa: E402,F401
import ftrack_api.accessor.server  # noqa: E402,F401
import ftrack_api.attribute  # noqa: E402,F401
import ftrack_api.cache  # noqa: E402,F401
import ftrack_api.collection  # noqa: E402,F401
import ftrack_api.data  # noqa: E402,F401
import ftrack_api.entity.asset_version  # noqa: E402,F401
import ftrack_api.entity.base  # noqa: E402,F401
import ftrack_api.entity.component  # noqa: E402,F401
import ftrack_api.entity.factory  # noqa: E402,F401
import ftrack_api.entity.job  # noqa: E402,F401
import ftrack_api.entity.location  # noqa: E402,F401
import ftrack_api.entity.note  # noqa: E402,F401
import ftrack_api.entity.project_schema  # noqa: E402,F401
import ftrack_api.entity.user  # noqa: E402,F401
import ftrack_api.event.base  # noqa: E402,F401
import ftrack_api.event.expression  # noqa: E402,F401
import ftrack_api.event.hub  # noqa: E402,F401
import ftrack_api.event.subscriber  # noqa: E402,F401
import ftrack_api.event.subscription  # noqa: E402,F401
import ftrack_api.exception  # noqa: E402,F401
import ftrack_api.inspection  # noqa: E402,F401
import ftrack_api.logging  # noqa: E402,F401
import ftrack_api.operation  # noqa: E402,F401
import ftrack_api.plugin  # noqa: E402,F401
import ftrack_api.query  # noqa: E402,F401
import ftrack_api.structure.base  # noqa: E402,F401
import ftrack_api.structure.entity_id  # noqa: E402,F401
import ftrack_api.structure.origin  # noqa: E402,F401
import ftrack_api.structure.standard  # noqa: E402,F401
import ftrack_api.symbol  # noqa: E402,F401

__all__ = ["Session", "mixin", "__version__"]
