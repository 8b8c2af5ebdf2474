"""Users, groups and security roles."""

from .dsl import Computed, Entity, Field, boolean, ident, key, many, ref, string


Resource = Entity(
    'Resource',
    table='Resource',
    attributes=(
        ident(),
        string('resource_type'),
        many('allocations', 'Appointment', back='resource_id', where=(('type', 'allocation'),), readonly=True),
        many('appointments', 'Appointment', back='resource_id'),
        many('assignments', 'Appointment', back='resource_id', where=(('type', 'assignment'),), readonly=True),
        many('dashboard_resources', 'DashboardResource', back='resource_id'),
    ),
    required=('resource_type', 'id'),
    immutable=('id',),
    default_projections=('id',),
    system_projections=('resource_type',),
    always=('resource_type',),
    abstract=True,
)


User = Entity(
    'User',
    table='Resource',
    attributes=(
        ident(),
        string('email'),
        string('first_name'),
        boolean('is_active'),
        boolean('is_otp_enabled'),
        boolean('is_totp_enabled'),
        string('last_name'),
        boolean('require_details_update'),
        string('resource_type', default='user'),
        key('thumbnail_id'),
        Field('user_type_id', type=None, format='foreign_key'),
        string('username'),
        ref('thumbnail', 'Component'),
        ref('user_type', 'UserType'),
        many('allocations', 'Appointment', back='resource_id', where=(('type', 'allocation'),), readonly=True),
        many('appointments', 'Appointment', back='resource_id'),
        many('assignments', 'Appointment', back='resource_id', where=(('type', 'assignment'),), readonly=True),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('custom_attributes', 'UserCustomAttributeValue', back='entity_id', mapped=True),
        many('dashboard_resources', 'DashboardResource', back='resource_id'),
        many('memberships', 'Membership', back='user_id'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('timelogs', 'Timelog', back='user_id'),
        many('user_security_roles', 'UserSecurityRole', back='user_id'),
        Computed('thumbnail_url', 'object'),
    ),
    required=('username', 'is_active', 'resource_type', 'id'),
    immutable=('resource_type', 'thumbnail_url', 'id'),
    computed=('thumbnail_url',),
    default_projections=('id',),
    system_projections=('resource_type',),
    always=('resource_type',),
    classifier=(('resource_type', 'user'),),
)


Group = Entity(
    'Group',
    table='Resource',
    attributes=(
        ident(),
        boolean('local'),
        string('name', default=''),
        key('parent_id'),
        string('resource_type', default='group'),
        ref('parent', 'Group'),
        many('allocations', 'Appointment', back='resource_id', where=(('type', 'allocation'),), readonly=True),
        many('appointments', 'Appointment', back='resource_id'),
        many('assignments', 'Appointment', back='resource_id', where=(('type', 'assignment'),), readonly=True),
        many('children', 'Group', back='parent_id'),
        many('custom_attribute_links', 'CustomAttributeLink', back='from_id', mapped=True, restricted=True),
        many('custom_attribute_links_from', 'CustomAttributeLinkFrom', back='to_id', mapped=True, restricted=True),
        many('dashboard_resources', 'DashboardResource', back='resource_id'),
        many('memberships', 'Membership', back='group_id'),
        Computed('link', 'string'),
    ),
    required=('name', 'local', 'resource_type', 'id'),
    immutable=('resource_type', 'link', 'id'),
    default_projections=('id',),
    system_projections=('resource_type',),
    always=('resource_type',),
    classifier=(('resource_type', 'group'),),
)


UserType = Entity(
    'UserType',
    table='UserType',
    attributes=(
        ident(),
        string('name'),
    ),
    required=('id',),
    immutable=('id', 'name'),
    default_projections=('id',),
)


Membership = Entity(
    'Membership',
    table='Membership',
    attributes=(
        ident(),
        key('group_id'),
        key('user_id'),
        ref('group', 'Group'),
        ref('user', 'User'),
    ),
    required=('group_id', 'user_id', 'id'),
    immutable=('id',),
    default_projections=('id',),
)


SecurityRole = Entity(
    'SecurityRole',
    table='SecurityRole',
    attributes=(
        ident(),
        string('name'),
        key('type'),
        many('user_security_roles', 'UserSecurityRole', back='security_role_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id', 'name'),
    alias_for='Auth_Role',
)


UserSecurityRole = Entity(
    'UserSecurityRole',
    table='UserSecurityRole',
    attributes=(
        ident(),
        boolean('is_all_open_projects'),
        boolean('is_all_projects'),
        key('security_role_id'),
        key('user_id'),
        ref('security_role', 'SecurityRole'),
        ref('user', 'User'),
        many('user_security_role_projects', 'UserSecurityRoleProject', back='user_security_role_id'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id', 'user_id', 'security_role_id'),
    alias_for='Auth_UserRole',
)


UserSecurityRoleProject = Entity(
    'UserSecurityRoleProject',
    table='UserSecurityRoleProject',
    attributes=(
        ident(),
        key('project_id'),
        key('user_security_role_id'),
        ref('project', 'Project'),
        ref('user_security_role', 'UserSecurityRole'),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id', 'user_security_role_id', 'project_id'),
    alias_for='UserRoleProject',
)
