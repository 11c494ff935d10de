"""A meeting with an organiser, a Chair, two rapporteurs and outputs to draft."""

from dataclasses import dataclass

import pytest

from app.meetings.models import Meeting, RoleName
from app.outputs import workflow
from app.outputs.models import RapporteurOutput
from tests.factories import (
    grant_role,
    local,
    make_agenda_item,
    make_cluster,
    make_meeting,
    make_session,
    make_user,
)


@dataclass
class Scene:
    meeting: Meeting
    organiser: object
    chair: object
    rapporteur: object
    other_rapporteur: object
    cluster_output: RapporteurOutput
    session_output: RapporteurOutput


@pytest.fixture
def scene() -> Scene:
    organiser = make_user(name="Organiser")
    chair = make_user(name="Chair")
    rapporteur = make_user(name="Rapporteur One")
    other = make_user(name="Rapporteur Two")
    meeting = make_meeting(organiser=organiser, short_title="2nd ACCPCJ", title="The 2nd ACCPCJ")
    grant_role(meeting, chair, RoleName.CHAIR)
    grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
    grant_role(meeting, other, RoleName.RAPPORTEUR)
    item3 = make_agenda_item(meeting, 3, "Substantive issue")
    item4 = make_agenda_item(meeting, 4, "Youth forum")
    cluster = make_cluster(meeting, 1, "Culture of Prevention")
    # The youth forum session starts first, but its agenda item comes after the cluster's.
    make_session(
        meeting,
        starts_at=local(meeting, 1, 14),
        cluster_id=cluster.id,
        agenda_item_id=item3.id,
        title="Breakout",
    )
    youth = make_session(
        meeting, starts_at=local(meeting, 1, 9), agenda_item_id=item4.id, title="Youth Forum"
    )
    cluster_output = workflow.assign_rapporteur(
        meeting, target=f"cluster-{cluster.id}", rapporteur_id=rapporteur.id
    )
    session_output = workflow.assign_rapporteur(
        meeting, target=f"session-{youth.id}", rapporteur_id=other.id
    )
    return Scene(meeting, organiser, chair, rapporteur, other, cluster_output, session_output)


def write(output, author, summary=("A paragraph.",), recommendations=(), base=None, **kw):
    """Save text into an output from its current revision (or `base`)."""
    return workflow.save_output(
        output,
        author=author,
        base_revision=output.revision_number if base is None else base,
        summary=list(summary),
        recommendations=list(recommendations),
        not_negotiated=kw.get("not_negotiated", True),
    )


def approve(output, rapporteur, chair, **text):
    write(output, rapporteur, **text)
    workflow.submit_output(output, rapporteur)
    workflow.approve_output(output, chair)
