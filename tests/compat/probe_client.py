"""Which ftrack_api does this interpreter import? (not a scenario: no server needed)."""

import importlib.util
import json
import sys

import ftrack_api

print(json.dumps({
    "file": ftrack_api.__file__,
    "version": ftrack_api.__version__,
    "isolated": bool(sys.flags.isolated),
    "ftrack_server_importable": importlib.util.find_spec("ftrack_server") is not None,
}))
