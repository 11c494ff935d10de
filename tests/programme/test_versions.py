"""Published programme versions: their change lists, the public change log, the "changed since
you last looked" marks, and the printed programme."""

from datetime import time
from io import BytesIO

from pypdf import PdfReader

from app.extensions import db
from app.meetings.models import MeetingStatus
from app.programme import moves, publishing, queries, sessions
from app.programme.models import AgendaSession, SessionPerson, SpeakerRole
from tests import factories


def _meeting():
    organiser = factories.make_user()
    meeting = factories.make_meeting(status=MeetingStatus.DRAFT, organiser=organiser)
    track = factories.make_track(meeting, "Main")
    hall = factories.make_room(meeting, "Hall")
    planned = [
        factories.make_session(
            meeting,
            title=f"Session {n}",
            track=track,
            room=hall,
            starts_at=factories.local(meeting, 1, 9 + n),
        )  # fmt: skip
        for n in range(5)
    ]
    db.session.commit()
    return meeting, organiser, planned, hall


def _at(meeting, session_, hour):
    """A move of `session_` to `hour`:00 on the meeting's first day, for an hour."""
    return moves.Move(meeting.first_day, time(hour), time(hour + 1), session_.room_id, None)


def test_publishing_after_changes_records_a_version_with_its_change_list():
    meeting, organiser, planned, _hall = _meeting()
    moves.move_session(planned[0], _at(meeting, planned[0], 6), actor_id=organiser.id)
    publishing.publish_meeting(meeting, actor_id=organiser.id)
    [first] = queries.programme_versions(meeting)
    assert first.number == 1 and first.counts == {}  # planning is not news

    for n, hour in ((1, 15), (2, 16), (3, 17), (4, 18)):
        moves.move_session(planned[n], _at(meeting, planned[n], hour), actor_id=organiser.id)
    sessions.cancel_session(planned[0], actor_id=organiser.id)
    publishing.publish_meeting(meeting, actor_id=organiser.id)
    db.session.commit()
    latest, _first = queries.programme_versions(meeting)
    assert latest.number == 2
    assert latest.counts == {"moved": 4, "cancelled": 1}
    # Publishing again with nothing new records no version.
    publishing.publish_meeting(meeting, actor_id=organiser.id)
    assert publishing.latest_version(meeting) == 2


def test_the_public_change_log_and_the_marks_of_ones_own_sessions(client, sign_in):
    meeting, organiser, planned, _hall = _meeting()
    speaker_account = factories.make_user()
    speaker = factories.make_person(meeting, "Speaker", user_id=speaker_account.id)
    planned[1].people.append(SessionPerson(person_id=speaker.id, role=SpeakerRole.PANELLIST))
    publishing.publish_meeting(meeting, actor_id=organiser.id)
    db.session.commit()

    sign_in(speaker_account)
    first = client.get(f"/meetings/{meeting.slug}/programme")
    assert "Changed since you last looked" not in first.get_data(as_text=True)
    assert "plenary_seen_" in first.headers["Set-Cookie"]

    # The page loaded these with its own options: take them afresh, as a new request would.
    ids, organiser_id = [s.id for s in planned], organiser.id
    db.session.expunge_all()
    planned = [db.session.get(AgendaSession, i) for i in ids]
    meeting = planned[0].meeting
    moves.move_session(planned[1], _at(meeting, planned[1], 15), actor_id=organiser_id)
    moves.move_session(planned[2], _at(meeting, planned[2], 16), actor_id=organiser_id)
    publishing.publish_meeting(meeting, actor_id=organiser_id)
    db.session.commit()

    page = client.get(f"/meetings/{meeting.slug}/programme").get_data(as_text=True)
    # Only the speaker's own session is marked, once; the next look marks nothing.
    assert page.count('class="changed-mark"') == 1
    card = page[page.index(f'id="cell-{planned[1].id}"') :][:1500]
    assert "Changed since you last looked" in card
    again = client.get(f"/meetings/{meeting.slug}/programme").get_data(as_text=True)
    assert "changed-mark" not in again

    log = client.get(f"/meetings/{meeting.slug}/programme/changes").get_data(as_text=True)
    assert "Version 2: 2 sessions moved" in log
    assert "Version 1: first publication" in log
    assert "Session 1" in log and "16:00" in log


def test_the_printed_programme_has_one_landscape_page_per_day(client):
    meeting, _organiser, _planned, _hall = _meeting()
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    for size, width in (("a4", 842), ("a3", 1191)):
        answer = client.get(f"/meetings/{meeting.slug}/programme.pdf?size={size}")
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        pdf = PdfReader(BytesIO(answer.data))
        assert len(pdf.pages) == 2  # two days
        box = pdf.pages[0].mediabox
        assert round(float(box.width)) == width and box.width > box.height
        assert "Session 3" in pdf.pages[0].extract_text()
    assert client.get(f"/meetings/{meeting.slug}/programme.pdf?size=letter").status_code == 404
