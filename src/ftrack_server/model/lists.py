"""Lists of tasks or versions."""

from .dsl import Entity, boolean, datetime, ident, key, many, ref, string


List = Entity(
    'List',
    table='List',
    attributes=(
        ident(),
        key('category_id'),
        datetime('date'),
        boolean('is_open', default=True),
        string('name', default=''),
        key('project_id'),
        string('system_type', default='task'),
        key('user_id'),
        ref('category', 'ListCategory'),
        ref('owner', 'User', 'user_id'),
        ref('project', 'Project'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'ListCustomAttributeValue', back='entity_id', mapped=True),
    ),
    required=('id', 'is_open', 'category_id', 'project_id'),
    immutable=('id',),
    default_projections=('id',),
    system_projections=('showid',),
    always=('project_id',),
)


TypedContextList = Entity(
    'TypedContextList',
    table='List',
    attributes=List.attributes + (
        many('items', 'Task', through='ListObject', back='list_id', forward='entity_id'),
    ),
    required=('id', 'is_open', 'category_id', 'project_id'),
    immutable=('type', 'id'),
    default_projections=('id',),
    system_projections=('showid',),
    always=('project_id', 'system_type'),
    classifier=(('system_type', 'task'),),
    alias_for={'id': 'List', 'classifiers': {'entity': 'task'}},
)


AssetVersionList = Entity(
    'AssetVersionList',
    table='List',
    attributes=(
        ident(),
        key('category_id'),
        datetime('date'),
        boolean('is_open', default=True),
        string('name', default=''),
        key('project_id'),
        string('system_type', default='assetversion'),
        key('user_id'),
        ref('category', 'ListCategory'),
        ref('owner', 'User', 'user_id'),
        ref('project', 'Project'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'ListCustomAttributeValue', back='entity_id', mapped=True),
        many('items', 'AssetVersion', through='ListObject', back='list_id', forward='entity_id'),
    ),
    required=('id', 'is_open', 'category_id', 'project_id'),
    immutable=('type', 'id'),
    default_projections=('id',),
    system_projections=('showid',),
    always=('project_id', 'system_type'),
    classifier=(('system_type', 'assetversion'),),
    alias_for={'id': 'List', 'classifiers': {'entity': 'assetversion'}},
)


ListObject = Entity(
    'ListObject',
    table='ListObject',
    attributes=(
        ident(),
        string('entity_id'),
        key('list_id'),
        ref('list', 'List'),
        many('custom_attributes', 'ListObjectCustomAttributeValue', back='entity_id', mapped=True),
    ),
    required=('id', 'entity_id', 'list_id'),
    immutable=('id',),
    default_projections=('id', 'entity_id', 'list_id'),
)


ListCategory = Entity(
    'ListCategory',
    table='ListCategory',
    attributes=(
        ident(),
        string('name'),
        many('lists', 'List', back='category_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='ListType',
)
