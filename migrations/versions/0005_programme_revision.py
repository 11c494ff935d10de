"""meetings: the programme revision, moved by every change a calendar feed shows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('programme_revision', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('programme_changed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('programme_changed_at')
        batch_op.drop_column('programme_revision')
