"""Meeting pages: the list, a meeting's home, and the organiser's meeting screens."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.meetings import bp
from app.meetings.models import Meeting, MeetingRole, MeetingStatus


@bp.route("/")
def list_meetings():
    published = db.session.scalars(
        select(Meeting)
        .where(Meeting.status != MeetingStatus.DRAFT)
        .order_by(Meeting.first_day.desc())
    ).all()
    mine = []
    if current_user.is_authenticated:
        mine = db.session.scalars(
            select(Meeting)
            .join(MeetingRole, MeetingRole.meeting_id == Meeting.id)
            .where(MeetingRole.user_id == current_user.id)
            .distinct()
            .order_by(Meeting.first_day.desc())
        ).all()
    return render_template("meetings/list.html", published=published, mine=mine)
