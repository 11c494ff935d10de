"""Every size a user controls has a bound that fits the domain, refused with a clear message."""

import pytest
from sqlalchemy import func, select

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.queries import meeting_days
from app.programme import sessions as session_rules
from app.programme.models import AgendaSession, SpeakerRole
from tests import factories


def _meeting_form(**overrides) -> dict:
    data = {
        "title": "Regional Preparatory Meeting",
        "short_title": "RPM",
        "kind": "regional_preparatory_meeting",
        "timezone": "Asia/Bangkok",
        "first_day": "2019-01-22",
        "last_day": "2019-01-24",
        "slug": "rpm",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_day": "0001-01-01", "last_day": "9999-12-31"}, "first_day", "between 1950"),
        ({"first_day": "2019-01-01", "last_day": "2019-03-01"}, "last_day", "at most 31 days"),
        ({"timezone": "Asia/" + "x" * 300}, "timezone", "Unknown time zone"),
        ({"title": "x" * 100_000}, "title", "300"),
    ],
)
def test_a_meeting_past_its_bounds_is_refused_and_nothing_saved(
    client, make_user, sign_in, post_form, overrides, field, message
):
    sign_in(make_user(is_admin=True))
    response = post_form("/meetings/new", _meeting_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_an_old_meeting_with_an_endless_span_still_lists_a_bounded_number_of_days():
    from datetime import date

    meeting = factories.make_meeting(first_day=date(1, 1, 1), last_day=date(9999, 12, 31))
    assert len(meeting_days(meeting)) == 31


def test_a_meeting_holds_a_bounded_number_of_sessions(monkeypatch):
    meeting = factories.make_meeting()
    track = factories.make_track(meeting)
    factories.make_session(meeting, track=track)
    factories.make_session(meeting, track=track)
    monkeypatch.setattr(session_rules, "MAX_SESSIONS", 2)
    start = factories.local(meeting, 1, 9)
    data = session_rules.SessionInput(
        title="One too many",
        kind="plenary_meeting",
        track_id=track.id,
        day=start.date(),
        start_time=start.time().replace(tzinfo=None),
        end_time=start.time().replace(tzinfo=None, hour=10),
    )
    with pytest.raises(ProgrammeError, match="at most 2 sessions"):
        session_rules.create_session(meeting, data)
    assert db.session.scalar(select(func.count()).select_from(AgendaSession)) == 2


def test_a_session_holds_a_bounded_number_of_people(monkeypatch):
    meeting = factories.make_meeting()
    people = [factories.make_person(meeting, f"Person {n}") for n in range(3)]
    session_ = factories.make_session(
        meeting, people=[(people[0], SpeakerRole.PANELLIST), (people[1], SpeakerRole.PANELLIST)]
    )
    monkeypatch.setattr(session_rules, "MAX_PEOPLE_PER_SESSION", 2)
    with pytest.raises(ProgrammeError, match="at most 2 people"):
        session_rules.add_session_person(session_, people[2].id, SpeakerRole.PANELLIST)


def test_a_huge_registrations_filter_is_refused_not_a_500(client, make_user, sign_in):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    factories.make_registration(meeting)
    db.session.commit()
    sign_in(organiser)
    url = f"/meetings/{meeting.slug}/manage/registrations?delegation={'x' * 100_000}"
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="delegation-error"' in response.get_data(as_text=True)


def test_the_registrations_page_shows_no_error_on_a_plain_visit(client, make_user, sign_in):
    organiser = make_user()
    meeting = factories.make_meeting(organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    page = client.get(f"/meetings/{meeting.slug}/manage/registrations").get_data(as_text=True)
    assert "Not a valid choice" not in page and 'class="error"' not in page
