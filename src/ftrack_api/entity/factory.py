"""Build entity classes from the server's schemas."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import ftrack_api.attribute as attribute_kinds
from ftrack_api.cache import KeyMaker, Memoiser, memoise_decorator
from ftrack_api.collection import (
    PerSessionDefaultKeyMaker,
    _get_custom_attribute_configurations,
    memoise_session,
)
from ftrack_api.entity.base import Entity
from ftrack_api.symbol import CREATED, NOT_SET

logger = logging.getLogger(__name__)

_SCALAR_TYPES = {"string", "boolean", "integer", "number", "variable", "object"}


def _new_uid(entity: Any) -> str:
    return str(uuid.uuid4())


class Factory:
    """Turns one schema into an entity class; each attribute kind has a hook
    subclasses override."""

    def __init__(self) -> None:
        self.logger = logging.getLogger(f"{__name__}.{type(self).__name__}")

    def create(self, schema: Mapping[str, Any], bases: Sequence[type] | None = None) -> type:
        """A new class for *schema*, derived from *bases* (default ``Entity``)."""
        class_name = str(schema["id"])
        bases = list(bases or [Entity])
        immutable = set(schema.get("immutable", []))
        computed = set(schema.get("computed", []))
        attributes = attribute_kinds.Attributes()
        for name, fragment in schema.get("properties", {}).items():
            if fragment.get("restricted_projection"):
                continue
            mutable = name not in immutable
            default = fragment.get("default", NOT_SET)
            if default == "{uid}":
                default = _new_uid
            kind = fragment.get("type")
            reference = fragment.get("$ref")
            made = None
            if kind in _SCALAR_TYPES:
                data_type = kind
                if kind == "number":
                    data_type = "float"
                elif kind == "string" and fragment.get("format") == "date-time":
                    data_type = "datetime"
                made = self.create_scalar_attribute(
                    class_name, name, mutable, name in computed, default, data_type)
            elif kind == "array":
                made = self.create_collection_attribute(class_name, name, mutable)
            elif kind == "mapped_array":
                target = (fragment.get("items") or {}).get("$ref")
                if target:
                    made = self.create_mapped_collection_attribute(
                        class_name, name, mutable, target)
            elif kind is None and reference:
                made = self.create_reference_attribute(class_name, name, mutable, reference)
            if made is not None:
                attributes.add(made)
        namespace = {
            "__module__": "ftrack_api.entity.dynamic",
            "entity_type": class_name,
            "attributes": attributes,
            "primary_key_attributes": list(schema.get("primary_key", [])),
            "default_projections": list(schema.get("default_projections", [])),
        }
        return type(class_name, tuple(bases), namespace)

    def create_scalar_attribute(self, class_name: str, name: str, mutable: bool,
                                computed: bool, default: Any, data_type: str) -> Any:
        return attribute_kinds.ScalarAttribute(
            name, data_type=data_type, default_value=default, mutable=mutable,
            computed=computed)

    def create_reference_attribute(self, class_name: str, name: str, mutable: bool,
                                   reference: str) -> Any:
        return attribute_kinds.ReferenceAttribute(name, reference, mutable=mutable)

    def create_collection_attribute(self, class_name: str, name: str, mutable: bool) -> Any:
        return attribute_kinds.CollectionAttribute(name, mutable=mutable)

    def create_mapped_collection_attribute(self, class_name: str, name: str, mutable: bool,
                                           reference: str) -> Any:
        self.logger.debug("Skipping mapped collection %s.%s of %s: not supported by "
                          "the base factory.", class_name, name, reference)
        return None


def _typed_bases(schema: Mapping[str, Any]) -> list[type]:
    from ftrack_api.entity import (
        asset_version,
        component,
        job,
        location,
        note,
        project_schema,
        user,
    )
    typed = {
        "ProjectSchema": project_schema.ProjectSchema,
        "Location": location.Location,
        "AssetVersion": asset_version.AssetVersion,
        "Note": note.Note,
        "Job": job.Job,
        "User": user.User,
    }
    bases = []
    schema_id = schema["id"]
    if schema_id in typed:
        bases.append(typed[schema_id])
    elif schema_id.endswith("Component"):
        bases.append(component.Component)
    properties = schema.get("properties", {})
    if "notes" in properties:
        bases.append(note.CreateNoteMixin)
    if "thumbnail_id" in properties:
        bases.append(component.CreateThumbnailMixin)
    return bases


class StandardFactory(Factory):
    """The factory sessions use: typed bases (Location, AssetVersion, Note…),
    note and thumbnail helpers, metadata and custom-attribute mappings."""

    def create(self, schema: Mapping[str, Any], bases: Sequence[type] | None = None) -> type:
        typed = _typed_bases(schema)
        mixins = [base for base in typed if base.__name__.endswith("Mixin")]
        leading = [base for base in typed if base not in mixins]
        ordered = leading + list(bases or [])
        if not ordered or not any(issubclass(base, Entity) for base in ordered):
            ordered.append(Entity)
        return super().create(schema, bases=ordered + mixins)

    def create_mapped_collection_attribute(self, class_name: str, name: str, mutable: bool,
                                           reference: str) -> Any:
        if reference == "Metadata":
            def create_metadata(proxy: Any, data: dict[str, Any]) -> Any:
                owner = proxy.collection.entity
                data.update({"parent_id": owner["id"], "parent_type": owner.entity_type})
                return owner.session.create("Metadata", data)

            return attribute_kinds.KeyValueMappedCollectionAttribute(
                name, create_metadata, "key", "value", mutable=mutable)
        if reference == "CustomAttributeValue":
            return attribute_kinds.CustomAttributeCollectionAttribute(name, mutable=mutable)
        if reference.endswith("CustomAttributeValue"):
            def create_value(proxy: Any, data: dict[str, Any]) -> Any:
                return _new_custom_attribute_value(proxy, data, reference)

            return attribute_kinds.KeyValueMappedCollectionAttribute(
                name, create_value, "key", "value", mutable=mutable)
        self.logger.debug("Skipping mapped collection %s.%s of %s.", class_name, name,
                          reference)
        return None


def _new_custom_attribute_value(proxy: Any, data: dict[str, Any], value_type: str) -> Any:
    """A value entity for a key set on an entity that is not yet committed."""
    from ftrack_api.inspection import state
    owner = proxy.collection.entity
    if state(owner) is not CREATED:
        raise KeyError(
            f"Custom attribute {data['key']!r} does not exist on {owner.entity_type}: "
            "on a committed entity only existing keys can be set.")
    for configuration in applicable_configurations(owner):
        if configuration["key"] == data["key"]:
            break
    else:
        raise ValueError(f"No custom attribute configuration {data['key']!r} applies to "
                         f"{owner.entity_type}.")
    session = owner.session
    value = session.create(value_type, {
        "key": data["key"], "configuration_id": configuration["id"], "entity_id": owner["id"],
    }, reconstructing=True)
    value["value"] = data["value"]
    return value


def _owner_kind(entity: Any) -> tuple[str, Any, Any]:
    """``(configuration entity_type, project id, object type id)`` of *entity*."""
    entity_type = entity.entity_type
    if "object_type_id" in entity.attributes._by_name:
        return "task", entity["project_id"], entity["object_type_id"]
    if entity_type == "AssetVersion":
        return "assetversion", entity["asset"]["parent"]["project_id"], None
    if entity_type == "Project":
        return "show", entity["id"], None
    if entity_type == "User":
        return "user", None, None
    if entity_type == "Asset":
        return "asset", entity["parent"]["project_id"], None
    if entity_type in ("TypedContextList", "AssetVersionList"):
        return "list", None, None
    raise ValueError(f"Entity {entity!r} has no custom attributes.")


def applicable_configurations(entity: Any) -> list[Any]:
    """The custom attribute configurations that apply to *entity*, project
    specific ones first so they shadow global ones of the same key."""
    kind, project_id, object_type_id = _owner_kind(entity)
    result = []
    for configuration in _get_custom_attribute_configurations(entity.session):
        in_scope = configuration["project_id"] in (project_id, None)
        if not in_scope:
            continue
        if configuration["entity_type"] == kind \
                and configuration["object_type_id"] == object_type_id:
            result.append(configuration)
        elif configuration["is_hierarchical"] and kind in ("asset", "assetversion", "show",
                                                          "task"):
            result.append(configuration)
    return sorted(result, key=lambda item: item["project_id"] is None)


#: Memoises per session; the name user code and plugins import.
memoise_defaults = memoise_decorator(
    Memoiser(key_maker=PerSessionDefaultKeyMaker(), return_copies=False))

__all__ = ["Factory", "StandardFactory", "PerSessionDefaultKeyMaker", "memoise_defaults",
           "memoise_session", "applicable_configurations", "KeyMaker"]
