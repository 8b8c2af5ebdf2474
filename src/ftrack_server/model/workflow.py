"""Workflow configuration: object types, statuses, types, priorities, project schemas."""

from .dsl import Entity, boolean, datetime, ident, integer, key, many, number, ref, string


ObjectType = Entity(
    'ObjectType',
    table='ObjectType',
    attributes=(
        ident(),
        string('icon', default='default'),
        boolean('is_leaf', default=False),
        boolean('is_schedulable', default=False),
        boolean('is_statusable', default=True),
        boolean('is_taskable', default=True),
        boolean('is_time_reportable', default=False),
        boolean('is_typeable', default=True),
        string('name'),
        integer('sort', default=0),
        many('project_schemas', 'ProjectSchema', through='ProjectSchemaObjectType', back='object_type_id', forward='project_schema_id'),
        many('tasks', 'Task', back='object_type_id'),
    ),
    required=('id', 'name', 'icon', 'sort', 'is_time_reportable', 'is_taskable', 'is_typeable', 'is_statusable', 'is_schedulable'),
    immutable=('id',),
    default_projections=('id',),
)


Status = Entity(
    'Status',
    table='Status',
    attributes=(
        ident(),
        string('color'),
        boolean('is_active'),
        string('name'),
        integer('sort', default=0),
        key('state_id', hidden=True),
        ref('state', 'State'),
        many('tasks', 'Task', back='status_id'),
    ),
    required=('id', 'is_active'),
    immutable=('id',),
    default_projections=('id',),
    alias_for='TaskStatus',
)


State = Entity(
    'State',
    table='State',
    attributes=(
        ident(),
        string('name'),
        string('short'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='StatusType',
)


Type = Entity(
    'Type',
    table='Type',
    attributes=(
        ident(),
        string('color', default='#510100'),
        boolean('is_billable', default=True),
        string('name'),
        integer('sort', default=0),
        many('task_type_schemas', 'TaskTypeSchema', through='TaskTypeSchemaType', back='type_id', forward='task_type_schema_id'),
        many('tasks', 'Task', back='type_id'),
    ),
    required=('id', 'color', 'sort', 'is_billable'),
    immutable=('id',),
    default_projections=('id',),
    alias_for='TaskType',
)


Priority = Entity(
    'Priority',
    table='Priority',
    attributes=(
        ident(),
        string('color'),
        string('name'),
        integer('sort', default=0),
        number('value', default=0),
        many('tasks', 'Task', back='priority_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='PriorityType',
)


ProjectSchema = Entity(
    'ProjectSchema',
    table='ProjectSchema',
    attributes=(
        ident(),
        key('asset_version_workflow_schema_id'),
        string('name'),
        key('task_type_schema_id'),
        key('task_workflow_schema_id'),
        ref('_task_type_schema', 'TaskTypeSchema', 'task_type_schema_id'),
        ref('_task_workflow', 'WorkflowSchema', 'task_workflow_schema_id'),
        ref('_version_workflow', 'WorkflowSchema', 'asset_version_workflow_schema_id'),
        ref('asset_version_workflow_schema', 'WorkflowSchema'),
        ref('task_type_schema', 'TaskTypeSchema'),
        ref('task_workflow_schema', 'WorkflowSchema'),
        many('_overrides', 'ProjectSchemaOverride', back='project_schema_id'),
        many('_schemas', 'Schema', back='project_schema_id'),
        many('object_type_schemas', 'Schema', back='project_schema_id'),
        many('object_types', 'ObjectType', through='ProjectSchemaObjectType', back='project_schema_id', forward='object_type_id'),
        many('task_templates', 'TaskTemplate', back='project_schema_id'),
        many('task_workflow_schema_overrides', 'ProjectSchemaOverride', back='project_schema_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='ProjectScheme',
)


ProjectSchemaObjectType = Entity(
    'ProjectSchemaObjectType',
    table='ProjectSchemaObjectType',
    attributes=(
        key('object_type_id'),
        key('project_schema_id'),
        ref('object_type', 'ObjectType'),
        ref('project_schema', 'ProjectSchema'),
    ),
    primary_key=('object_type_id', 'project_schema_id'),
    required=('object_type_id', 'project_schema_id'),
    immutable=('object_type_id', 'project_schema_id'),
    default_projections=('object_type_id', 'project_schema_id'),
)


ProjectSchemaOverride = Entity(
    'ProjectSchemaOverride',
    table='ProjectSchemaOverride',
    attributes=(
        ident(),
        key('project_schema_id'),
        key('type_id'),
        key('workflow_schema_id'),
        ref('workflow_schema', 'WorkflowSchema'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='ProjectSchemeOverride',
)


Schema = Entity(
    'Schema',
    table='Schema',
    attributes=(
        ident(),
        key('object_type_id'),
        key('project_schema_id'),
        key('type_id', column='object_type_id'),
        many('statuses', 'SchemaStatus', back='schema_id'),
        many('types', 'SchemaType', back='schema_id'),
    ),
    required=('id', 'type_id', 'project_schema_id'),
    immutable=('id',),
    default_projections=('id',),
)


SchemaStatus = Entity(
    'SchemaStatus',
    table='SchemaStatus',
    attributes=(
        key('schema_id'),
        integer('sort', default=0),
        key('status_id'),
        ref('task_status', 'Status', 'status_id'),
    ),
    primary_key=('status_id', 'schema_id'),
    required=('status_id', 'schema_id'),
    immutable=('status_id', 'schema_id'),
    default_projections=('status_id', 'schema_id'),
)


SchemaType = Entity(
    'SchemaType',
    table='SchemaType',
    attributes=(
        key('schema_id'),
        integer('sort', default=0),
        key('type_id'),
        ref('task_type', 'Type', 'type_id'),
    ),
    primary_key=('type_id', 'schema_id'),
    required=('type_id', 'schema_id'),
    immutable=('type_id', 'schema_id'),
    default_projections=('type_id', 'schema_id'),
)


WorkflowSchema = Entity(
    'WorkflowSchema',
    table='WorkflowSchema',
    attributes=(
        ident(),
        string('name', default='Workflow Name'),
        many('overrides', 'ProjectSchemaOverride', back='workflow_schema_id'),
        many('statuses', 'Status', through='WorkflowSchemaStatus', back='workflow_schema_id', forward='status_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='WorkflowScheme',
)


WorkflowSchemaStatus = Entity(
    'WorkflowSchemaStatus',
    table='WorkflowSchemaStatus',
    attributes=(
        key('status_id'),
        key('workflow_schema_id'),
    ),
    primary_key=('workflow_schema_id', 'status_id'),
    required=('workflow_schema_id', 'status_id'),
    immutable=('workflow_schema_id', 'status_id'),
    default_projections=('workflow_schema_id', 'status_id'),
)


TaskTypeSchema = Entity(
    'TaskTypeSchema',
    table='TaskTypeSchema',
    attributes=(
        ident(),
        string('name', default='TaskType Schema Name'),
        many('types', 'Type', through='TaskTypeSchemaType', back='task_type_schema_id', forward='type_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='TaskTypeScheme',
)


TaskTypeSchemaType = Entity(
    'TaskTypeSchemaType',
    table='TaskTypeSchemaType',
    attributes=(
        key('task_type_schema_id'),
        key('type_id'),
    ),
    primary_key=('task_type_schema_id', 'type_id'),
    required=('task_type_schema_id', 'type_id'),
    immutable=('task_type_schema_id', 'type_id'),
    default_projections=('task_type_schema_id', 'type_id'),
)


TaskTemplate = Entity(
    'TaskTemplate',
    table='TaskTemplate',
    attributes=(
        ident(),
        string('name'),
        key('project_schema_id'),
        ref('project_schema', 'ProjectSchema'),
        many('items', 'TaskTemplateItem', back='template_id'),
    ),
    required=('id', 'name', 'project_schema_id'),
    immutable=('id',),
    default_projections=('id', 'name'),
)


TaskTemplateItem = Entity(
    'TaskTemplateItem',
    table='TaskTemplateItem',
    attributes=(
        ident(),
        key('task_type_id'),
        key('template_id'),
        ref('task_type', 'Type'),
        ref('template', 'TaskTemplate'),
    ),
    required=('id', 'template_id', 'task_type_id'),
    immutable=('id',),
    default_projections=('id',),
)


StatusChange = Entity(
    'StatusChange',
    table='StatusChange',
    attributes=(
        string('id'),
        string('change_type', hidden=True),
        datetime('date'),
        key('from_status_id'),
        string('parent_id'),
        string('parent_type'),
        key('status_id'),
        key('user_id'),
        ref('from_status', 'Status'),
        ref('status', 'Status'),
        ref('user', 'User'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='Trac',
)


TypedContextStatusChange = Entity(
    'TypedContextStatusChange',
    table='StatusChange',
    attributes=StatusChange.attributes + (
        ref('parent', 'TypedContext'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    classifier=(('change_type', 'task'),),
)


AssetVersionStatusChange = Entity(
    'AssetVersionStatusChange',
    table='StatusChange',
    attributes=StatusChange.attributes + (
        ref('parent', 'AssetVersion'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    classifier=(('change_type', 'assetversion'),),
)
