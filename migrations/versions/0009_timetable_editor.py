"""programme: the change log and published versions, online links and interpretation, editions

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 17:58:40.334120

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_programme_versions_number_positive')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_programme_versions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_programme_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_versions')),
    sa.UniqueConstraint('meeting_id', 'number', name='uq_programme_versions_number')
    )
    op.create_table('programme_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('added', 'moved', 'changed', 'cancelled', 'restored', 'undone', name='kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=True),
    sa.Column('undoes_id', sa.Integer(), nullable=True),
    sa.Column('undone', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_programme_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_programme_changes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_programme_changes_session_id_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['undoes_id'], ['programme_changes.id'], name=op.f('fk_programme_changes_undoes_id_programme_changes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['programme_versions.id'], name=op.f('fk_programme_changes_version_id_programme_versions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_changes'))
    )
    with op.batch_alter_table('programme_changes', schema=None) as batch_op:
        batch_op.create_index('ix_programme_changes_meeting_created', ['meeting_id', 'created_at'], unique=False)
        batch_op.create_index('ix_programme_changes_session', ['session_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_edition_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_meetings_previous_edition_id_meetings'), 'meetings', ['previous_edition_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(
            batch_op.f('ck_meetings_not_own_edition'),
            'previous_edition_id IS NULL OR previous_edition_id <> id',
        )

    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_url', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('interpretation', sa.String(length=200), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('interpretation')
        batch_op.drop_column('online_url')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_meetings_not_own_edition'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_meetings_previous_edition_id_meetings'), type_='foreignkey')
        batch_op.drop_column('previous_edition_id')

    with op.batch_alter_table('programme_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_changes_session')
        batch_op.drop_index('ix_programme_changes_meeting_created')

    op.drop_table('programme_changes')
    op.drop_table('programme_versions')
