"""change stamps: updated_at on tracks, rooms, people, clusters and agenda items

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 12:00:00.000000

The calendar feeds fingerprint everything they show in one aggregate query (issue 6), so a
rename of a room, a track, a person, a cluster or an agenda item must move a stamp. Existing
rows take the time of the migration.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLES = ('tracks', 'rooms', 'people', 'clusters', 'agenda_items')


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a NOT NULL column only with a constant default (and rebuilding these
        # tables would cascade into their children), so: a constant, then the time of migration.
        for table in TABLES:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN updated_at DATETIME NOT NULL "
                "DEFAULT '1970-01-01 00:00:00'"
            )
            op.execute(f"UPDATE {table} SET updated_at = CURRENT_TIMESTAMP")
        return
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    'updated_at',
                    sa.DateTime(),
                    server_default=sa.text('CURRENT_TIMESTAMP'),
                    nullable=False,
                )
            )
        # CURRENT_TIMESTAMP is the server's local time in a column without a zone: use UTC.
        op.execute(f"UPDATE {table} SET updated_at = timezone('utc', now())")


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for table in reversed(TABLES):  # SQLite 3.35+, without rebuilding the tables
            op.execute(f"ALTER TABLE {table} DROP COLUMN updated_at")
        return
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_at')
