"""Accessors: ways of reaching the bytes stored in a location (disk, the ftrack server)."""
