"""Counting the SQL statements a block of code sends: query budgets are counts, not timings."""

from contextlib import contextmanager

import sqlalchemy as sa

from app.extensions import db


@contextmanager
def count_queries():
    """Collect the statements sent to the database inside the block."""
    statements: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", _record)


def queries_for(client, url: str) -> int:
    """How many statements one GET of `url` costs (it must answer 200)."""
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)
