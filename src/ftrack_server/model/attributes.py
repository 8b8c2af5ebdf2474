"""Metadata, custom attributes and settings."""

from .dsl import Entity, boolean, ident, integer, key, many, ref, string, variable


Metadata = Entity(
    'Metadata',
    table='Metadata',
    attributes=(
        string('key'),
        string('parent_id'),
        string('parent_type', transform=True),
        string('value'),
    ),
    primary_key=('parent_id', 'key'),
    required=('parent_id', 'key', 'value', 'parent_type'),
    immutable=('parent_id', 'key'),
    default_projections=('parent_id', 'key', 'value', 'parent_type'),
    alias_for='Meta',
)


CustomAttributeConfiguration = Entity(
    'CustomAttributeConfiguration',
    table='CustomAttributeConfiguration',
    attributes=(
        ident(),
        string('config'),
        boolean('core', default=False),
        variable('default', default=''),
        string('entity_type'),
        key('group_id'),
        boolean('is_hierarchical', default=False),
        string('key'),
        string('label'),
        string('object_type_id'),
        string('project_id'),
        integer('sort', default=0),
        key('type_id'),
        ref('group', 'CustomAttributeGroup'),
        ref('object_type', 'ObjectType'),
        ref('type', 'CustomAttributeType'),
        many('read_security_roles', 'SecurityRole', through='ConfigurationReadRole', back='configuration_id', forward='security_role_id'),
        many('values', 'CustomAttributeValue', back='configuration_id'),
        many('write_security_roles', 'SecurityRole', through='ConfigurationWriteRole', back='configuration_id', forward='security_role_id'),
    ),
    required=('id', 'core', 'config'),
    immutable=('id',),
    default_projections=('id',),
    system_projections=('write_permissionid', 'permissionid', 'topid'),
    always=('project_id',),
    alias_for='Variable_Register',
)


CustomAttributeType = Entity(
    'CustomAttributeType',
    table='CustomAttributeType',
    attributes=(
        ident(),
        boolean('core', default=False),
        string('form_config'),
        string('name'),
        many('custom_attribute_configurations', 'CustomAttributeConfiguration', back='type_id'),
    ),
    required=('id', 'core'),
    immutable=('id',),
    default_projections=('id',),
)


CustomAttributeGroup = Entity(
    'CustomAttributeGroup',
    table='CustomAttributeGroup',
    attributes=(
        ident(),
        string('name'),
        many('custom_attribute_configurations', 'CustomAttributeConfiguration', back='group_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id', 'name'),
    alias_for='AttributeGroup',
)


Setting = Entity(
    'Setting',
    table='Setting',
    attributes=(
        string('group', default='default'),
        string('name', default='default'),
        string('value', default='default'),
    ),
    primary_key=('name', 'group'),
    required=('name', 'group'),
    immutable=('name', 'group'),
    default_projections=('name', 'group'),
)


CustomAttributeValue = Entity(
    'CustomAttributeValue',
    table='CustomAttributeValue',
    attributes=(
        key('configuration_id'),
        string('entity_id'),
        variable('value'),
        string('value_family', hidden=True),
        string('key', hidden=True),
        ref('configuration', 'CustomAttributeConfiguration'),
    ),
    primary_key=('configuration_id', 'entity_id'),
    required=('configuration_id', 'entity_id'),
    immutable=('configuration_id', 'entity_id'),
    default_projections=('configuration_id', 'entity_id'),
    alias_for='Variable_Value',
)


def _value_type(name: str, family: str, *, in_project: bool = True) -> Entity:
    """A custom attribute value type for one family of owners."""
    return Entity(
        name,
        table="CustomAttributeValue",
        attributes=(
            key("configuration_id"),
            key("entity_id"),
            string("key"),
            variable("value"),
            ref("configuration", "CustomAttributeConfiguration"),
        ),
        primary_key=("configuration_id", "entity_id"),
        required=("configuration_id", "entity_id"),
        immutable=("configuration_id", "entity_id"),
        default_projections=("configuration_id", "entity_id", "key"),
        system_projections=("entity_id", "key", "_casted_value") + (("project_id",) if in_project else ()),
        always=("entity_id", "key", "value"),
        classifier=(("value_family", family),),
    )


ContextCustomAttributeValue = _value_type("ContextCustomAttributeValue", "context")
AssetCustomAttributeValue = _value_type("AssetCustomAttributeValue", "asset")
AssetVersionCustomAttributeValue = _value_type("AssetVersionCustomAttributeValue", "assetversion")
ListCustomAttributeValue = _value_type("ListCustomAttributeValue", "list")
UserCustomAttributeValue = _value_type("UserCustomAttributeValue", "user", in_project=False)
ListObjectCustomAttributeValue = _value_type("ListObjectCustomAttributeValue", "listobject", in_project=False)
