"""delegations as records, their focal points, the registration window; registrations become
a delegation's members (no account needed until claimed)

Existing registrations keep working: every distinct delegation name a meeting's registrations
carry becomes a delegation record (its category that of the earliest registration naming it),
and each registration is linked to it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

CATEGORIES = (
    'member_state', 'observer_state', 'un_entity', 'programme_network_institute',
    'intergovernmental_organisation', 'ngo', 'academia', 'private_sector', 'youth',
)


def upgrade():
    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.Enum('state', 'organisation', name='kind', native_enum=False,
                                  create_constraint=True, length=12), nullable=False),
        sa.Column('category', sa.Enum(*CATEGORIES, name='category', native_enum=False,
                                      create_constraint=True, length=30), nullable=False),
        sa.Column('qualifier', sa.String(length=300), nullable=False),
        sa.Column('focal_point_email', sa.String(length=254), nullable=False),
        sa.Column('focal_point_user_id', sa.Integer(), nullable=True),
        sa.Column('invited_at', sa.DateTime(), nullable=True),
        sa.Column('invitation_version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_delegations_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['focal_point_user_id'], ['users.id'],
                                name=op.f('fk_delegations_focal_point_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
        sa.UniqueConstraint('meeting_id', 'name', name='uq_delegations_name'),
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index('ix_delegations_focal_point_user_id', ['focal_point_user_id'],
                              unique=False)
    op.create_table(
        'registration_windows',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('opens_on', sa.Date(), nullable=True),
        sa.Column('closes_on', sa.Date(), nullable=True),
        sa.Column('members_per_delegation', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on',
            name=op.f('ck_registration_windows_closes_after_opening'),
        ),
        sa.CheckConstraint(
            'members_per_delegation IS NULL OR members_per_delegation >= 1',
            name=op.f('ck_registration_windows_cap_positive'),
        ),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_registration_windows_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_registration_windows')),
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('delegation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column(
            'member_role',
            sa.Enum('head', 'alternate', 'adviser', 'member', name='member_role',
                    native_enum=False, create_constraint=True, length=9),
            server_default='member', nullable=False))
        batch_op.add_column(sa.Column('list_order', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('claim_issued_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_registrations_delegation_id_delegations'), 'delegations',
            ['delegation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_registrations_delegation_id', ['delegation_id'], unique=False)
        batch_op.create_index('ix_registrations_meeting_email', ['meeting_id', 'email'],
                              unique=False)
    _delegations_from_registrations()


def _delegations_from_registrations():
    """A record for every delegation name the registrations carry, linked to them."""
    conn = op.get_bind()
    registrations = sa.table(
        'registrations', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer),
        sa.column('delegation', sa.String), sa.column('category', sa.String),
        sa.column('delegation_id', sa.Integer), sa.column('created_at', sa.DateTime),
    )
    delegations = sa.table(
        'delegations', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer),
        sa.column('name', sa.String), sa.column('kind', sa.String),
        sa.column('category', sa.String), sa.column('qualifier', sa.String),
        sa.column('focal_point_email', sa.String), sa.column('invitation_version', sa.Integer),
        sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime),
    )
    rows = conn.execute(
        sa.select(registrations.c.id, registrations.c.meeting_id, registrations.c.delegation,
                  registrations.c.category, registrations.c.created_at)
        .order_by(registrations.c.created_at, registrations.c.id)
    ).all()
    made: dict[tuple[int, str], int] = {}
    for reg_id, meeting_id, name, category, created_at in rows:
        name = (name or '').strip()[:200] or '?'
        key = (meeting_id, name.casefold())
        if key not in made:
            made[key] = conn.execute(
                delegations.insert().values(
                    meeting_id=meeting_id, name=name,
                    kind='state' if category in ('member_state', 'observer_state')
                    else 'organisation',
                    category=category, qualifier='', focal_point_email='',
                    invitation_version=0, created_at=created_at, updated_at=created_at,
                ).returning(delegations.c.id)
            ).scalar_one()
        conn.execute(
            registrations.update().where(registrations.c.id == reg_id)
            .values(delegation_id=made[key])
        )


def downgrade():
    conn = op.get_bind()
    # Members without an account cannot be registrations of the old schema.
    conn.execute(sa.text('DELETE FROM registrations WHERE user_id IS NULL'))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_meeting_email')
        batch_op.drop_index('ix_registrations_delegation_id')
        batch_op.drop_constraint(batch_op.f('fk_registrations_delegation_id_delegations'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_registrations_member_role'), type_='check')
        batch_op.drop_column('claim_issued_at')
        batch_op.drop_column('email')
        batch_op.drop_column('list_order')
        batch_op.drop_column('member_role')
        batch_op.drop_column('delegation_id')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('registration_windows')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index('ix_delegations_focal_point_user_id')
    op.drop_table('delegations')
