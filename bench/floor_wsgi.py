"""The app the sign-up burst is served from: Plenary's own, plus one benchmark-only route.

`POST /bench/write-floor` does what every sign-up must do and nothing else: Flask-Login loads
the signed-in account, Flask-WTF checks the CSRF token, one statement runs and commits in a
transaction of its own, a message is flashed and the answer is a redirect. Its throughput is
the ceiling for any authenticated, durable write on this stack; the sign-up is measured beside
it, beside `GET /readyz` (one `SELECT 1`) and beside `GET /healthz` (no database).
"""

import sqlalchemy as sa
from flask import flash, redirect
from flask_login import login_required
from flask_wtf import FlaskForm

from app.extensions import db
from wsgi import app


@login_required
def write_floor():
    if not FlaskForm().validate_on_submit():
        return "bad form", 400
    db.session.execute(sa.text("SELECT 1")).one()
    db.session.commit()
    flash("Nothing was changed.", "info")
    return redirect("/healthz")


app.add_url_rule("/bench/write-floor", "bench_write_floor", write_floor, methods=["POST"])
