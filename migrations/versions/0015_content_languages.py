"""meetings, sessions, agenda items: content in more than one language

A meeting names the languages beside its own that its content is given in
(`content_languages`, a JSON list of codes), and a meeting, a session and an agenda item keep
their texts in those languages in `translations` (JSON: {"fr": {"title": "…"}}). JSON columns
ride along with the rows that are loaded anyway, so no page asks the database once more.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# JSONB on PostgreSQL (it has equality, so SELECT DISTINCT over these rows works), JSON elsewhere.
JSON = sa.JSON().with_variant(JSONB(), 'postgresql')


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('content_languages', JSON, server_default='[]', nullable=False)
        )
        batch_op.add_column(sa.Column('translations', JSON, server_default='{}', nullable=False))
    for table in ('sessions', 'agenda_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('translations', JSON, server_default='{}', nullable=False)
            )


def downgrade():
    for table in ('agenda_items', 'sessions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('content_languages')
