"""Online participation and interpretation: the link reaches registered participants only (their
agenda and private feed), never a public page or feed; the languages are public."""

import pytest

from app.errors import ProgrammeError
from app.extensions import db
from app.programme import moves, sessions
from app.registration.registrations import regenerate_feed_token
from tests import factories

LINK = "https://meet.example.org/accpcj-room-a?pwd=s3cret"


def _meeting():
    meeting = factories.make_meeting()
    track = factories.make_track(meeting, "Main")
    session_ = factories.make_session(meeting, title="Opening", track=track)
    data = moves.current_input(session_)
    data.online_url, data.interpretation = LINK, ["en", "th", "ar"]
    sessions.update_session(session_, data)
    db.session.commit()
    return meeting, session_


def test_the_link_is_for_registered_participants_only(client, sign_in):
    meeting, session_ = _meeting()
    assert session_.interpretation == "ar en th"  # the UN's order, then ASEAN's
    public = [
        f"/meetings/{meeting.slug}/programme",
        f"/meetings/{meeting.slug}/sessions/{session_.id}",
        f"/meetings/{meeting.slug}/programme.ics",
        f"/meetings/{meeting.slug}/sessions/{session_.id}.ics",
        f"/meetings/{meeting.slug}/programme.json",
    ]
    for url in public:
        body = client.get(url).get_data(as_text=True)
        assert "meet.example.org" not in body, url
    page = client.get(f"/meetings/{meeting.slug}/sessions/{session_.id}").get_data(as_text=True)
    assert "Arabic, English, Thai" in page
    feed = client.get(f"/meetings/{meeting.slug}/programme.ics").get_data(as_text=True)
    assert "Interpretation: Arabic\\, English\\, Thai" in feed

    participant = factories.make_user()
    registration = factories.make_registration(meeting, participant)
    token = regenerate_feed_token(registration)
    db.session.commit()
    sign_in(participant)
    mine = client.get(f"/meetings/{meeting.slug}/my").get_data(as_text=True)
    assert 'href="https://meet.example.org/accpcj-room-a?pwd=s3cret"' in mine
    own = client.get(f"/meetings/{meeting.slug}/agenda/{token}.ics").get_data(as_text=True)
    unfolded = own.replace("\r\n ", "")
    assert "CONFERENCE;FEATURE=VIDEO;VALUE=URI:" + LINK in unfolded
    assert "Join online: " + LINK in unfolded


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("online_url", "javascript:alert(1)"),
        ("online_url", "https://a b"),
        ("online_url", "ftp://example.org"),
        ("online_url", "https://" + "a" * 600),
        ("interpretation", "en xx"),
    ],
)
def test_a_bad_link_or_language_is_refused(field, value):
    _meeting_, session_ = _meeting()
    data = moves.current_input(session_)
    setattr(data, field, value)
    with pytest.raises(ProgrammeError) as refused:
        sessions.update_session(session_, data)
    assert refused.value.field == field
