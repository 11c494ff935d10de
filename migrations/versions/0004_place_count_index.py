"""cluster places: an index for counting a session's places by status

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cluster_places', schema=None) as batch_op:
        batch_op.create_index(
            'ix_cluster_places_session_id_status', ['session_id', 'status'], unique=False
        )


def downgrade():
    with op.batch_alter_table('cluster_places', schema=None) as batch_op:
        batch_op.drop_index('ix_cluster_places_session_id_status')
