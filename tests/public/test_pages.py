"""The public programme pages: by day in the meeting's zone, tracks side by side, 404s."""

import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.meetings.models import MeetingStatus, Workshop
from app.programme.models import SessionPerson, SpeakerRole


def test_programme_shows_each_day_and_zone_once(client, conference):
    page = client.get("/meetings/accpcj-2/programme").get_data(as_text=True)
    assert "Thursday, 27 February 2020" in page
    assert "Friday, 28 February 2020" in page
    assert page.count("Times in Asia/Bangkok (UTC+07:00)") == 1
    assert page.index("Opening ceremony") < page.index("Panel on digital forensics")


def test_session_is_on_its_local_day(client, make_meeting, make_session):
    meeting = make_meeting("late", first_day=datetime(2020, 2, 26).date())
    # 23:30 UTC on 26 February is 06:30 on 27 February in Bangkok.
    make_session(
        meeting,
        title="Early breakfast briefing",
        starts_at=datetime(2020, 2, 26, 23, 30, tzinfo=UTC),
        ends_at=datetime(2020, 2, 27, 0, 30, tzinfo=UTC),
    )
    page = client.get("/meetings/late/programme").get_data(as_text=True)
    day_27 = page.index('id="day-2020-02-27"')
    assert 'id="day-2020-02-26"' not in page
    assert page.index("Early breakfast briefing") > day_27
    assert "06:30" in page


def test_day_filter_shows_only_that_day(client, conference):
    page = client.get("/meetings/accpcj-2/programme?day=2020-02-28").get_data(as_text=True)
    assert "Panel on digital forensics" in page
    assert "Opening ceremony" not in page
    assert 'aria-current="page">Friday, 28 February 2020' in page
    assert client.get("/meetings/accpcj-2/programme?day=not-a-day").status_code == 404


def _placement(page: str, element_id: str) -> str:
    """The grid position the page's style block gives an element (the CSP allows no style
    attributes, so positions sit in one <style nonce> block, a rule per element id)."""
    match = re.search(r"#" + re.escape(element_id) + r"\{([^}]*)\}", page)
    assert match, f"no placement for #{element_id}"
    return match.group(1).replace(" ", "")


def _cell_id(page: str, text: str) -> str:
    before = page[: page.index(text)].rsplit("programme-grid__cell", 1)[1]
    return re.search(r'id="(cell-\d+)"', before).group(1)


def test_tracks_side_by_side(client, conference):
    page = client.get("/meetings/accpcj-2/programme?day=2020-02-27").get_data(as_text=True)
    # One column for the youth forum beside three lanes of the main conference.
    assert "programme-grid__track--youth_forum" in page
    assert "2nd TIJ Youth Forum" in page
    assert "--track-columns:repeat(3,minmax(0,1fr))repeat(1,minmax(0,1fr))" in _placement(
        page, "grid-2020-02-27"
    )
    # The three breakouts sit in three columns on the same row; the workshop beside them.
    for n, session_ in enumerate(conference["breakouts"]):
        cell = _placement(page, _cell_id(page, session_.title))
        assert f"grid-column:{2 + n}/{3 + n}" in cell
        assert "grid-row:4/" in cell
    cell = _placement(page, _cell_id(page, "Design Thinking workshop"))
    assert "grid-column:5/6" in cell
    assert "Cluster II: Law and Justice" in page
    # The opening ceremony spans the whole main conference.
    cell = _placement(page, _cell_id(page, ">Opening ceremony<"))
    assert "grid-column:2/5" in cell
    # No style attribute anywhere: the Content-Security-Policy would refuse it.
    assert " style=" not in page


def test_cancelled_session_is_kept_and_marked(client, conference):
    page = client.get("/meetings/accpcj-2/programme").get_data(as_text=True)
    assert "Panel on digital forensics" in page
    card = page[page.index("Panel on digital forensics") - 900 :]
    assert "session-card--cancelled" in card
    assert "Cancelled" in card
    session_page = client.get(f"/meetings/accpcj-2/sessions/{conference['cancelled'].id}")
    assert "This session has been cancelled." in session_page.get_data(as_text=True)


def test_session_page(client, conference, make_agenda_item):
    meeting = conference["meeting"]
    item = make_agenda_item(meeting, 5, "Substantive items")
    sub = make_agenda_item(meeting, 5, "Culture of prevention", parent=item, letter="a")
    breakout = conference["breakouts"][0]
    breakout.agenda_item_id = sub.id
    breakout.people.append(
        SessionPerson(person_id=conference["kittipong"].id, role=SpeakerRole.MODERATOR)
    )
    response = client.get(f"/meetings/accpcj-2/sessions/{breakout.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Dr. Kittipong Kittayarak</a>, Executive Director, Thailand Institute of Justice" in page
    assert f"/meetings/accpcj-2/speakers/{conference['kittipong'].id}" in page
    assert "Moderator" in page
    assert "Agenda item 5 (a): Culture of prevention" in page
    assert "Cluster I: Culture of Prevention" in page
    assert "Good Governance" in page and "Peace" in page
    assert "Thursday, 27 February 2020, " in page
    assert "13:30" in page and "Asia/Bangkok (UTC+07:00)" in page


def test_speaker_pages(client, conference):
    person = conference["kittipong"]
    listing = client.get("/meetings/accpcj-2/speakers").get_data(as_text=True)
    assert "Dr. Kittipong Kittayarak" in listing
    page = client.get(f"/meetings/accpcj-2/speakers/{person.id}").get_data(as_text=True)
    assert "Dr. Kittipong Kittayarak" in page
    assert "Executive Director, Thailand Institute of Justice, Thailand" in page
    assert "Former Permanent Secretary of Justice." in page
    assert "Opening ceremony" in page
    assert "Keynote speaker" in page
    assert "09:00–10:00" in page


def test_participant_only_person_is_not_public(client, conference, make_person):
    participant = make_person(conference["meeting"], "Quiet Participant")
    assert client.get(f"/meetings/accpcj-2/speakers/{participant.id}").status_code == 404
    listing = client.get("/meetings/accpcj-2/speakers").get_data(as_text=True)
    assert "Quiet Participant" not in listing


def test_agenda_page(client, make_meeting, make_agenda_item):
    meeting = make_meeting("rpm")
    make_agenda_item(meeting, 1, "Opening of the Meeting")
    item = make_agenda_item(meeting, 5, "Substantive items and workshops")
    item.annotation = "The Meeting will consider the substantive items."
    sub = make_agenda_item(meeting, 5, "Comprehensive strategies", parent=item, letter="a")
    db.session.add(
        Workshop(meeting_id=meeting.id, agenda_item_id=sub.id, number=1, title="Evidence")
    )
    db.session.flush()
    page = client.get("/meetings/rpm/agenda").get_data(as_text=True)
    assert page.index("1.</span> Opening of the Meeting") < page.index("5.</span> Substantive")
    assert "(a)</span> Comprehensive strategies" in page
    assert "and workshop 1: Evidence" in page
    assert "The Meeting will consider the substantive items." in page


@pytest.mark.parametrize("path", ["programme", "speakers", "agenda"])
def test_draft_meeting_hidden_from_the_public(client, make_meeting, make_user, sign_in, path):
    organiser = make_user()
    make_meeting("draft", status=MeetingStatus.DRAFT, organiser=organiser)
    assert client.get(f"/meetings/draft/{path}").status_code == 404
    sign_in(organiser)
    assert client.get(f"/meetings/draft/{path}").status_code == 200


def test_draft_session_hidden_from_the_public(client, make_meeting, make_session):
    meeting = make_meeting("draft", status=MeetingStatus.DRAFT)
    session_ = make_session(meeting)
    assert client.get(f"/meetings/draft/sessions/{session_.id}").status_code == 404


def test_unknown_ids_are_404(client, conference):
    assert client.get("/meetings/accpcj-2/sessions/999999").status_code == 404
    assert client.get("/meetings/accpcj-2/speakers/999999").status_code == 404
    assert client.get("/meetings/nowhere/programme").status_code == 404
    # Beyond PostgreSQL's INTEGER: not found, not a database error.
    assert client.get("/meetings/accpcj-2/sessions/99999999999").status_code == 404
    assert client.get("/meetings/accpcj-2/speakers/99999999999").status_code == 404


def test_records_of_another_meeting_are_404(
    client, conference, make_meeting, make_session, make_person
):
    other = make_meeting("other")
    speaker = make_person(other, "Other Speaker")
    session_ = make_session(other, people=[(speaker, SpeakerRole.PANELLIST)])
    assert client.get(f"/meetings/other/sessions/{session_.id}").status_code == 200
    assert client.get(f"/meetings/accpcj-2/sessions/{session_.id}").status_code == 404
    assert client.get(f"/meetings/other/speakers/{speaker.id}").status_code == 200
    assert client.get(f"/meetings/accpcj-2/speakers/{speaker.id}").status_code == 404
    kittipong = conference["kittipong"]
    assert client.get(f"/meetings/other/speakers/{kittipong.id}").status_code == 404
