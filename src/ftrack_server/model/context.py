"""Contexts: projects, the typed context tree, and what hangs off it."""

from .dsl import Computed, Entity, boolean, datetime, derive, ident, key, many, number, ref, string


Context = Entity(
    'Context',
    table='context',
    attributes=(
        ident(),
        string('context_type'),
        datetime('created_at'),
        key('created_by_id'),
        string('name', default=''),
        key('parent_id'),
        key('project_id'),
        key('thumbnail_id'),
        ref('created_by', 'User'),
        ref('parent', 'Context'),
        ref('thumbnail', 'Component'),
        many('allocations', 'Appointment', back='context_id', where=(('type', 'allocation'),), readonly=True),
        many('appointments', 'Appointment', back='context_id'),
        many('assets', 'Asset', back='context_id'),
        many('assignments', 'Appointment', back='context_id', where=(('type', 'assignment'),), readonly=True),
        many('children', 'Context', back='parent_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'ContextCustomAttributeValue', back='entity_id', mapped=True),
        many('managers', 'Manager', back='context_id'),
        many('notes', 'Note', back='parent_id'),
        many('scopes', 'Scope', through='ContextScope', back='context_id', forward='scope_id'),
        many('timelogs', 'Timelog', back='context_id'),
        Computed('_link', 'string'),
        Computed('link', 'string'),
        Computed('thumbnail_url', 'object'),
    ),
    required=('context_type', 'id', 'name'),
    immutable=('id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    computed=('thumbnail_url',),
    default_projections=('context_type', 'id', 'name'),
    system_projections=('context_type',),
    always=('context_type',),
    abstract=True,
)


Project = Entity(
    'Project',
    table='context',
    attributes=Context.attributes + (
        string('color'),
        key('disk_id'),
        datetime('end_date'),
        string('full_name'),
        boolean('is_global', default=False),
        boolean('is_private', default=False),
        key('project_schema_id'),
        string('root'),
        datetime('start_date'),
        string('status'),
        ref('disk', 'Disk'),
        ref('project_schema', 'ProjectSchema'),
        many('calendar_events', 'CalendarEvent', back='project_id'),
        many('descendants', 'TypedContext', through='ContextAncestor', back='ancestor_id', forward='descendant_id', readonly=True),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('review_sessions', 'ReviewSession', back='project_id'),
        many('user_security_role_projects', 'UserSecurityRoleProject', back='project_id'),
    ),
    required=('is_global', 'status', 'project_schema_id', 'context_type', 'id', 'name'),
    immutable=('id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    computed=('thumbnail_url',),
    default_projections=('context_type', 'id', 'name'),
    system_projections=('context_type',),
    always=('context_type',),
    classifier=(('context_type', 'show'),),
    alias_for='Show',
)


TypedContext = Entity(
    'TypedContext',
    table='context',
    attributes=Context.attributes + (
        number('bid'),
        string('description'),
        datetime('end_date'),
        key('object_type_id'),
        key('priority_id'),
        number('sort'),
        datetime('start_date'),
        key('status_id'),
        key('type_id'),
        ref('object_type', 'ObjectType'),
        ref('priority', 'Priority'),
        ref('project', 'Project'),
        ref('status', 'Status'),
        ref('type', 'Type'),
        many('ancestors', 'TypedContext', through='ContextAncestor', back='descendant_id', forward='ancestor_id', readonly=True),
        many('descendants', 'TypedContext', through='ContextAncestor', back='ancestor_id', forward='descendant_id', readonly=True),
        many('incoming_links', 'TypedContextLink', back='to_id'),
        many('lists', 'TypedContextList', through='ListObject', back='entity_id', forward='list_id'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('outgoing_links', 'TypedContextLink', back='from_id'),
        many('status_changes', 'StatusChange', back='parent_id'),
        Computed('bid_time_logged_difference', 'number'),
        Computed('time_logged', 'number'),
    ),
    required=('bid', 'status_id', 'type_id', 'priority_id', 'object_type_id', 'sort', 'context_type', 'id', 'name'),
    immutable=('time_logged', 'bid_time_logged_difference', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    computed=('time_logged', 'bid_time_logged_difference', 'thumbnail_url'),
    default_projections=('context_type', 'id', 'name'),
    system_projections=('showid', 'context_type'),
    always=('project_id', 'context_type'),
    classifier=(('context_type', 'task'),),
    alias_for='Task',
)


Task = derive(
    TypedContext,
    'Task',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': '11c137c0-ee7e-4f9c-91c5-8c77cec22b2c'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', '11c137c0-ee7e-4f9c-91c5-8c77cec22b2c')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': '11c137c0-ee7e-4f9c-91c5-8c77cec22b2c'}},
)


Shot = derive(
    TypedContext,
    'Shot',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': 'bad911de-3bd6-47b9-8b46-3476e237cb36'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'type_id', 'type', 'bid', 'start_date', 'end_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', 'bad911de-3bd6-47b9-8b46-3476e237cb36')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': 'bad911de-3bd6-47b9-8b46-3476e237cb36'}},
)


Sequence = derive(
    TypedContext,
    'Sequence',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': 'e5139355-61da-4c8f-9db4-3abc870166bc'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'type_id', 'type', 'status_id', 'status', 'bid', 'start_date', 'end_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', 'e5139355-61da-4c8f-9db4-3abc870166bc')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': 'e5139355-61da-4c8f-9db4-3abc870166bc'}},
)


Folder = derive(
    TypedContext,
    'Folder',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': '3c133785-51cb-11e3-980a-20c9d0831e59'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'type_id', 'type', 'status_id', 'status', 'bid', 'start_date', 'end_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', '3c133785-51cb-11e3-980a-20c9d0831e59')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': '3c133785-51cb-11e3-980a-20c9d0831e59'}},
)


AssetBuild = derive(
    TypedContext,
    'AssetBuild',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': '4be63b64-5010-42fb-bf1f-428af9d638f0'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'bid', 'start_date', 'end_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', '4be63b64-5010-42fb-bf1f-428af9d638f0')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': '4be63b64-5010-42fb-bf1f-428af9d638f0'}},
)


Episode = derive(
    TypedContext,
    'Episode',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': '22139355-61da-4c8f-9db4-3abc870166bc'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'type_id', 'type', 'status_id', 'status', 'bid', 'start_date', 'end_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', '22139355-61da-4c8f-9db4-3abc870166bc')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': '22139355-61da-4c8f-9db4-3abc870166bc'}},
)


Milestone = derive(
    TypedContext,
    'Milestone',
    defaults={'priority_id': '9661b320-3a0c-11e2-81c1-0800200c9a66', 'object_type_id': '01decdd1-51cb-11e3-9d5b-20c9d0831e59'},
    immutable=('object_type_id', 'object_type', 'bid_time_logged_difference', 'time_logged', 'start_date', 'id', '_link', 'link', 'thumbnail_url', 'created_by_id', 'created_by', 'created_at'),
    always=('project_id', 'context_type', 'object_type_id'),
    classifier=(('context_type', 'task'), ('object_type_id', '01decdd1-51cb-11e3-9d5b-20c9d0831e59')),
    alias_for={'id': 'Task', 'classifiers': {'object_typeid': '01decdd1-51cb-11e3-9d5b-20c9d0831e59'}},
)


TypedContextLink = Entity(
    'TypedContextLink',
    table='TypedContextLink',
    attributes=(
        ident(),
        key('from_id'),
        key('to_id'),
        ref('from', 'TypedContext'),
        ref('to', 'TypedContext'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('id', 'from_id', 'to_id'),
    immutable=('id',),
    default_projections=('id', 'from_id', 'to_id'),
    alias_for='Dependency',
)


Scope = Entity(
    'Scope',
    table='Scope',
    attributes=(
        ident(),
        string('name'),
    ),
    required=('name', 'id'),
    immutable=('id',),
    default_projections=('id',),
)


Appointment = Entity(
    'Appointment',
    table='Appointment',
    attributes=(
        ident(),
        key('context_id'),
        key('resource_id'),
        string('type'),
        ref('context', 'Context'),
        ref('resource', 'Resource'),
    ),
    required=('id', 'type', 'resource_id', 'context_id'),
    immutable=('id',),
    default_projections=('id',),
)


Manager = Entity(
    'Manager',
    table='Manager',
    attributes=(
        ident(),
        key('context_id'),
        key('type_id'),
        key('user_id'),
        ref('context', 'Context'),
        ref('type', 'ManagerType'),
        ref('user', 'User'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
)


ManagerType = Entity(
    'ManagerType',
    table='ManagerType',
    attributes=(
        ident(),
        string('name'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
)


Timelog = Entity(
    'Timelog',
    table='Timelog',
    attributes=(
        ident(),
        string('comment', default=''),
        key('context_id'),
        number('duration'),
        string('name'),
        datetime('start'),
        number('time_zone_offset'),
        key('user_id'),
        ref('context', 'Context'),
        ref('user', 'User'),
    ),
    required=('comment', 'start', 'duration', 'id'),
    immutable=('id',),
    default_projections=('id',),
    system_projections=('user_id', 'context_id'),
    always=('user_id', 'context_id'),
)


Timer = Entity(
    'Timer',
    table='Timer',
    attributes=(
        ident(),
        string('comment', default=''),
        key('context_id'),
        string('name'),
        datetime('start'),
        key('user_id'),
        ref('context', 'Context'),
        ref('user', 'User'),
    ),
    required=('comment', 'start', 'user_id', 'id'),
    immutable=('id',),
    default_projections=('id',),
)
