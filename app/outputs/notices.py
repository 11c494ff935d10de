"""What the outputs area tells people: a rapporteur hears when the Chair returns or approves
their output, and the Chair hears of each submission (app/mail/notices.py)."""

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.mail.notices import notify
from app.meetings.models import MeetingRole, RoleName
from app.outputs.models import RapporteurOutput


def submitted(output: RapporteurOutput, resubmitted: bool) -> None:
    """Every Chair of the meeting hears of the submission (they may turn it off)."""
    chairs = db.session.scalars(
        select(User)
        .join(MeetingRole, MeetingRole.user_id == User.id)
        .where(MeetingRole.meeting_id == output.meeting_id, MeetingRole.role == RoleName.CHAIR)
        .order_by(User.id)
    ).unique()
    for chair in chairs:
        notify(
            chair,
            "output_submitted",
            kind="submissions",
            essential=False,
            meeting=output.meeting,
            output=output,
            author=output.rapporteur,
            resubmitted=resubmitted,
        )


def reviewed(output: RapporteurOutput, template: str) -> None:
    """The rapporteur hears that the output was returned (with the comments) or approved."""
    if output.rapporteur is None:
        return
    notify(
        output.rapporteur,
        template,
        kind="review",
        essential=True,
        meeting=output.meeting,
        output=output,
        comment=output.chair_comment,
    )
