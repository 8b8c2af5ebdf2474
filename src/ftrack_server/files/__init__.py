"""Component storage: the bytes of components in the ``ftrack.server`` location.

| module | one job |
| --- | --- |
| `storage` | files on disk by resource identifier; temporary files; atomic installs |
| `tokens` | signed upload tokens |
| `settings` | size limits, token lifetime, thumbnail sizes |
| `service` | the storage, signer and settings of one data directory, as one object |
| `receive` | a request body streamed into a file, sizes and MD5 checked |
| `uploads` | `get_upload_metadata` answers, upload PUTs, multipart assembly |
| `actions` | the `/api` actions `get_upload_metadata` and `complete_multipart_upload` |
| `release` | bytes deleted after commit when their ``ftrack.server`` registration goes |
| `access` | credentials of the plain-GET URLs |
| `thumbnails`, `placeholder` | scaled images, and the image shown when there is none |
| `routes` | the HTTP endpoints |
"""

from .service import ComponentStorage
from .settings import FileSettings

__all__ = ["ComponentStorage", "FileSettings"]
