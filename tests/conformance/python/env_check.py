"""Environment check: the interpreter running the scenarios has the OFFICIAL client.

Needs no server.  Proves that ``import ftrack_api`` resolves to the PyPI
package inside the private venv (not to our re-implementation under ``src``)
and that our server package is not importable there either.
"""

import importlib.util
import json
import sys

import ftrack_api

summary = {
    "version": ftrack_api.__version__,
    "file": ftrack_api.__file__,
    "prefix": sys.prefix,
    "has_session": hasattr(ftrack_api, "Session"),
    "ftrack_server_importable": importlib.util.find_spec("ftrack_server") is not None,
}
print(json.dumps(summary, sort_keys=True))
