"""Publishing: assets, versions, components, locations, jobs."""

from .dsl import UID, Computed, Entity, boolean, datetime, ident, integer, key, many, ref, string


Asset = Entity(
    'Asset',
    table='Asset',
    attributes=(
        ident(),
        key('context_id'),
        string('name'),
        key('type_id'),
        ref('latest_version', 'AssetVersion', back='asset_id', where=(('is_latest_version', True),)),
        ref('parent', 'Context', 'context_id'),
        ref('type', 'AssetType'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'AssetCustomAttributeValue', back='entity_id', mapped=True),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('versions', 'AssetVersion', back='asset_id'),
    ),
    required=('id',),
    immutable=('id',),
    computed=('latest_version',),
    default_projections=('id',),
    system_projections=('context_id',),
    always=('context_id',),
)


AssetType = Entity(
    'AssetType',
    table='AssetType',
    attributes=(
        ident(),
        string('component', default='main'),
        string('name'),
        string('short'),
        many('assets', 'Asset', back='type_id'),
    ),
    required=('id', 'name', 'short'),
    immutable=('id',),
    default_projections=('id',),
)


AssetVersion = Entity(
    'AssetVersion',
    table='AssetVersion',
    attributes=(
        ident(),
        key('asset_id'),
        string('comment', default=''),
        datetime('date'),
        boolean('is_latest_version'),
        boolean('is_published', default=True),
        key('status_id'),
        key('task_id'),
        key('thumbnail_id'),
        key('user_id'),
        integer('version'),
        ref('asset', 'Asset'),
        ref('status', 'Status'),
        ref('task', 'Task'),
        ref('thumbnail', 'Component'),
        ref('user', 'User'),
        many('components', 'Component', back='version_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'AssetVersionCustomAttributeValue', back='entity_id', mapped=True),
        many('incoming_links', 'AssetVersionLink', back='to_id'),
        many('lists', 'AssetVersionList', through='ListObject', back='entity_id', forward='list_id'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('notes', 'Note', back='parent_id'),
        many('outgoing_links', 'AssetVersionLink', back='from_id'),
        many('review_session_objects', 'ReviewSessionObject', back='version_id'),
        many('status_changes', 'StatusChange', back='parent_id'),
        many('used_in_versions', 'AssetVersion', through='AssetVersionLink', back='from_id', forward='to_id'),
        many('uses_versions', 'AssetVersion', through='AssetVersionLink', back='to_id', forward='from_id'),
        Computed('_link', 'string'),
        Computed('link', 'string'),
        Computed('thumbnail_url', 'object'),
    ),
    required=('id', 'is_published', 'status_id'),
    immutable=('id', '_link', 'link', 'is_latest_version', 'thumbnail_url'),
    computed=('thumbnail_url',),
    default_projections=('id',),
    system_projections=('assetid',),
    always=('asset_id',),
)


AssetVersionLink = Entity(
    'AssetVersionLink',
    table='AssetVersionLink',
    attributes=(
        ident(),
        key('from_id'),
        key('to_id'),
        ref('from', 'AssetVersion'),
        ref('to', 'AssetVersion'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('id', 'from_id', 'to_id'),
    immutable=('id',),
    default_projections=('id', 'from_id', 'to_id'),
)


ComponentLocation = Entity(
    'ComponentLocation',
    table='ComponentLocation',
    attributes=(
        ident(),
        key('component_id'),
        key('location_id'),
        string('resource_identifier'),
        ref('component', 'Component'),
        ref('location', 'Location'),
        Computed('url', 'object'),
    ),
    required=('id',),
    immutable=('id',),
    computed=('url',),
    default_projections=('id',),
    system_projections=('location_id', 'component_id'),
    always=('location_id', 'component_id'),
)


Location = Entity(
    'Location',
    table='Location',
    attributes=(
        ident(),
        string('description'),
        string('label'),
        string('name'),
        many('location_components', 'ComponentLocation', back='location_id'),
    ),
    required=('name', 'id'),
    immutable=('id',),
    default_projections=('id',),
)


Disk = Entity(
    'Disk',
    table='Disk',
    attributes=(
        ident(),
        string('name'),
        string('unix'),
        string('windows'),
        many('projects', 'Project', back='disk_id'),
    ),
    required=('id', 'name'),
    immutable=('id',),
    default_projections=('id',),
)


Job = Entity(
    'Job',
    table='Job',
    attributes=(
        ident(),
        datetime('created_at'),
        string('data', format='json'),
        datetime('finished_at'),
        string('status', default='queued', enum=('queued', 'running', 'done', 'failed')),
        string('type', default='api_job'),
        key('user_id'),
        ref('user', 'User'),
        many('job_components', 'JobComponent', back='job_id'),
    ),
    required=('id', 'status', 'type'),
    immutable=('id', 'type'),
    default_projections=('id',),
)


JobComponent = Entity(
    'JobComponent',
    table='JobComponent',
    attributes=(
        key('component_id'),
        key('job_id'),
        ref('component', 'Component'),
        ref('job', 'Job'),
        Computed('url', 'object'),
    ),
    primary_key=('component_id', 'job_id'),
    required=('component_id', 'job_id'),
    immutable=('component_id', 'job_id', 'url'),
    computed=('url',),
    default_projections=('component_id', 'job_id'),
)


Component = Entity(
    'Component',
    table='Component',
    attributes=(
        ident(),
        key('container_id'),
        string('file_type'),
        string('name', default='main'),
        integer('size', default=0),
        string('system_type'),
        key('version_id'),
        ref('container', 'ContainerComponent'),
        ref('version', 'AssetVersion'),
        many('component_locations', 'ComponentLocation', back='component_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('system_type', 'name', 'id'),
    immutable=('id',),
    default_projections=('id', 'system_type'),
    system_projections=('system_type', 'version_id'),
    always=('system_type', 'version_id'),
)


FileComponent = Entity(
    'FileComponent',
    table='Component',
    attributes=(
        key('id', default=UID),
        key('container_id'),
        string('file_type'),
        string('name', default='main'),
        integer('size', default=0),
        string('system_type'),
        key('version_id'),
        ref('container', 'ContainerComponent'),
        ref('version', 'AssetVersion'),
        many('component_locations', 'ComponentLocation', back='component_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('system_type', 'name', 'id'),
    immutable=('id',),
    default_projections=('id', 'system_type'),
    system_projections=('system_type', 'version_id'),
    always=('system_type', 'version_id'),
    classifier=(('system_type', 'file'),),
)


SequenceComponent = Entity(
    'SequenceComponent',
    table='Component',
    attributes=(
        key('id', default=UID),
        key('container_id'),
        string('file_type'),
        string('name', default='main'),
        integer('padding', default=0),
        integer('size', default=0),
        string('system_type'),
        key('version_id'),
        ref('container', 'ContainerComponent'),
        ref('version', 'AssetVersion'),
        many('component_locations', 'ComponentLocation', back='component_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('members', 'Component', back='container_id'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('system_type', 'name', 'id', 'padding'),
    immutable=('id',),
    default_projections=('id', 'system_type'),
    system_projections=('system_type', 'version_id'),
    always=('system_type', 'version_id'),
    classifier=(('system_type', 'sequence'),),
)


ContainerComponent = Entity(
    'ContainerComponent',
    table='Component',
    attributes=(
        key('id', default=UID),
        key('container_id'),
        string('file_type'),
        string('name', default='main'),
        integer('size', default=0),
        string('system_type'),
        key('version_id'),
        ref('container', 'ContainerComponent'),
        ref('version', 'AssetVersion'),
        many('component_locations', 'ComponentLocation', back='component_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('members', 'Component', back='container_id'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
    ),
    required=('system_type', 'name', 'id'),
    immutable=('id',),
    default_projections=('id', 'system_type'),
    system_projections=('system_type', 'version_id'),
    always=('system_type', 'version_id'),
    classifier=(('system_type', 'container'),),
)
