"""The server's entity schemas and the on-disk schema cache."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from typing import Any

logger = logging.getLogger(__name__)

#: The cache file's name inside the schema cache folder.
CACHE_FILE_NAME = "ftrack_api_schema_cache.json"


def schema_hash(schemas: Any) -> str:
    """The hash a server reports for *schemas* (MD5 of their sorted-key JSON)."""
    return hashlib.md5(json.dumps(schemas, sort_keys=True).encode("utf-8")).hexdigest()


def default_cache_folder() -> str:
    """``FTRACK_API_SCHEMA_CACHE_PATH``, else the platform's user cache folder."""
    configured = os.environ.get("FTRACK_API_SCHEMA_CACHE_PATH")
    if configured:
        return configured
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif os.uname().sysname == "Darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return base


def cache_file(folder: str) -> str:
    return os.path.join(folder, CACHE_FILE_NAME)


def read_cache(path: str) -> tuple[list[Any], str]:
    """``(schemas, hash)`` from the cache file at *path* (empty when missing).

    Raises ``ValueError`` for content that is not JSON.
    """
    if not os.path.exists(path):
        return [], schema_hash([])
    with open(path, encoding="utf-8") as handle:
        schemas = json.load(handle)
    return schemas, schema_hash(schemas)


def write_cache(schemas: Any, path: str) -> None:
    """Write *schemas* to *path* (``TypeError`` when they are not JSON-able)."""
    text = json.dumps(schemas, indent=4)
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
