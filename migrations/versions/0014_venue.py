"""venue: presence (check-ins per day and session door), venue settings, the registration desk role

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ROLES_BEFORE = ('organiser', 'chair', 'rapporteur', 'participant')
ROLES_AFTER = ROLES_BEFORE + ('desk',)


def _role_check(values):
    return 'role IN (' + ', '.join(f"'{value}'" for value in values) + ')'


def upgrade():
    op.create_table('venue_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('check_in_per_session', sa.Boolean(), nullable=False),
    sa.Column('attendance_from_presence', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_venue_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_venue_settings'))
    )
    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('desk', sa.String(length=40), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_check_ins_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_check_ins_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_check_ins_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_check_ins_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_check_ins_meeting_day', ['meeting_id', 'day'], unique=False)
        batch_op.create_index('uq_check_ins_day', ['registration_id', 'day'], unique=True, sqlite_where=sa.text('session_id IS NULL'), postgresql_where=sa.text('session_id IS NULL'))
        batch_op.create_index('uq_check_ins_session', ['registration_id', 'session_id'], unique=True, sqlite_where=sa.text('session_id IS NOT NULL'), postgresql_where=sa.text('session_id IS NOT NULL'))

    # The registration desk joins the roles a meeting grants: the role column's CHECK list.
    with op.batch_alter_table('meeting_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_roles_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meeting_roles_role'), _role_check(ROLES_AFTER))


def downgrade():
    op.execute("DELETE FROM meeting_roles WHERE role = 'desk'")
    with op.batch_alter_table('meeting_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_roles_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meeting_roles_role'), _role_check(ROLES_BEFORE))

    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('uq_check_ins_session', sqlite_where=sa.text('session_id IS NOT NULL'), postgresql_where=sa.text('session_id IS NOT NULL'))
        batch_op.drop_index('uq_check_ins_day', sqlite_where=sa.text('session_id IS NULL'), postgresql_where=sa.text('session_id IS NULL'))
        batch_op.drop_index('ix_check_ins_meeting_day')

    op.drop_table('check_ins')
    op.drop_table('venue_settings')
