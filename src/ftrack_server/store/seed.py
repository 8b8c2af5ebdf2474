"""Default data of a fresh server.

:func:`default_rows` lists, in insertion order, every row a new database must
contain so that the official clients work against it (see data-model.md §8 and
http-api.md §7). Rows are ``(entity type, attribute values)`` pairs where the
entity type is a schema id of ``schemas.json`` and the values use public API
attribute names. Relations are given only through their scalar foreign-key
attributes; a row references only rows listed before it.

Ids the sources fix are used verbatim. Every other id is derived with
``uuid.uuid5(NAMESPACE, "<entity type>:<name>")`` so that two servers seeded
independently share the same ids.

One hidden attribute is used: ``Status.state_id`` (the schema exposes the
relation ``Status.state`` but no foreign-key property for it).
"""

from __future__ import annotations

import json
import uuid

__all__ = [
    "NAMESPACE",
    "STORAGE_SCENARIO",
    "stable_id",
    "default_rows",
    # Fixed ids
    "LOCATION_IDS",
    "USER_TYPE_ID",
    "STATE_NOT_STARTED_ID",
    "STATUS_NOT_STARTED_ID",
    "PRIORITY_DEFAULT_ID",
    "OBJECT_TYPE_IDS",
    "ADMIN_USER_ID",
    "PROJECT_SCHEMA_ID",
]

#: Namespace of all derived seed ids (never change it: ids must stay stable).
NAMESPACE = uuid.UUID("80638c24-dd57-5040-a427-a9a6f944a952")


def stable_id(entity_type: str, name: str) -> str:
    """Return the stable id of the seed row *name* of *entity_type*."""
    return str(uuid.uuid5(NAMESPACE, f"{entity_type}:{name}"))


# ---------------------------------------------------------------------------
# Fixed ids (data-model.md §8, http-api.md §7.1)
# ---------------------------------------------------------------------------

LOCATION_IDS: dict[str, str] = {
    "ftrack.origin": "ce9b348f-8809-11e3-821c-20c9d081909b",
    "ftrack.unmanaged": "cb268ecc-8809-11e3-a7e2-20c9d081909b",
    "ftrack.review": "cd41be70-8809-11e3-b98a-20c9d081909b",
    "ftrack.connect": "07b82a97-8cf9-11e3-9383-20c9d081909b",
    "ftrack.server": "3a372bde-05bc-11e4-8908-20c9d081909b",
}

USER_TYPE_ID = "ac9fa5aa-4361-11e0-b7cc-0019bb4983d8"
STATE_NOT_STARTED_ID = "6c59abf8-4dbf-11e1-9902-f23c91df25eb"
STATUS_NOT_STARTED_ID = "014a40a6-4e65-11e1-b8af-f23c91df25eb"
PRIORITY_DEFAULT_ID = "9661b320-3a0c-11e2-81c1-0800200c9a66"

OBJECT_TYPE_IDS: dict[str, str] = {
    "Task": "11c137c0-ee7e-4f9c-91c5-8c77cec22b2c",
    "Milestone": "01decdd1-51cb-11e3-9d5b-20c9d0831e59",
    "Shot": "bad911de-3bd6-47b9-8b46-3476e237cb36",
    "Sequence": "e5139355-61da-4c8f-9db4-3abc870166bc",
    "Episode": "22139355-61da-4c8f-9db4-3abc870166bc",
    "Folder": "3c133785-51cb-11e3-980a-20c9d0831e59",
    "Asset Build": "4be63b64-5010-42fb-bf1f-428af9d638f0",
}

#: The admin user's id does not depend on the configured username.
ADMIN_USER_ID = stable_id("User", "admin")

PROJECT_SCHEMA_NAME = "VFX Scheme"
PROJECT_SCHEMA_ID = stable_id("ProjectSchema", PROJECT_SCHEMA_NAME)

#: Value of the ``storage_scenario`` setting (http-api.md §7.2).
STORAGE_SCENARIO = {"scenario": "ftrack.automatic", "data": {}}


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

# (name, short)
_STATES = [
    ("Not started", "NOT_STARTED"),
    ("In progress", "IN_PROGRESS"),
    ("Done", "DONE"),
    ("Blocked", "BLOCKED"),
]

# (name, state name, colour). List order is the `sort` order. Pending sorts
# before Approved so that new asset versions default to Pending (clients take
# the first status of the version workflow ordered by sort).
_STATUSES = [
    ("Not started", "Not started", "#C0C0C0"),
    ("In progress", "In progress", "#4A90D9"),
    ("Awaiting approval", "In progress", "#F5A623"),
    ("Pending", "In progress", "#F8E71C"),
    ("Approved", "Done", "#7ED321"),
    ("Completed", "Done", "#1CBC90"),
    ("Normal", "Not started", "#9B9B9B"),
    ("On Hold", "Blocked", "#D0021B"),
    ("Omitted", "Done", "#4A4A4A"),
]

# (name, icon, statusable, typeable, schedulable, time reportable, leaf).
# List order is the `sort` order (data-model.md §8.4).
_OBJECT_TYPES = [
    ("Task", "task", True, True, True, True, True),
    ("Milestone", "milestone", True, True, True, False, True),
    ("Shot", "shot", True, False, False, False, False),
    ("Sequence", "sequence", False, False, False, False, False),
    ("Episode", "episode", False, False, False, False, False),
    ("Folder", "folder", False, False, False, False, False),
    ("Asset Build", "assetbuild", True, True, False, False, False),
]
_NOT_TASKABLE = {"Task", "Milestone"}

# (name, value, colour)
_PRIORITIES = [
    ("None", 0, "#CCCCCC"),
    ("Low", 1, "#7ED321"),
    ("Medium", 2, "#F8E71C"),
    ("High", 3, "#F5A623"),
    ("Urgent", 4, "#D0021B"),
]

# (name, colour). List order is the `sort` order; Generic first.
_VFX_TASK_TYPES = [
    ("Generic", "#BBBBBB"),
    ("Animation", "#4CAF50"),
    ("Modeling", "#2196F3"),
    ("Previz", "#9C27B0"),
    ("Lookdev", "#E91E63"),
    ("Hair", "#795548"),
    ("Cloth", "#00BCD4"),
    ("FX", "#FF5722"),
    ("Lighting", "#FFC107"),
    ("Compositing", "#3F51B5"),
    ("Tracking", "#8BC34A"),
    ("Rigging", "#607D8B"),
]
_ASSET_BUILD_TYPES = [
    ("Character", "#AB47BC"),
    ("Prop", "#26A69A"),
    ("Environment", "#66BB6A"),
    ("Matte Painting", "#FFA726"),
]
_MILESTONE_TYPES = [
    ("Deliverable", "#EF5350"),
]
_TYPES = _VFX_TASK_TYPES + _ASSET_BUILD_TYPES + _MILESTONE_TYPES

_TASK_WORKFLOW = ("VFX Task Workflow",
                  ["Not started", "In progress", "Awaiting approval", "Approved"])
_VERSION_WORKFLOW = ("VFX Version Workflow", ["Pending", "Approved"])
_TASK_TYPE_SCHEMA = "VFX Task Types"

# Per object type schemas of the VFX project schema: object type name ->
# (statuses, types), each in `sort` order.
_OBJECT_SCHEMAS = [
    ("Shot", ["Normal", "Omitted", "On Hold"], []),
    ("Asset Build", ["Normal", "Omitted", "On Hold"],
     [name for name, _ in _ASSET_BUILD_TYPES]),
    ("Milestone", ["Not started", "In progress", "Completed"],
     [name for name, _ in _MILESTONE_TYPES]),
]

# (template name, task type names)
_TASK_TEMPLATES = [
    ("Modeling", ["Modeling", "Rigging"]),
]

# (name, short)
_ASSET_TYPES = [
    ("Geometry", "geo"),
    ("Upload", "upload"),
    ("Image", "img"),
    ("Animation", "anim"),
    ("Camera", "cam"),
    ("Rig", "rig"),
    ("Scene", "scene"),
    ("Texture", "texture"),
]

# (name, colour)
_NOTE_CATEGORIES = [
    ("Default", "#9E9E9E"),
    ("External Note", "#2196F3"),
    ("Internal", "#FF9800"),
    ("Client feedback", "#E91E63"),
]

_LIST_CATEGORIES = ["Default", "Dailies", "Client"]

_CUSTOM_ATTRIBUTE_TYPES = [
    "text",
    "number",
    "boolean",
    "date",
    "enumerator",
    "dynamic enumerator",
    "expression",
    "url",
]

_CUSTOM_ATTRIBUTE_GROUPS = ["General"]

# (name, security role type)
_SECURITY_ROLES = [
    ("Administrator", "PROJECT"),
    ("Project Manager", "PROJECT"),
    ("User", "PROJECT"),
    ("API", "API"),
    ("Assigned", "ASSIGNED"),
]

# (name, label, description)
_LOCATIONS = [
    ("ftrack.origin", "Origin",
     "Files at their original place on the local file system."),
    ("ftrack.unmanaged", "Unmanaged",
     "Files whose paths are recorded but whose data is not managed."),
    ("ftrack.review", "Review",
     "Web-playable review media."),
    ("ftrack.connect", "Connect",
     "Files registered by ftrack Connect."),
    ("ftrack.server", "Server",
     "Files stored on this server."),
]

_MANAGER_TYPES = ["Supervisor", "Coordinator"]

_DISKS = [
    # (name, unix, windows)
    ("Default", "/projects", "P:\\projects"),
]


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


def default_rows(admin_username: str) -> list[tuple[str, dict]]:
    """Rows of a fresh server, in insertion order: (entity type, attribute values).

    Every call builds new dictionaries, so callers may mutate the result.
    """
    rows: list[tuple[str, dict]] = []

    def add(entity_type: str, **values) -> dict:
        rows.append((entity_type, values))
        return values

    # States and statuses -----------------------------------------------------
    state_ids = {}
    for name, short in _STATES:
        state_id = (STATE_NOT_STARTED_ID if short == "NOT_STARTED"
                    else stable_id("State", name))
        state_ids[name] = state_id
        add("State", id=state_id, name=name, short=short)

    status_ids = {}
    for sort, (name, state, color) in enumerate(_STATUSES):
        status_id = (STATUS_NOT_STARTED_ID if name == "Not started"
                     else stable_id("Status", name))
        status_ids[name] = status_id
        add("Status", id=status_id, name=name, color=color, sort=sort,
            is_active=True, state_id=state_ids[state])

    # Object types ------------------------------------------------------------
    for sort, (name, icon, statusable, typeable, schedulable, reportable,
               leaf) in enumerate(_OBJECT_TYPES):
        add("ObjectType", id=OBJECT_TYPE_IDS[name], name=name, icon=icon,
            sort=sort, is_statusable=statusable, is_typeable=typeable,
            is_schedulable=schedulable, is_time_reportable=reportable,
            is_leaf=leaf, is_taskable=name not in _NOT_TASKABLE)

    # Priorities --------------------------------------------------------------
    for sort, (name, value, color) in enumerate(_PRIORITIES):
        priority_id = (PRIORITY_DEFAULT_ID if sort == 0
                       else stable_id("Priority", name))
        add("Priority", id=priority_id, name=name, value=value, sort=sort,
            color=color)

    # Types -------------------------------------------------------------------
    type_ids = {}
    for sort, (name, color) in enumerate(_TYPES):
        type_ids[name] = stable_id("Type", name)
        add("Type", id=type_ids[name], name=name, color=color, sort=sort,
            is_billable=True)

    # Workflows ---------------------------------------------------------------
    workflow_ids = {}
    for name, statuses in (_TASK_WORKFLOW, _VERSION_WORKFLOW):
        workflow_ids[name] = stable_id("WorkflowSchema", name)
        add("WorkflowSchema", id=workflow_ids[name], name=name)
        for status in statuses:
            add("WorkflowSchemaStatus", workflow_schema_id=workflow_ids[name],
                status_id=status_ids[status])

    task_type_schema_id = stable_id("TaskTypeSchema", _TASK_TYPE_SCHEMA)
    add("TaskTypeSchema", id=task_type_schema_id, name=_TASK_TYPE_SCHEMA)
    for name, _ in _VFX_TASK_TYPES:
        add("TaskTypeSchemaType", task_type_schema_id=task_type_schema_id,
            type_id=type_ids[name])

    # Project schema "VFX Scheme" ----------------------------------------------
    add("ProjectSchema", id=PROJECT_SCHEMA_ID, name=PROJECT_SCHEMA_NAME,
        task_workflow_schema_id=workflow_ids[_TASK_WORKFLOW[0]],
        asset_version_workflow_schema_id=workflow_ids[_VERSION_WORKFLOW[0]],
        task_type_schema_id=task_type_schema_id)

    for name, *_ in _OBJECT_TYPES:
        add("ProjectSchemaObjectType", project_schema_id=PROJECT_SCHEMA_ID,
            object_type_id=OBJECT_TYPE_IDS[name])

    for object_type, statuses, types in _OBJECT_SCHEMAS:
        schema_id = stable_id("Schema", f"{PROJECT_SCHEMA_NAME}/{object_type}")
        # `type_id` is the same column as `object_type_id`: set one only.
        add("Schema", id=schema_id, project_schema_id=PROJECT_SCHEMA_ID,
            object_type_id=OBJECT_TYPE_IDS[object_type])
        for sort, status in enumerate(statuses):
            add("SchemaStatus", schema_id=schema_id,
                status_id=status_ids[status], sort=sort)
        for sort, type_name in enumerate(types):
            add("SchemaType", schema_id=schema_id, type_id=type_ids[type_name],
                sort=sort)

    for template, items in _TASK_TEMPLATES:
        template_id = stable_id("TaskTemplate",
                                f"{PROJECT_SCHEMA_NAME}/{template}")
        add("TaskTemplate", id=template_id, name=template,
            project_schema_id=PROJECT_SCHEMA_ID)
        for type_name in items:
            add("TaskTemplateItem",
                id=stable_id("TaskTemplateItem",
                             f"{PROJECT_SCHEMA_NAME}/{template}/{type_name}"),
                template_id=template_id, task_type_id=type_ids[type_name])

    # Asset types and categories ----------------------------------------------
    for name, short in _ASSET_TYPES:
        add("AssetType", id=stable_id("AssetType", name), name=name,
            short=short, component="main")

    for sort, (name, color) in enumerate(_NOTE_CATEGORIES):
        add("NoteCategory", id=stable_id("NoteCategory", name), name=name,
            color=color, sort=sort)

    for name in _LIST_CATEGORIES:
        add("ListCategory", id=stable_id("ListCategory", name), name=name)

    # Custom attribute configuration ------------------------------------------
    for name in _CUSTOM_ATTRIBUTE_TYPES:
        add("CustomAttributeType", id=stable_id("CustomAttributeType", name),
            name=name, core=True)

    for name in _CUSTOM_ATTRIBUTE_GROUPS:
        add("CustomAttributeGroup", id=stable_id("CustomAttributeGroup", name),
            name=name)

    # Security, users -----------------------------------------------------------
    role_ids = {}
    for name, role_type in _SECURITY_ROLES:
        role_ids[name] = stable_id("SecurityRole", name)
        add("SecurityRole", id=role_ids[name], name=name, type=role_type)

    add("UserType", id=USER_TYPE_ID, name="user")

    add("User", id=ADMIN_USER_ID, username=admin_username,
        first_name="Admin", last_name="", email="", is_active=True,
        is_otp_enabled=False, is_totp_enabled=False,
        require_details_update=False, resource_type="user",
        user_type_id=USER_TYPE_ID)

    add("UserSecurityRole",
        id=stable_id("UserSecurityRole", "admin/Administrator"),
        user_id=ADMIN_USER_ID, security_role_id=role_ids["Administrator"],
        is_all_projects=True, is_all_open_projects=True)

    # Locations and storage -----------------------------------------------------
    for name, label, description in _LOCATIONS:
        add("Location", id=LOCATION_IDS[name], name=name, label=label,
            description=description)

    add("Setting", name="storage_scenario", group="STORAGE",
        value=json.dumps(STORAGE_SCENARIO))

    for name, unix, windows in _DISKS:
        add("Disk", id=stable_id("Disk", name), name=name, unix=unix,
            windows=windows)

    # Misc ----------------------------------------------------------------------
    for name in _MANAGER_TYPES:
        add("ManagerType", id=stable_id("ManagerType", name), name=name)

    return rows
