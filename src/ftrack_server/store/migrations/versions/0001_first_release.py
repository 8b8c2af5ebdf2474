"""First release: the schema of openftrack 0.1.0.

Frozen: later schema changes are new revisions, never edits here.

Revision ID: 0001
Revises: -
Create Date: 2026-11-24 14:11:13.769686
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('Appointment',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('resource_id', sa.String(length=64), nullable=True),
    sa.Column('type', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Appointment_key')
    )
    op.create_index('ix_Appointment_context_id', 'Appointment', ['context_id'])
    op.create_index('ix_Appointment_resource_id', 'Appointment', ['resource_id'])

    op.create_table('Asset',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Asset_key')
    )
    op.create_index('ix_Asset_context_id', 'Asset', ['context_id'])
    op.create_index('ix_Asset_type_id', 'Asset', ['type_id'])

    op.create_table('AssetType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('component', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('short', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_AssetType_key')
    )
    op.create_table('AssetVersion',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('asset_id', sa.String(length=64), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('is_latest_version', sa.Boolean(), nullable=True),
    sa.Column('is_published', sa.Boolean(), nullable=True),
    sa.Column('status_id', sa.String(length=64), nullable=True),
    sa.Column('task_id', sa.String(length=64), nullable=True),
    sa.Column('thumbnail_id', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_AssetVersion_key')
    )
    op.create_index('ix_AssetVersion_asset_id', 'AssetVersion', ['asset_id'])
    op.create_index('ix_AssetVersion_status_id', 'AssetVersion', ['status_id'])
    op.create_index('ix_AssetVersion_task_id', 'AssetVersion', ['task_id'])
    op.create_index('ix_AssetVersion_thumbnail_id', 'AssetVersion', ['thumbnail_id'])
    op.create_index('ix_AssetVersion_user_id', 'AssetVersion', ['user_id'])

    op.create_table('AssetVersionLink',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('from_id', sa.String(length=64), nullable=True),
    sa.Column('to_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_AssetVersionLink_key')
    )
    op.create_index('ix_AssetVersionLink_from_id', 'AssetVersionLink', ['from_id'])
    op.create_index('ix_AssetVersionLink_to_id', 'AssetVersionLink', ['to_id'])

    op.create_table('Component',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('container_id', sa.String(length=64), nullable=True),
    sa.Column('file_type', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('system_type', sa.Text(), nullable=True),
    sa.Column('version_id', sa.String(length=64), nullable=True),
    sa.Column('padding', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Component_key')
    )
    op.create_index('ix_Component_container_id', 'Component', ['container_id'])
    op.create_index('ix_Component_version_id', 'Component', ['version_id'])

    op.create_table('ComponentLocation',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('component_id', sa.String(length=64), nullable=True),
    sa.Column('location_id', sa.String(length=64), nullable=True),
    sa.Column('resource_identifier', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ComponentLocation_key')
    )
    op.create_index('ix_ComponentLocation_component_id', 'ComponentLocation', ['component_id'])
    op.create_index('ix_ComponentLocation_location_id', 'ComponentLocation', ['location_id'])

    op.create_table('ConfigurationReadRole',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('configuration_id', sa.String(length=64), nullable=True),
    sa.Column('security_role_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('configuration_id', 'security_role_id', name='uq_ConfigurationReadRole_key')
    )
    op.create_index('ix_ConfigurationReadRole_security_role_id', 'ConfigurationReadRole', ['security_role_id'])

    op.create_table('ConfigurationWriteRole',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('configuration_id', sa.String(length=64), nullable=True),
    sa.Column('security_role_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('configuration_id', 'security_role_id', name='uq_ConfigurationWriteRole_key')
    )
    op.create_index('ix_ConfigurationWriteRole_security_role_id', 'ConfigurationWriteRole', ['security_role_id'])

    op.create_table('ContextAncestor',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('ancestor_id', sa.String(length=64), nullable=True),
    sa.Column('descendant_id', sa.String(length=64), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('ancestor_id', 'descendant_id', name='uq_ContextAncestor_key')
    )
    op.create_index('ix_ContextAncestor_descendant_id', 'ContextAncestor', ['descendant_id'])

    op.create_table('ContextScope',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('scope_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('context_id', 'scope_id', name='uq_ContextScope_key')
    )
    op.create_index('ix_ContextScope_scope_id', 'ContextScope', ['scope_id'])

    op.create_table('CustomAttributeConfiguration',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('config', sa.Text(), nullable=True),
    sa.Column('core', sa.Boolean(), nullable=True),
    sa.Column('default', sa.JSON(), nullable=True),
    sa.Column('entity_type', sa.Text(), nullable=True),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('is_hierarchical', sa.Boolean(), nullable=True),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('object_type_id', sa.String(length=64), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.Column('_default_text', sa.Text(), nullable=True),
    sa.Column('_default_number', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_CustomAttributeConfiguration_key')
    )
    op.create_index('ix_CustomAttributeConfiguration_group_id', 'CustomAttributeConfiguration', ['group_id'])
    op.create_index('ix_CustomAttributeConfiguration_object_type_id', 'CustomAttributeConfiguration', ['object_type_id'])
    op.create_index('ix_CustomAttributeConfiguration_project_id', 'CustomAttributeConfiguration', ['project_id'])
    op.create_index('ix_CustomAttributeConfiguration_type_id', 'CustomAttributeConfiguration', ['type_id'])

    op.create_table('CustomAttributeGroup',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_CustomAttributeGroup_key')
    )
    op.create_table('CustomAttributeType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('core', sa.Boolean(), nullable=True),
    sa.Column('form_config', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_CustomAttributeType_key')
    )
    op.create_table('CustomAttributeValue',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('configuration_id', sa.String(length=64), nullable=True),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('value_family', sa.Text(), nullable=True),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('_text', sa.Text(), nullable=True),
    sa.Column('_number', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('configuration_id', 'entity_id', name='uq_CustomAttributeValue_key')
    )
    op.create_index('ix_CustomAttributeValue_entity_id', 'CustomAttributeValue', ['entity_id'])

    op.create_table('Disk',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('unix', sa.Text(), nullable=True),
    sa.Column('windows', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Disk_key')
    )
    op.create_table('Job',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('data', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('type', sa.Text(), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Job_key')
    )
    op.create_index('ix_Job_user_id', 'Job', ['user_id'])

    op.create_table('JobComponent',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('component_id', sa.String(length=64), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('component_id', 'job_id', name='uq_JobComponent_key')
    )
    op.create_index('ix_JobComponent_job_id', 'JobComponent', ['job_id'])

    op.create_table('List',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('category_id', sa.String(length=64), nullable=True),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('is_open', sa.Boolean(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('system_type', sa.Text(), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_List_key')
    )
    op.create_index('ix_List_category_id', 'List', ['category_id'])
    op.create_index('ix_List_project_id', 'List', ['project_id'])
    op.create_index('ix_List_user_id', 'List', ['user_id'])

    op.create_table('ListCategory',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ListCategory_key')
    )
    op.create_table('ListObject',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('list_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ListObject_key')
    )
    op.create_index('ix_ListObject_entity_id', 'ListObject', ['entity_id'])
    op.create_index('ix_ListObject_list_id', 'ListObject', ['list_id'])

    op.create_table('Location',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Location_key')
    )
    op.create_table('Manager',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Manager_key')
    )
    op.create_index('ix_Manager_context_id', 'Manager', ['context_id'])
    op.create_index('ix_Manager_type_id', 'Manager', ['type_id'])
    op.create_index('ix_Manager_user_id', 'Manager', ['user_id'])

    op.create_table('ManagerType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ManagerType_key')
    )
    op.create_table('Membership',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Membership_key')
    )
    op.create_index('ix_Membership_group_id', 'Membership', ['group_id'])
    op.create_index('ix_Membership_user_id', 'Membership', ['user_id'])

    op.create_table('Metadata',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('parent_type', sa.Text(), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('parent_id', 'key', name='uq_Metadata_key')
    )
    op.create_table('Note',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('category_id', sa.String(length=64), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by_id', sa.String(length=64), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('in_reply_to_id', sa.String(length=64), nullable=True),
    sa.Column('is_todo', sa.Boolean(), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('parent_type', sa.Text(), nullable=True),
    sa.Column('thread_activity', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Note_key')
    )
    op.create_index('ix_Note_category_id', 'Note', ['category_id'])
    op.create_index('ix_Note_completed_by_id', 'Note', ['completed_by_id'])
    op.create_index('ix_Note_in_reply_to_id', 'Note', ['in_reply_to_id'])
    op.create_index('ix_Note_parent_id', 'Note', ['parent_id'])
    op.create_index('ix_Note_user_id', 'Note', ['user_id'])

    op.create_table('NoteCategory',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('color', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_NoteCategory_key')
    )
    op.create_table('NoteComponent',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('component_id', sa.String(length=64), nullable=True),
    sa.Column('note_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('component_id', 'note_id', name='uq_NoteComponent_key')
    )
    op.create_index('ix_NoteComponent_note_id', 'NoteComponent', ['note_id'])

    op.create_table('NoteLabelLink',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('label_id', sa.String(length=64), nullable=True),
    sa.Column('note_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('note_id', 'label_id', name='uq_NoteLabelLink_key')
    )
    op.create_index('ix_NoteLabelLink_label_id', 'NoteLabelLink', ['label_id'])

    op.create_table('ObjectType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('icon', sa.Text(), nullable=True),
    sa.Column('is_leaf', sa.Boolean(), nullable=True),
    sa.Column('is_schedulable', sa.Boolean(), nullable=True),
    sa.Column('is_statusable', sa.Boolean(), nullable=True),
    sa.Column('is_taskable', sa.Boolean(), nullable=True),
    sa.Column('is_time_reportable', sa.Boolean(), nullable=True),
    sa.Column('is_typeable', sa.Boolean(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ObjectType_key')
    )
    op.create_table('Priority',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('color', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Priority_key')
    )
    op.create_table('ProjectSchema',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('asset_version_workflow_schema_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('task_type_schema_id', sa.String(length=64), nullable=True),
    sa.Column('task_workflow_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ProjectSchema_key')
    )
    op.create_index('ix_ProjectSchema_asset_version_workflow_schema_id', 'ProjectSchema', ['asset_version_workflow_schema_id'])
    op.create_index('ix_ProjectSchema_task_type_schema_id', 'ProjectSchema', ['task_type_schema_id'])
    op.create_index('ix_ProjectSchema_task_workflow_schema_id', 'ProjectSchema', ['task_workflow_schema_id'])

    op.create_table('ProjectSchemaObjectType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('object_type_id', sa.String(length=64), nullable=True),
    sa.Column('project_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('object_type_id', 'project_schema_id', name='uq_ProjectSchemaObjectType_key')
    )
    op.create_index('ix_ProjectSchemaObjectType_project_schema_id', 'ProjectSchemaObjectType', ['project_schema_id'])

    op.create_table('ProjectSchemaOverride',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('project_schema_id', sa.String(length=64), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.Column('workflow_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_ProjectSchemaOverride_key')
    )
    op.create_index('ix_ProjectSchemaOverride_project_schema_id', 'ProjectSchemaOverride', ['project_schema_id'])
    op.create_index('ix_ProjectSchemaOverride_type_id', 'ProjectSchemaOverride', ['type_id'])
    op.create_index('ix_ProjectSchemaOverride_workflow_schema_id', 'ProjectSchemaOverride', ['workflow_schema_id'])

    op.create_table('Recipient',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('note_id', sa.String(length=64), nullable=True),
    sa.Column('resource_id', sa.String(length=64), nullable=True),
    sa.Column('text_mentioned', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('note_id', 'resource_id', name='uq_Recipient_key')
    )
    op.create_index('ix_Recipient_resource_id', 'Recipient', ['resource_id'])

    op.create_table('Resource',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('resource_type', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('first_name', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=True),
    sa.Column('is_otp_enabled', sa.Boolean(), nullable=True),
    sa.Column('is_totp_enabled', sa.Boolean(), nullable=True),
    sa.Column('last_name', sa.Text(), nullable=True),
    sa.Column('require_details_update', sa.Boolean(), nullable=True),
    sa.Column('thumbnail_id', sa.String(length=64), nullable=True),
    sa.Column('user_type_id', sa.String(length=64), nullable=True),
    sa.Column('username', sa.Text(), nullable=True),
    sa.Column('local', sa.Boolean(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Resource_key')
    )
    op.create_index('ix_Resource_parent_id', 'Resource', ['parent_id'])
    op.create_index('ix_Resource_thumbnail_id', 'Resource', ['thumbnail_id'])
    op.create_index('ix_Resource_user_type_id', 'Resource', ['user_type_id'])

    op.create_table('Schema',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('object_type_id', sa.String(length=64), nullable=True),
    sa.Column('project_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Schema_key')
    )
    op.create_index('ix_Schema_object_type_id', 'Schema', ['object_type_id'])
    op.create_index('ix_Schema_project_schema_id', 'Schema', ['project_schema_id'])

    op.create_table('SchemaStatus',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('schema_id', sa.String(length=64), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.Column('status_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('status_id', 'schema_id', name='uq_SchemaStatus_key')
    )
    op.create_index('ix_SchemaStatus_schema_id', 'SchemaStatus', ['schema_id'])

    op.create_table('SchemaType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('schema_id', sa.String(length=64), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('type_id', 'schema_id', name='uq_SchemaType_key')
    )
    op.create_index('ix_SchemaType_schema_id', 'SchemaType', ['schema_id'])

    op.create_table('Scope',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Scope_key')
    )
    op.create_table('SecurityRole',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('type', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_SecurityRole_key')
    )
    op.create_index('ix_SecurityRole_type', 'SecurityRole', ['type'])

    op.create_table('Setting',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('group', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('name', 'group', name='uq_Setting_key')
    )
    op.create_table('State',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('short', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_State_key')
    )
    op.create_table('Status',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('color', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.Column('state_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Status_key')
    )
    op.create_index('ix_Status_state_id', 'Status', ['state_id'])

    op.create_table('StatusChange',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('change_type', sa.Text(), nullable=True),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('from_status_id', sa.String(length=64), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('parent_type', sa.Text(), nullable=True),
    sa.Column('status_id', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_StatusChange_key')
    )
    op.create_index('ix_StatusChange_from_status_id', 'StatusChange', ['from_status_id'])
    op.create_index('ix_StatusChange_parent_id', 'StatusChange', ['parent_id'])
    op.create_index('ix_StatusChange_status_id', 'StatusChange', ['status_id'])
    op.create_index('ix_StatusChange_user_id', 'StatusChange', ['user_id'])

    op.create_table('TaskTemplate',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('project_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_TaskTemplate_key')
    )
    op.create_index('ix_TaskTemplate_project_schema_id', 'TaskTemplate', ['project_schema_id'])

    op.create_table('TaskTemplateItem',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('task_type_id', sa.String(length=64), nullable=True),
    sa.Column('template_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_TaskTemplateItem_key')
    )
    op.create_index('ix_TaskTemplateItem_task_type_id', 'TaskTemplateItem', ['task_type_id'])
    op.create_index('ix_TaskTemplateItem_template_id', 'TaskTemplateItem', ['template_id'])

    op.create_table('TaskTypeSchema',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_TaskTypeSchema_key')
    )
    op.create_table('TaskTypeSchemaType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('task_type_schema_id', sa.String(length=64), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('task_type_schema_id', 'type_id', name='uq_TaskTypeSchemaType_key')
    )
    op.create_index('ix_TaskTypeSchemaType_type_id', 'TaskTypeSchemaType', ['type_id'])

    op.create_table('Timelog',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('start', sa.DateTime(), nullable=True),
    sa.Column('time_zone_offset', sa.Float(), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Timelog_key')
    )
    op.create_index('ix_Timelog_context_id', 'Timelog', ['context_id'])
    op.create_index('ix_Timelog_user_id', 'Timelog', ['user_id'])

    op.create_table('Timer',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('context_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('start', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Timer_key')
    )
    op.create_index('ix_Timer_context_id', 'Timer', ['context_id'])
    op.create_index('ix_Timer_user_id', 'Timer', ['user_id'])

    op.create_table('Type',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('color', sa.Text(), nullable=True),
    sa.Column('is_billable', sa.Boolean(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('sort', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_Type_key')
    )
    op.create_table('TypedContextLink',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('from_id', sa.String(length=64), nullable=True),
    sa.Column('to_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_TypedContextLink_key')
    )
    op.create_index('ix_TypedContextLink_from_id', 'TypedContextLink', ['from_id'])
    op.create_index('ix_TypedContextLink_to_id', 'TypedContextLink', ['to_id'])

    op.create_table('UserSecurityRole',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('is_all_open_projects', sa.Boolean(), nullable=True),
    sa.Column('is_all_projects', sa.Boolean(), nullable=True),
    sa.Column('security_role_id', sa.String(length=64), nullable=True),
    sa.Column('user_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_UserSecurityRole_key')
    )
    op.create_index('ix_UserSecurityRole_security_role_id', 'UserSecurityRole', ['security_role_id'])
    op.create_index('ix_UserSecurityRole_user_id', 'UserSecurityRole', ['user_id'])

    op.create_table('UserSecurityRoleProject',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('user_security_role_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_UserSecurityRoleProject_key')
    )
    op.create_index('ix_UserSecurityRoleProject_project_id', 'UserSecurityRoleProject', ['project_id'])
    op.create_index('ix_UserSecurityRoleProject_user_security_role_id', 'UserSecurityRoleProject', ['user_security_role_id'])

    op.create_table('UserType',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_UserType_key')
    )
    op.create_table('WorkflowSchema',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_WorkflowSchema_key')
    )
    op.create_table('WorkflowSchemaStatus',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('status_id', sa.String(length=64), nullable=True),
    sa.Column('workflow_schema_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('workflow_schema_id', 'status_id', name='uq_WorkflowSchemaStatus_key')
    )
    op.create_index('ix_WorkflowSchemaStatus_status_id', 'WorkflowSchemaStatus', ['status_id'])

    op.create_table('_api_key',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index('ix__api_key_user_id', '_api_key', ['user_id'])

    op.create_table('context',
    sa.Column('_rowid', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=64), nullable=True),
    sa.Column('context_type', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('thumbnail_id', sa.String(length=64), nullable=True),
    sa.Column('color', sa.Text(), nullable=True),
    sa.Column('disk_id', sa.String(length=64), nullable=True),
    sa.Column('end_date', sa.DateTime(), nullable=True),
    sa.Column('full_name', sa.Text(), nullable=True),
    sa.Column('is_global', sa.Boolean(), nullable=True),
    sa.Column('is_private', sa.Boolean(), nullable=True),
    sa.Column('project_schema_id', sa.String(length=64), nullable=True),
    sa.Column('root', sa.Text(), nullable=True),
    sa.Column('start_date', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('bid', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('object_type_id', sa.String(length=64), nullable=True),
    sa.Column('priority_id', sa.String(length=64), nullable=True),
    sa.Column('sort', sa.Float(), nullable=True),
    sa.Column('status_id', sa.String(length=64), nullable=True),
    sa.Column('type_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('_rowid'),
    sa.UniqueConstraint('id', name='uq_context_key')
    )
    op.create_index('ix_context_created_by_id', 'context', ['created_by_id'])
    op.create_index('ix_context_disk_id', 'context', ['disk_id'])
    op.create_index('ix_context_object_type_id', 'context', ['object_type_id'])
    op.create_index('ix_context_parent_id', 'context', ['parent_id'])
    op.create_index('ix_context_priority_id', 'context', ['priority_id'])
    op.create_index('ix_context_project_id', 'context', ['project_id'])
    op.create_index('ix_context_project_schema_id', 'context', ['project_schema_id'])
    op.create_index('ix_context_project_type', 'context', ['project_id', 'object_type_id'])
    op.create_index('ix_context_status_id', 'context', ['status_id'])
    op.create_index('ix_context_thumbnail_id', 'context', ['thumbnail_id'])
    op.create_index('ix_context_type_id', 'context', ['type_id'])
    op.create_index('ix_context_sibling_name', 'context', ['parent_id', sa.text('lower(name)')])


def downgrade() -> None:
    raise NotImplementedError("The first revision cannot be undone; restore a dump instead.")
