"""Structures: where a component's data goes inside a location (its resource identifier)."""
