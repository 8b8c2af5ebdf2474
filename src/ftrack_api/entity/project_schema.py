"""Project schemas: which statuses and types each kind of object may use."""

from __future__ import annotations

from typing import Any

from ftrack_api.entity.base import Entity


class ProjectSchema(Entity):
    """A project's workflow configuration."""

    def _schema_for(self, schema: str, what: str) -> Any:
        """The per-object-type schema of this project for entity type *schema*."""
        try:
            entity_class = self.session.types[schema]
        except KeyError:
            raise ValueError(f"Schema {schema} does not exist.") from None
        object_type = entity_class.attributes.get("object_type_id")
        if object_type is None:
            raise ValueError(f"Schema {schema} does not have {what}.")
        for candidate in self["_schemas"]:
            if candidate["type_id"] == object_type.default_value:
                return candidate
        raise ValueError(f"No valid {what} were found for schema {schema}.")

    def get_statuses(self, schema: str, type_id: str | None = None) -> list[Any]:
        """The statuses objects of entity type *schema* may have (for tasks of
        type *type_id*, that type's workflow override when there is one)."""
        if schema == "Task":
            if type_id is not None:
                for override in self["_overrides"]:
                    if override["type_id"] == type_id:
                        return override["workflow_schema"]["statuses"][:]
            return self["_task_workflow"]["statuses"][:]
        if schema == "AssetVersion":
            return self["_version_workflow"]["statuses"][:]
        found = self._schema_for(schema, "statuses")
        result = self.session.query(
            f"select task_status from SchemaStatus where schema_id is {found['id']}")
        return [item["task_status"] for item in result]

    def get_types(self, schema: str) -> list[Any]:
        """The types objects of entity type *schema* may have."""
        if schema == "Task":
            return self["_task_type_schema"]["types"][:]
        found = self._schema_for(schema, "types")
        result = self.session.query(
            f"select task_type from SchemaType where schema_id is {found['id']}")
        return [item["task_type"] for item in result]
