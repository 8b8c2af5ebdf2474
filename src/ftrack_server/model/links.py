"""Link tables clients never see directly, backing many-to-many collections."""

from .dsl import Entity, integer, key

ContextScope = Entity(
    "ContextScope",
    table="ContextScope",
    attributes=(key("context_id"), key("scope_id")),
    primary_key=("context_id", "scope_id"),
    served=False,
)

ContextAncestor = Entity(
    "ContextAncestor",
    table="ContextAncestor",
    attributes=(key("ancestor_id"), key("descendant_id"), integer("depth")),
    primary_key=("ancestor_id", "descendant_id"),
    served=False,
)
"""Closure of the context tree: one row per (ancestor, descendant) pair, depth >= 1."""

ConfigurationReadRole = Entity(
    "ConfigurationReadRole",
    table="ConfigurationReadRole",
    attributes=(key("configuration_id"), key("security_role_id")),
    primary_key=("configuration_id", "security_role_id"),
    served=False,
)

ConfigurationWriteRole = Entity(
    "ConfigurationWriteRole",
    table="ConfigurationWriteRole",
    attributes=(key("configuration_id"), key("security_role_id")),
    primary_key=("configuration_id", "security_role_id"),
    served=False,
)
