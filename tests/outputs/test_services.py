"""Rapporteur outputs without HTTP: assignment, revisions and conflicts, review, compiling."""

import pytest

from app.errors import OutputError
from app.extensions import db
from app.outputs import history, queries, text, workflow
from app.outputs import summary as summary_rules
from app.outputs.models import IssuedSummary, OutputRevision, OutputStatus
from app.outputs.workflow import StaleRevision
from tests.factories import make_user
from tests.outputs.conftest import approve, write


def _revision_count(output) -> int:
    return db.session.query(OutputRevision).filter_by(output_id=output.id).count()


def test_assignment_needs_the_rapporteur_role(scene):
    stranger = make_user()
    with pytest.raises(OutputError) as error:
        workflow.assign_rapporteur(
            scene.meeting,
            target=f"cluster-{scene.cluster_output.cluster_id}",
            rapporteur_id=stranger.id,
        )
    assert error.value.field == "rapporteur_id"
    assert scene.cluster_output.rapporteur_id == scene.rapporteur.id


def test_assignment_of_a_taken_cluster_changes_its_rapporteur(scene):
    output = workflow.assign_rapporteur(
        scene.meeting,
        target=f"cluster-{scene.cluster_output.cluster_id}",
        rapporteur_id=scene.other_rapporteur.id,
    )
    assert output.id == scene.cluster_output.id
    assert output.rapporteur_id == scene.other_rapporteur.id


def test_assignment_of_another_meetings_session_is_refused(scene, make_meeting, make_session):
    elsewhere = make_session(make_meeting())
    with pytest.raises(OutputError):
        workflow.assign_rapporteur(
            scene.meeting, target=f"session-{elsewhere.id}", rapporteur_id=scene.rapporteur.id
        )
    with pytest.raises(OutputError):
        workflow.assign_rapporteur(
            scene.meeting, target="session-99999999999", rapporteur_id=scene.rapporteur.id
        )


def test_assignments_list_only_the_rapporteurs_own(scene):
    assert queries.assignments_of(scene.meeting, scene.rapporteur) == [scene.cluster_output]


def test_every_save_is_a_revision_with_author_and_full_text(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur, summary=["One.", "Two."], recommendations=["Do this"])
    write(output, scene.rapporteur, summary=["Two.", "One."], recommendations=["Do this"])
    assert output.revision_number == 2
    revisions = output.revisions
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].author_id == scene.rapporteur.id
    assert revisions[0].content["summary"] == ["One.", "Two."]
    assert revisions[1].content["summary"] == ["Two.", "One."]
    assert queries.content_of(output)["recommendations"] == ["Do this"]


def test_blank_paragraphs_are_dropped_and_whitespace_normalised(scene):
    write(scene.cluster_output, scene.rapporteur, summary=["  a  b ", "", "   "])
    assert queries.content_of(scene.cluster_output)["summary"] == ["a b"]


def test_split_paragraphs_on_blank_lines():
    assert text.split_paragraphs("One\nstill one\r\n\r\n\nTwo\n") == ["One still one", "Two"]


def test_second_save_from_the_same_revision_is_a_conflict_and_changes_nothing(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur, summary=["First text."])
    start = output.revision_number
    write(output, scene.chair, summary=["Theirs."], base=start)
    db.session.commit()
    with pytest.raises(StaleRevision):
        write(output, scene.rapporteur, summary=["Mine."], base=start)
    db.session.rollback()
    assert queries.content_of(output)["summary"] == ["Theirs."]
    assert output.revision_number == start + 1
    assert _revision_count(output) == start + 1


def test_a_revision_number_from_the_future_is_stale(scene):
    with pytest.raises(StaleRevision):
        write(scene.cluster_output, scene.rapporteur, base=7)


def test_a_state_change_in_between_is_not_a_conflict(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur, summary=["Draft."])
    opened = output.revision_number
    workflow.submit_output(output, scene.rapporteur)
    workflow.return_output(output, scene.chair, "Shorten it.")
    write(output, scene.rapporteur, summary=["Shorter."], base=opened)
    assert queries.content_of(output)["summary"] == ["Shorter."]


def test_review_runs_draft_submitted_returned_resubmitted_approved(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur)
    workflow.submit_output(output, scene.rapporteur)
    assert output.status == OutputStatus.SUBMITTED
    workflow.return_output(output, scene.chair, "Add the recommendations.")
    assert output.status == OutputStatus.RETURNED
    assert output.chair_comment == "Add the recommendations."
    write(output, scene.rapporteur, recommendations=["Strengthen cooperation"])
    workflow.submit_output(output, scene.rapporteur)
    assert workflow.was_returned(output)
    workflow.approve_output(output, scene.chair)
    assert output.status == OutputStatus.APPROVED
    assert [r.status for r in output.revisions][-1] == OutputStatus.APPROVED


def test_an_empty_output_cannot_be_submitted(scene):
    with pytest.raises(OutputError, match="empty"):
        workflow.submit_output(scene.cluster_output, scene.rapporteur)
    assert scene.cluster_output.status == OutputStatus.DRAFT


def test_only_a_submitted_output_can_be_approved_or_returned(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur)
    with pytest.raises(OutputError, match="submitted"):
        workflow.approve_output(output, scene.chair)
    with pytest.raises(OutputError, match="submitted"):
        workflow.return_output(output, scene.chair, "No.")
    assert output.status == OutputStatus.DRAFT


def test_returning_needs_a_comment(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur)
    workflow.submit_output(output, scene.rapporteur)
    with pytest.raises(OutputError) as error:
        workflow.return_output(output, scene.chair, "   ")
    assert error.value.field == "comment"


def test_an_approved_output_is_locked_until_the_chair_reopens_it(scene):
    output = scene.cluster_output
    approve(output, scene.rapporteur, scene.chair)
    with pytest.raises(OutputError, match="locked"):
        write(output, scene.rapporteur, summary=["Changed."])
    workflow.reopen_output(output, scene.chair, "One more point.")
    assert output.status == OutputStatus.RETURNED
    write(output, scene.rapporteur, summary=["Changed."])
    assert queries.content_of(output)["summary"] == ["Changed."]


def test_a_submitted_output_is_locked_while_the_chair_reviews_it(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur)
    workflow.submit_output(output, scene.rapporteur)
    with pytest.raises(OutputError, match="locked"):
        write(output, scene.rapporteur, summary=["Sneaky."])


def test_diff_shows_added_and_removed_paragraphs(scene):
    output = scene.cluster_output
    write(output, scene.rapporteur, summary=["Kept.", "Dropped."])
    write(output, scene.rapporteur, summary=["Kept.", "Added <b>."])
    old, new = output.revisions
    diff = history.diff_revisions(old, new)
    assert ("removed", "2. Dropped.") in [(d.kind, d.text) for d in diff]
    assert ("added", "2. Added <b>.") in [(d.kind, d.text) for d in diff]
    assert ("same", "1. Kept.") in [(d.kind, d.text) for d in diff]


def test_recommendation_letters_run_past_z():
    assert [text.letter(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def test_compile_orders_by_agenda_item_and_numbers_through_the_document(scene):
    summary = summary_rules.summary_of(scene.meeting)
    summary_rules.save_summary(
        summary, introduction="Intro one.\n\nIntro two.", general_conclusions="End."
    )
    approve(
        scene.session_output,
        scene.other_rapporteur,
        scene.chair,
        summary=["Youth one."],
        recommendations=["Listen to youth"],
    )
    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=["Cluster one.", "Cluster two."],
        recommendations=["First", "Second"],
        not_negotiated=False,
    )
    content = summary_rules.compile_summary(scene.meeting)
    assert [p["number"] for p in content["introduction"]] == [1, 2]
    cluster, youth = content["sections"]
    assert cluster["title"].endswith("Culture of Prevention")
    assert cluster["agenda"] == "agenda item 3"
    assert [p["number"] for p in cluster["summary"]] == [3, 4]
    assert cluster["outcome"]["number"] == 5
    assert "not negotiated" not in cluster["outcome"]["lead"]
    assert [r["letter"] for r in cluster["outcome"]["recommendations"]] == ["a", "b"]
    assert [p["number"] for p in youth["summary"]] == [6]
    assert youth["outcome"]["number"] == 7
    assert "not negotiated by the participants" in youth["outcome"]["lead"]
    assert [r["letter"] for r in youth["outcome"]["recommendations"]] == ["a"]
    assert content["conclusions"] == [{"number": 8, "text": "End."}]


def test_only_approved_outputs_enter_the_summary(scene):
    write(scene.session_output, scene.other_rapporteur)
    workflow.submit_output(scene.session_output, scene.other_rapporteur)
    approve(scene.cluster_output, scene.rapporteur, scene.chair)
    titles = [s["title"] for s in summary_rules.compile_summary(scene.meeting)["sections"]]
    assert titles == [scene.cluster_output.title]


def test_without_agenda_items_the_order_is_by_start(scene, make_meeting, make_session):
    from app.meetings.models import RoleName
    from tests.factories import grant_role, local

    meeting = make_meeting()
    grant_role(meeting, scene.rapporteur, RoleName.RAPPORTEUR)
    late = make_session(meeting, starts_at=local(meeting, 2, 9), title="Late")
    early = make_session(meeting, starts_at=local(meeting, 1, 9), title="Early")
    for s in (late, early):
        workflow.assign_rapporteur(
            meeting, target=f"session-{s.id}", rapporteur_id=scene.rapporteur.id
        )
    assert [o.title for o in queries.outputs_of(meeting)] == ["Early", "Late"]


def test_issuing_with_nothing_approved_is_refused(scene):
    with pytest.raises(OutputError, match="approved"):
        summary_rules.issue_summary(scene.meeting, scene.chair, lambda content: b"%PDF")
    assert db.session.query(IssuedSummary).count() == 0


def test_issued_versions_are_frozen_and_numbered(scene):
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Original."])
    first = summary_rules.issue_summary(scene.meeting, scene.chair, lambda content: b"%PDF-1")
    workflow.reopen_output(scene.cluster_output, scene.chair)
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Corrected."])
    second = summary_rules.issue_summary(scene.meeting, scene.chair, lambda content: b"%PDF-2")
    assert (first.number, second.number) == (1, 2)
    assert first.content["sections"][0]["summary"][0]["text"] == "Original."
    assert second.content["sections"][0]["summary"][0]["text"] == "Corrected."
    assert [i.number for i in queries.issued_summaries(scene.meeting)] == [2, 1]
    assert queries.issued_summary(scene.meeting, 1).pdf == b"%PDF-1"


def test_recommendations_are_one_per_line_as_pasted():
    """Issue 12: a single line break separated two recommendations and silently merged them."""
    pasted = "Strengthen cooperation;\nPromote digital literacy;\r\n\r\n  Share data  \n"
    assert text.split_lines(pasted) == [
        "Strengthen cooperation;",
        "Promote digital literacy;",
        "Share data",
    ]
    assert text.split_lines(text.join_lines(["a", "b"])) == ["a", "b"]
