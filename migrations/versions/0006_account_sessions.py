"""accounts: server-side sessions and who may create meetings; places of ended registrations go

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:29:36.004150

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_account_sessions_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_sessions')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_account_sessions_token_hash')),
    )
    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_account_sessions_user_id', ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('can_create_meetings', sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    # A withdrawn, declined or cancelled registration holds no place: rows an old race left
    # behind go (their seats were never anyone's; waiting lists close up on the next change).
    op.execute(
        "DELETE FROM cluster_places WHERE registration_id IN "
        "(SELECT id FROM registrations WHERE status <> 'approved')"
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('can_create_meetings')

    with op.batch_alter_table('account_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_account_sessions_user_id')

    op.drop_table('account_sessions')
