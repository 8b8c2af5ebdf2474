"""An ftrack-compatible server: JSON API, query language and storage."""

__version__ = "0.1.0"
