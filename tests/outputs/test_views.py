"""The pages: who may do what, conflicts as 409 with both texts, text kept across sign-in."""

from sqlalchemy import select

from app.extensions import db
from app.outputs import queries, workflow
from app.outputs.models import ChairsSummary, IssuedSummary, OutputStatus
from tests.outputs.conftest import approve, write


def _edit_url(scene, output=None):
    output = output or scene.cluster_output
    return f"/meetings/{scene.meeting.slug}/outputs/{output.id}/edit"


def _url(scene, action, output=None):
    output = output or scene.cluster_output
    return f"/meetings/{scene.meeting.slug}/outputs/{output.id}/{action}"


def test_rapporteur_saves_and_sees_the_numbered_text(scene, sign_in, client, post_form):
    db.session.commit()
    sign_in(scene.rapporteur)
    page = client.get(_edit_url(scene)).get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="0"' in page
    response = post_form(
        _edit_url(scene),
        {
            "base_revision": "0",
            "summary": "First paragraph.\n\nSecond <script>x</script> paragraph.",
            "recommendations": "Strengthen cooperation",
            "not_negotiated": "y",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saved as revision 1." in page
    assert "Second &lt;script&gt;x&lt;/script&gt; paragraph." in page
    assert "<script>x</script>" not in page
    assert "(a) Strengthen cooperation" in page


def test_editing_someone_elses_output_is_forbidden(scene, sign_in, client, post_form):
    db.session.commit()
    sign_in(scene.other_rapporteur)
    assert client.get(_edit_url(scene)).status_code == 403
    response = post_form(_edit_url(scene), {"base_revision": "0", "summary": "Hijack."})
    assert response.status_code == 403
    db.session.expire_all()
    assert queries.content_of(scene.cluster_output)["summary"] == []


def test_stale_save_gets_a_conflict_page_with_both_texts(scene, sign_in, client, post_form):
    write(scene.cluster_output, scene.rapporteur, summary=["Start."])
    write(scene.cluster_output, scene.rapporteur, summary=["Theirs, saved first."])
    db.session.commit()
    sign_in(scene.rapporteur)
    response = post_form(_edit_url(scene), {"base_revision": "1", "summary": "Mine, saved second."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Theirs, saved first." in page
    assert "Mine, saved second." in page
    assert 'name="base_revision" type="hidden" value="2"' in page
    db.session.expire_all()
    assert queries.content_of(scene.cluster_output)["summary"] == ["Theirs, saved first."]
    # The merge, sent from the conflict page's form, is saved.
    response = post_form(_edit_url(scene), {"base_revision": "2", "summary": "Theirs.\n\nMine."})
    assert response.status_code == 302
    db.session.expire_all()
    assert queries.content_of(scene.cluster_output)["summary"] == ["Theirs.", "Mine."]


def test_text_survives_an_expired_session(scene, client, csrf_token):
    db.session.commit()
    # No session at all: the cookie expired, so there is no user and no CSRF token either.
    response = client.post(
        _edit_url(scene),
        data={"base_revision": "0", "summary": "Long draft that must not be lost."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Long draft that must not be lost." in page
    token = csrf_token()
    response = client.post(
        _url(scene, "rescue"),
        data={
            "csrf_token": token,
            "email": scene.rapporteur.email,
            "password": "correct horse battery",
            "base_revision": "0",
            "summary": "Long draft that must not be lost.",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your text is back in the form" in page
    assert "Long draft that must not be lost.</textarea>" in page
    db.session.expire_all()
    assert queries.content_of(scene.cluster_output)["summary"] == []


def test_submit_empty_is_refused_with_a_message(scene, sign_in, client, post_form):
    db.session.commit()
    sign_in(scene.rapporteur)
    response = post_form(_url(scene, "submit"), follow_redirects=True)
    assert "This output is empty" in response.get_data(as_text=True)
    db.session.expire_all()
    assert scene.cluster_output.status == OutputStatus.DRAFT


def test_rapporteur_cannot_approve(scene, sign_in, post_form):
    write(scene.cluster_output, scene.rapporteur)
    workflow.submit_output(scene.cluster_output, scene.rapporteur)
    db.session.commit()
    sign_in(scene.rapporteur)
    assert post_form(_url(scene, "approve")).status_code == 403
    assert post_form(_url(scene, "return"), {"comment": "x"}).status_code == 403


def test_chair_returns_and_approves(scene, sign_in, client, post_form):
    write(scene.cluster_output, scene.rapporteur)
    db.session.commit()
    sign_in(scene.chair)
    response = post_form(_url(scene, "approve"), follow_redirects=True)
    assert "Only a submitted output can be approved" in response.get_data(as_text=True)
    workflow.submit_output(scene.cluster_output, scene.rapporteur)
    db.session.commit()
    response = post_form(_url(scene, "return"), {"comment": "Add data."}, follow_redirects=True)
    assert "Returned to the rapporteur" in response.get_data(as_text=True)
    db.session.expire_all()
    assert scene.cluster_output.status == OutputStatus.RETURNED
    assert scene.cluster_output.chair_comment == "Add data."


def test_organiser_assigns_a_rapporteur(scene, sign_in, client, post_form, make_cluster):
    cluster = make_cluster(scene.meeting, 2, "Law and Justice")
    db.session.commit()
    sign_in(scene.organiser)
    response = post_form(
        f"/meetings/{scene.meeting.slug}/manage/outputs/",
        {"target": f"cluster-{cluster.id}", "rapporteur_id": str(scene.rapporteur.id)},
        follow_redirects=True,
    )
    assert "rapporteur assigned" in response.get_data(as_text=True)
    sign_in(scene.rapporteur)
    page = client.get(f"/meetings/{scene.meeting.slug}/outputs/mine").get_data(as_text=True)
    assert "Law and Justice" in page and "Culture of Prevention" in page


def test_chair_cannot_assign(scene, sign_in, post_form):
    db.session.commit()
    sign_in(scene.chair)
    response = post_form(
        f"/meetings/{scene.meeting.slug}/manage/outputs/",
        {"target": "x", "rapporteur_id": "1"},
    )
    assert response.status_code == 403


def test_issue_without_approved_outputs_says_so(scene, sign_in, post_form):
    db.session.commit()
    sign_in(scene.chair)
    response = post_form(
        f"/meetings/{scene.meeting.slug}/manage/chairs-summary/issue",
        {"confirmed": "yes"},
        follow_redirects=True,
    )
    assert "No output is approved yet" in response.get_data(as_text=True)
    assert db.session.query(IssuedSummary).count() == 0


def test_issue_and_download_publicly(scene, sign_in, client, post_form):
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Approved text."])
    db.session.commit()
    sign_in(scene.chair)
    url = f"/meetings/{scene.meeting.slug}/manage/chairs-summary/issue"
    # Issuing is irreversible: the button first says what will happen and what is left out.
    question = post_form(url).get_data(as_text=True)
    assert "Issue the Chair&#39;s Summary?" in question
    assert "is not approved and is left out" in question and scene.session_output.title in question
    assert db.session.query(IssuedSummary).count() == 0
    response = post_form(url, {"confirmed": "yes"}, follow_redirects=True)
    assert "Issued as version 1" in response.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": ""})
    anonymous = client.application.test_client()
    pdf = anonymous.get(f"/meetings/{scene.meeting.slug}/chairs-summary/1.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert anonymous.get(f"/meetings/{scene.meeting.slug}/chairs-summary/2.pdf").status_code == 404
    page = anonymous.get(f"/meetings/{scene.meeting.slug}/").get_data(as_text=True)
    assert f"/meetings/{scene.meeting.slug}/chairs-summary/1.pdf" in page


def test_history_shows_a_diff_as_escaped_text(scene, sign_in, client):
    write(scene.cluster_output, scene.rapporteur, summary=["Old."])
    write(scene.cluster_output, scene.rapporteur, summary=["New <img src=x>."])
    db.session.commit()
    sign_in(scene.rapporteur)
    page = client.get(_url(scene, "history") + "?old=1&new=2").get_data(as_text=True)
    assert "1. New &lt;img src=x&gt;." in page
    assert "<img src=x>" not in page
    assert "1. Old." in page


def test_the_report_is_a_draft_for_its_authors_until_adopted_and_published(
    scene, sign_in, client, post_form
):
    """Issue 12: drafts stay with the organisers, the Chair and the rapporteurs; the public
    reads the report once it is adopted, the meeting concluded and the report published."""
    from datetime import date

    from app.meetings.models import MeetingStatus
    from app.registration.models import RegistrationStatus
    from tests.factories import make_registration, make_user

    participant = make_user()
    make_registration(scene.meeting, participant, status=RegistrationStatus.APPROVED)
    db.session.commit()
    url = f"/meetings/{scene.meeting.slug}/report.pdf"
    anonymous = client.application.test_client()
    assert anonymous.get(url).status_code == 302  # to the sign-in page
    sign_in(participant)
    assert client.get(url).status_code == 403
    for author in (scene.rapporteur, scene.chair, scene.organiser):
        sign_in(author)
        response = client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    base = f"/meetings/{scene.meeting.slug}/manage/report"
    response = post_form(f"{base}/publish", follow_redirects=True)
    assert "Record the day the report was adopted" in response.get_data(as_text=True)
    post_form(f"{base}/adopt", {"adopted_on": scene.meeting.last_day.isoformat()})
    response = post_form(f"{base}/publish", follow_redirects=True)
    assert "Conclude the meeting before publishing" in response.get_data(as_text=True)
    scene.meeting.status = MeetingStatus.CONCLUDED
    db.session.commit()
    response = post_form(f"{base}/publish", follow_redirects=True)
    assert "The report is public" in response.get_data(as_text=True)
    assert anonymous.get(url).status_code == 200
    response = post_form(
        f"{base}/adopt", {"adopted_on": date(1990, 1, 1).isoformat()}, follow_redirects=True
    )
    assert "A report is adopted from the meeting" in response.get_data(as_text=True)


def test_the_published_report_stays_as_published_until_withdrawn(scene, sign_in, client, post_form):
    """What the public reads is the report as it was published: a paragraph changed in the
    outline afterwards reaches it only when the organiser withdraws and publishes again."""
    import subprocess

    from app.meetings.models import MeetingStatus
    from app.outputs import outline
    from app.outputs.models import PartKind

    def public_text():
        pdf = client.application.test_client().get(url)
        assert pdf.status_code == 200
        return subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True
        ).stdout.decode()

    parts = outline.start_outline(scene.meeting)
    text = outline.add_part(scene.meeting, kind=PartKind.TEXT, after_id=parts[0].id,
                            body="The Meeting opened on time.")  # fmt: skip
    scene.meeting.status = MeetingStatus.CONCLUDED
    db.session.commit()
    url = f"/meetings/{scene.meeting.slug}/report.pdf"
    base = f"/meetings/{scene.meeting.slug}/manage/report"
    sign_in(scene.organiser)
    post_form(f"{base}/adopt", {"adopted_on": scene.meeting.last_day.isoformat()})
    post_form(f"{base}/publish")
    assert "The Meeting opened on time." in public_text()
    outline.update_part(scene.meeting, text, body="The Meeting opened late.")
    db.session.commit()
    published = public_text()
    assert "opened on time" in published and "opened late" not in published
    post_form(f"{base}/withdraw")
    post_form(f"{base}/publish")
    assert "The Meeting opened late." in public_text()


def test_visiting_the_chair_s_summary_writes_nothing_until_the_first_save(
    scene, sign_in, client, post_form
):
    db.session.commit()
    sign_in(scene.chair)
    url = f"/meetings/{scene.meeting.slug}/manage/chairs-summary"
    page = client.get(url)
    assert page.status_code == 200
    db.session.remove()
    assert db.session.query(ChairsSummary).count() == 0
    response = post_form(
        url,
        {"introduction": "The Meeting was opened.", "general_conclusions": "", "version": "1"},
        follow_redirects=True,
    )
    assert "text was saved." in response.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(select(ChairsSummary.introduction)) == "The Meeting was opened."
