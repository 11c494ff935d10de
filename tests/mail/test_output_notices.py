"""Rapporteurs hear of the Chair's review; the Chair hears of each submission."""

import sqlalchemy as sa

from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.models import RoleName
from app.outputs import workflow


def _kinds() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.recipient).order_by(OutboxMessage.id)
    )
    return [tuple(row) for row in rows]


def test_submission_return_and_approval_are_told(make_meeting, make_user, make_cluster, grant_role):
    meeting = make_meeting()
    rapporteur, chair = make_user("rap@example.org"), make_user("chair@example.org")
    grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
    grant_role(meeting, chair, RoleName.CHAIR)
    cluster = make_cluster(meeting, 1)
    output = workflow.assign_rapporteur(
        meeting, target=f"cluster-{cluster.id}", rapporteur_id=rapporteur.id
    )
    workflow.save_output(
        output,
        author=rapporteur,
        base_revision=0,
        summary=["The Meeting discussed prevention."],
        recommendations=[],
        not_negotiated=True,
    )
    workflow.submit_output(output, rapporteur)
    workflow.return_output(output, chair, "Shorten paragraph 1.")
    workflow.submit_output(output, rapporteur)
    workflow.approve_output(output, chair)
    assert _kinds() == [
        ("output_submitted", "chair@example.org"),
        ("output_returned", "rap@example.org"),
        ("output_submitted", "chair@example.org"),
        ("output_approved", "rap@example.org"),
    ]
    returned = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "output_returned")
    )
    assert "Shorten paragraph 1." in returned.body_text
    assert f"/outputs/{output.id}/" in returned.body_text
