"""The feeds' fingerprint: any change a feed shows moves its ETag; an unchanged one is cheap."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.programme import clusters, sessions
from app.programme.models import AgendaSession, Room, SpeakerRole, Track, TrackKind
from tests.querycount import count_queries

URL = "/meetings/accpcj-2/programme.ics"


def _get(client, url=URL, **headers):
    db.session.expire_all()
    return client.get(url, headers=headers)


def _changes_the_feed(client, change, *, shown=True):
    before = _get(client)
    change()
    db.session.commit()
    after = _get(client)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert _get(client, If_None_Match=before.headers["ETag"]).status_code == 200
    if shown:
        assert after.data != before.data
    return after.data


def test_renaming_a_person_changes_the_etag_and_the_feed(client, conference):
    def rename():
        conference["kittipong"].name = "Kittipong Kittayarak-Renamed"

    assert b"Kittayarak-Renamed" in _changes_the_feed(client, rename)


def test_renaming_a_room_changes_the_etag_and_the_feed(client, conference):
    def rename():
        db.session.scalar(select(Room).where(Room.name == "Grand Ballroom")).name = "Hall A"

    assert b"Hall A" in _changes_the_feed(client, rename)


def test_renaming_a_track_changes_the_etag_and_the_feed(client, conference):
    def rename():
        conference["main"].name = "Plenary track"

    assert b"Plenary track" in _changes_the_feed(client, rename)


def test_renaming_a_cluster_changes_the_etag_and_the_feed(client, conference):
    def rename():
        conference["clusters"][0].title = "Culture of Lawfulness"

    assert b"Culture of Lawfulness" in _changes_the_feed(client, rename)


def test_a_new_cluster_topic_changes_the_etag(client, conference):
    """Topics are not in the feed, but the stamp moves all the same (the JSON shows them)."""
    cluster = conference["clusters"][1]

    def retopic():
        clusters.save_cluster(
            conference["meeting"],
            number=cluster.number,
            title=cluster.title,
            topics=["International Cooperation", "Extradition"],
            capacity=cluster.capacity,
            cluster=cluster,
        )

    _changes_the_feed(client, retopic, shown=False)


def test_a_role_given_again_changes_the_etag_and_the_feed(client, conference):
    """Removing a person's role and giving another may reuse the row's id (SQLite does)."""
    panel = conference["panel"]

    def change_role():
        last = max(panel.people, key=lambda entry: entry.id)
        sessions.remove_session_person(panel, last.id)
        sessions.add_session_person(panel, last.person_id, SpeakerRole.DISCUSSANT)

    assert b"Discussant" in _changes_the_feed(client, change_role)


def test_removing_a_room_changes_the_etag(client, conference):
    def remove():
        db.session.delete(db.session.scalar(select(Room).where(Room.name == "Lotus Suite 5–7")))

    assert b"Lotus Suite" not in _changes_the_feed(client, remove)


@pytest.mark.parametrize("kind", ["programme", "track", "session", "speaker"])
def test_an_unchanged_feed_answers_304_in_one_query(client, conference, kind):
    url = {
        "programme": URL,
        "track": f"/meetings/accpcj-2/tracks/{conference['youth'].id}.ics",
        "session": f"/meetings/accpcj-2/sessions/{conference['opening'].id}.ics",
        "speaker": f"/meetings/accpcj-2/speakers/{conference['kittipong'].id}.ics",
    }[kind]
    first = _get(client, url)
    assert first.status_code == 200
    db.session.commit()
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 304
    assert response.headers["ETag"] == first.headers["ETag"]
    # The meeting row carries the programme's revision: nothing else is read.
    assert len(statements) == 1, statements
    # Without the ETag, the same bytes come from memory: no more queries either.
    db.session.expire_all()
    with count_queries() as statements:
        again = client.get(url)
    assert again.status_code == 200 and again.data == first.data
    assert len(statements) <= 2, statements


def test_a_session_edit_rebuilds_the_cached_feed(client, conference):
    first = _get(client)
    session_ = db.session.get(AgendaSession, conference["opening"].id)
    sessions.cancel_session(session_)
    db.session.commit()
    second = _get(client)
    assert second.data != first.data
    assert b"STATUS:CANCELLED" in second.data


def test_removing_a_session_changes_the_etag(client, conference):
    def remove():
        db.session.delete(db.session.get(AgendaSession, conference["panel"].id))

    assert b"SUMMARY:" in _changes_the_feed(client, remove)


def test_a_programme_edit_leaves_the_meeting_record_alone(client, conference):
    """The revision moves; the meeting's own stamp and version (its edit form's) do not."""
    meeting = conference["meeting"]
    version, updated_at, revision = meeting.version, meeting.updated_at, meeting.programme_revision
    conference["main"].name = "Plenary track"
    db.session.commit()
    assert (meeting.version, meeting.updated_at) == (version, updated_at)
    assert meeting.programme_revision == revision + 1
    assert meeting.programme_changed_at is not None


def test_another_meeting_s_edits_leave_the_etag_alone(client, conference, make_meeting, make_track):
    other = make_meeting("cgm-phuket")
    track = make_track(other, "Main", TrackKind.MAIN)
    db.session.commit()
    before = _get(client).headers["ETag"]
    track.name = "Plenary"
    db.session.commit()
    response = _get(client, If_None_Match=before)
    assert response.status_code == 304


def test_a_track_added_through_its_meeting_object_changes_the_etag(client, conference):
    """A new record given `meeting=` (not `meeting_id=`) still moves the revision."""

    def add_track():
        track = Track(meeting=conference["meeting"], name="Side events", kind=TrackKind.MAIN)
        db.session.add(track)

    _changes_the_feed(client, add_track, shown=False)
