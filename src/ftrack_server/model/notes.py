"""Notes, their categories, labels, recipients and attachments."""

from .dsl import Computed, Entity, boolean, datetime, ident, integer, key, many, ref, string


Note = Entity(
    'Note',
    table='Note',
    attributes=(
        ident(),
        key('category_id'),
        datetime('completed_at'),
        key('completed_by_id'),
        string('content'),
        datetime('date'),
        key('in_reply_to_id'),
        boolean('is_todo', default=False),
        string('parent_id'),
        string('parent_type', transform=True),
        datetime('thread_activity'),
        key('user_id'),
        ref('author', 'User', 'user_id'),
        ref('category', 'NoteCategory'),
        ref('completed_by', 'User'),
        ref('in_reply_to', 'Note'),
        many('metadata', 'Metadata', back='parent_id', mapped=True),
        many('note_components', 'NoteComponent', back='note_id'),
        many('note_label_links', 'NoteLabelLink', back='note_id'),
        many('recipients', 'Recipient', back='note_id'),
        many('replies', 'Note', back='in_reply_to_id'),
    ),
    required=('id', 'user_id'),
    immutable=('id',),
    default_projections=('id',),
)


NoteLabelLink = Entity(
    'NoteLabelLink',
    table='NoteLabelLink',
    attributes=(
        key('label_id'),
        key('note_id'),
        ref('label', 'NoteLabel'),
        ref('note', 'Note'),
    ),
    primary_key=('note_id', 'label_id'),
    required=('note_id', 'label_id'),
    immutable=('note_id', 'label_id'),
    default_projections=('note_id', 'label_id'),
)


NoteComponent = Entity(
    'NoteComponent',
    table='NoteComponent',
    attributes=(
        key('component_id'),
        key('note_id'),
        ref('component', 'Component'),
        ref('note', 'Note'),
        Computed('thumbnail_url', 'object'),
        Computed('url', 'object'),
    ),
    primary_key=('component_id', 'note_id'),
    required=('component_id', 'note_id'),
    immutable=('component_id', 'note_id', 'thumbnail_url', 'url'),
    computed=('thumbnail_url', 'url'),
    default_projections=('component_id', 'note_id'),
)


Recipient = Entity(
    'Recipient',
    table='Recipient',
    attributes=(
        key('note_id'),
        key('resource_id'),
        string('text_mentioned'),
        ref('note', 'Note'),
        ref('recipient', 'Resource', 'resource_id'),
        ref('user', 'User', 'resource_id'),
    ),
    primary_key=('note_id', 'resource_id'),
    required=('note_id', 'resource_id'),
    immutable=('note_id', 'resource_id'),
    default_projections=('note_id', 'resource_id'),
)


NoteCategory = Entity(
    'NoteCategory',
    table='NoteCategory',
    attributes=(
        ident(),
        string('color'),
        string('name'),
        integer('sort', default=0),
    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='NoteCategory',
)


NoteLabel = Entity(
    'NoteLabel',
    table='NoteCategory',
    attributes=NoteCategory.attributes + (

    ),
    required=('id',),
    immutable=('id',),
    default_projections=('id',),
    alias_for='NoteCategory',
)
