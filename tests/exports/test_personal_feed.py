"""A participant's private agenda feed, behind a token they can regenerate."""

import pytest

from app.extensions import db
from app.meetings.models import MeetingStatus
from app.registration.models import AttendanceCategory, RegistrationStatus
from app.registration.places import leave_place, take_place
from app.registration.registrations import regenerate_feed_token
from tests.exports.helpers import events_by_summary, parse
from tests.querycount import count_queries


def _feed_url(registration) -> str:
    return f"/meetings/accpcj-2/agenda/{registration.feed_token}.ics"


def test_regenerating_gives_a_new_unguessable_token(conference, make_registration):
    registration = make_registration(conference["meeting"])
    assert registration.feed_token is None
    first = regenerate_feed_token(registration)
    second = regenerate_feed_token(registration)
    assert first != second and len(second) == 43
    assert registration.feed_token == second


def test_the_feed_holds_plenaries_and_confirmed_places_not_the_waiting_list(
    client, conference, make_registration
):
    meeting = conference["meeting"]
    full = conference["breakouts"][2]  # Cluster III holds one participant
    take_place(make_registration(meeting), full)
    registration = make_registration(meeting)
    take_place(registration, full, wait=True)  # waitlisted
    regenerate_feed_token(registration)
    response = client.get(_feed_url(registration))
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    loose, _strict = parse(response.data)
    titles = set(events_by_summary(loose))
    assert {"Opening ceremony", conference["panel"].title, "Panel on digital forensics"} <= titles
    assert full.title not in titles  # waitlisted: left out until confirmed
    assert "Youth forum presentations" not in titles  # not a youth participant
    assert str(loose["X-WR-CALNAME"]) == "2nd ACCPCJ: my agenda"

    confirmed = conference["breakouts"][0]
    take_place(registration, confirmed)
    db.session.commit()
    loose, _ = parse(client.get(_feed_url(registration)).data)
    assert confirmed.title in events_by_summary(loose)


def test_a_youth_participant_follows_the_youth_forum(client, conference, make_registration):
    registration = make_registration(conference["meeting"], category=AttendanceCategory.YOUTH)
    take_place(registration, conference["workshop"])
    regenerate_feed_token(registration)
    loose, _ = parse(client.get(_feed_url(registration)).data)
    titles = set(events_by_summary(loose))
    assert {"Youth forum presentations", "Design Thinking workshop"} <= titles


def test_the_old_token_answers_404_after_regenerating(client, conference, make_registration):
    registration = make_registration(conference["meeting"])
    regenerate_feed_token(registration)
    old = _feed_url(registration)
    assert client.get(old).status_code == 200
    regenerate_feed_token(registration)
    assert client.get(old).status_code == 404
    assert client.get(_feed_url(registration)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "0" * 43,
        "a" * 65,
        "%00" * 20,
        "..%2F..%2Fetc",
        "abc%20def" * 6,
        "🙂" * 40,
    ],
)
def test_wrong_or_malformed_tokens_are_not_found(client, conference, make_registration, token):
    regenerate_feed_token(make_registration(conference["meeting"]))
    assert client.get(f"/meetings/accpcj-2/agenda/{token}.ics").status_code == 404


def test_the_token_belongs_to_its_meeting(client, conference, make_registration, make_meeting):
    make_meeting("other-meeting")
    registration = make_registration(conference["meeting"])
    regenerate_feed_token(registration)
    url = f"/meetings/other-meeting/agenda/{registration.feed_token}.ics"
    assert client.get(url).status_code == 404


def test_a_withdrawn_registration_has_no_feed(client, conference, make_registration):
    registration = make_registration(conference["meeting"])
    regenerate_feed_token(registration)
    registration.status = RegistrationStatus.CANCELLED
    assert client.get(_feed_url(registration)).status_code == 404


def test_a_draft_meeting_has_no_personal_feed(client, conference, make_registration):
    registration = make_registration(conference["meeting"])
    regenerate_feed_token(registration)
    conference["meeting"].status = MeetingStatus.DRAFT
    assert client.get(_feed_url(registration)).status_code == 404


def test_the_participant_regenerates_from_their_page(
    client, conference, make_registration, sign_in, post_form
):
    registration = make_registration(conference["meeting"])
    db.session.commit()
    sign_in(registration.user)
    page = client.get("/meetings/accpcj-2/my").get_data(as_text=True)
    assert "Create my calendar feed" in page

    response = post_form("/meetings/accpcj-2/my/calendar-feed")
    assert response.status_code == 302
    db.session.refresh(registration)
    first = registration.feed_token
    page = client.get("/meetings/accpcj-2/my").get_data(as_text=True)
    assert f'href="webcal://localhost/meetings/accpcj-2/agenda/{first}.ics"' in page
    assert client.get(f"/meetings/accpcj-2/agenda/{first}.ics").status_code == 200

    post_form("/meetings/accpcj-2/my/calendar-feed")
    db.session.refresh(registration)
    assert registration.feed_token != first
    assert client.get(f"/meetings/accpcj-2/agenda/{first}.ics").status_code == 404


def test_regenerating_needs_the_csrf_token_and_a_registration(
    client, conference, make_registration, make_user, sign_in, post_form
):
    registration = make_registration(conference["meeting"])
    db.session.commit()
    sign_in(registration.user)
    assert client.post("/meetings/accpcj-2/my/calendar-feed").status_code == 400
    db.session.refresh(registration)
    assert registration.feed_token is None
    sign_in(make_user())
    assert post_form("/meetings/accpcj-2/my/calendar-feed").status_code == 404


def test_an_unchanged_personal_feed_answers_304_without_building(
    client, conference, make_registration
):
    registration = make_registration(conference["meeting"])
    take_place(registration, conference["breakouts"][0])
    regenerate_feed_token(registration)
    db.session.commit()
    url = _feed_url(registration)
    first = client.get(url)
    db.session.expire_all()
    with count_queries() as statements:
        unchanged = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
    # The registration (with its meeting) and its confirmed places; nothing is built.
    assert len(statements) == 2, "\n".join(statements)
    assert "private" in unchanged.headers["Cache-Control"]


def test_the_personal_etag_follows_confirmed_places_not_the_waiting_list(
    client, conference, make_registration
):
    meeting = conference["meeting"]
    full = conference["breakouts"][2]  # Cluster III holds one participant
    holder = make_registration(meeting)
    take_place(holder, full)
    registration = make_registration(meeting)
    regenerate_feed_token(registration)
    db.session.commit()

    def after(change):
        """The feed asked with the ETag it had before `change`."""
        before = client.get(_feed_url(registration)).headers["ETag"]
        change()
        db.session.commit()
        db.session.expire_all()
        return client.get(_feed_url(registration), headers={"If-None-Match": before})

    # Joining a waiting list shows nothing new: the calendar's copy is still current.
    response = after(lambda: take_place(registration, full, wait=True))
    assert response.status_code == 304
    # The holder leaves: the place is confirmed, and the feed changes with it.
    response = after(lambda: leave_place(holder, full))
    assert response.status_code == 200
    loose, _ = parse(response.data)
    assert full.title in events_by_summary(loose)
    # Another participant's sign-up is not this feed's business.
    other = make_registration(meeting)
    response = after(lambda: take_place(other, conference["breakouts"][0]))
    assert response.status_code == 304
