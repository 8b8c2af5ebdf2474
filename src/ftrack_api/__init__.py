"""The ftrack API client (in progress; see docs/)."""

__version__ = "0.1.0"
