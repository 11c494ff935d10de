"""New meeting from this one: the chosen structure, shifted to the new dates, nothing personal,
linked as a series; refused onto overlapping dates with nothing half-made."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import ProgrammeError
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingStatus, Workshop
from app.programme import copying
from app.programme.models import AgendaSession, Cluster, Room, SessionKind, SpeakerRole, Track
from app.registration.places import take_place
from tests import factories


def _source():
    organiser = factories.make_user(name="Organiser")
    organiser.can_create_meetings = True
    meeting = factories.make_meeting(
        "2nd-accpcj", organiser=organiser, short_title="2nd ACCPCJ", timezone="Asia/Bangkok"
    )
    item = factories.make_agenda_item(meeting, 3, "Substantive items")
    factories.make_agenda_item(meeting, 3, "Cybercrime", parent=item, letter="a")
    db.session.add(Workshop(meeting_id=meeting.id, number=1, title="Youth", agenda_item_id=item.id))
    main = factories.make_track(meeting, "Main conference")
    hall, room_a = (
        factories.make_room(meeting, "Plenary Hall", 400),
        factories.make_room(meeting, "Room A", 80),
    )
    cluster = factories.make_cluster(meeting, 1, "Culture of Prevention", topics=("One", "Two"))
    speaker = factories.make_person(meeting, "Kittipong")
    opening = factories.make_session(
        meeting, title="Opening", track=main, room=hall, agenda_item_id=item.id,
        starts_at=factories.local(meeting, 1, 9), people=[(speaker, SpeakerRole.CHAIR)],
    )  # fmt: skip
    breakout = factories.make_session(
        meeting, title="Breakout 1", track=main, room=room_a, kind=SessionKind.BREAKOUT,
        cluster_id=cluster.id, slot=1, starts_at=factories.local(meeting, 2, 14),
    )  # fmt: skip
    take_place(factories.make_registration(meeting), breakout)
    db.session.commit()
    return meeting, organiser, opening


def _count(model, meeting) -> int:
    query = select(func.count()).select_from(model).where(model.meeting_id == meeting.id)
    return db.session.scalar(query)


def test_the_next_edition_copies_the_structure_at_the_new_dates():
    source, organiser, opening = _source()
    new = copying.copy_meeting(
        source, organiser, title="3rd ACCPCJ", short_title="3rd ACCPCJ", slug="",
        first_day=date(2022, 3, 10), parts={"agenda", "rooms", "sessions", "clusters"},
    )  # fmt: skip
    db.session.commit()
    assert new.slug == "3rd-accpcj" and new.status == MeetingStatus.DRAFT
    assert (new.first_day, new.last_day) == (date(2022, 3, 10), date(2022, 3, 11))
    assert new.previous_edition_id == source.id
    assert _count(AgendaItem, new) == 2 and _count(Workshop, new) == 1
    assert _count(Track, new) == 1  # sessions need their track
    assert _count(Room, new) == 2 and _count(Cluster, new) == 1
    copied = list(
        db.session.scalars(
            select(AgendaSession)
            .where(AgendaSession.meeting_id == new.id)
            .order_by(AgendaSession.starts_at)
        )
    )
    assert [s.title for s in copied] == ["Opening", "Breakout 1"]
    # The same local times on the matching new days, nobody in them, no places.
    assert copied[0].starts_at == factories.local(new, 1, 9)
    assert copied[1].starts_at == factories.local(new, 2, 14)
    assert copied[0].people == [] and copied[1].cluster.topics[1].title == "Two"
    assert copied[0].agenda_item.meeting_id == new.id
    assert copied[0].room.meeting_id == new.id


def test_only_the_chosen_parts():
    source, organiser, _opening = _source()
    new = copying.copy_meeting(
        source, organiser, title="3rd", short_title="3rd", slug="third",
        first_day=date(2021, 1, 1), parts={"tracks"},
    )  # fmt: skip
    assert _count(Track, new) == 1
    assert _count(AgendaSession, new) == _count(Room, new) == _count(AgendaItem, new) == 0


@pytest.mark.parametrize(
    ("first_day", "field"),
    [(date(2020, 2, 28), "first_day"), (date(2020, 2, 26), "first_day"), (None, "first_day")],
)
def test_overlapping_dates_are_refused_and_nothing_is_made(first_day, field):
    source, organiser, _opening = _source()
    before = db.session.scalar(select(func.count()).select_from(Meeting))
    with pytest.raises(ProgrammeError) as refused:
        copying.copy_meeting(
            source, organiser, title="3rd", short_title="3rd", slug="",
            first_day=first_day, parts={"sessions"},
        )  # fmt: skip
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == before


def test_an_area_above_adds_its_own_part(app):
    """How the report outline (issue 12) joins in: a copier contributed to the hook."""
    seen = []
    outline = copying.Copier(
        "outline", "Report outline", lambda s, t, c: seen.append((s.id, t.id, c.sessions))
    )
    # What contribute(bp, "meeting_copiers", ...) does when the area's blueprint registers
    # (the suite's app has served requests already, so no blueprint can be added to it).
    hooks = app.extensions.setdefault("plenary_hooks", {}).setdefault("meeting_copiers", [])
    hooks.append(lambda: [outline])
    try:
        source, organiser, opening = _source()
        assert ("outline", "Report outline") in copying.part_choices()
        new = copying.copy_meeting(
            source, organiser, title="3rd", short_title="3rd", slug="",
            first_day=date(2023, 1, 1), parts={"sessions", "outline"},
        )  # fmt: skip
        [(source_id, target_id, sessions)] = seen
        assert (source_id, target_id) == (source.id, new.id) and opening.id in sessions
    finally:
        hooks.pop()


def test_over_http_the_copy_needs_to_organise_and_to_create(client, sign_in, post_form):
    source, organiser, _opening = _source()
    sign_in(organiser)
    page = client.get("/meetings/2nd-accpcj/manage/copy")
    assert page.status_code == 200 and 'name="parts"' in page.get_data(as_text=True)
    done = post_form(
        "/meetings/2nd-accpcj/manage/copy",
        {"title": "3rd ACCPCJ", "short_title": "3rd ACCPCJ", "first_day": "2022-03-10",
         "parts": ["tracks", "sessions"]},
        follow_redirects=True,
    )  # fmt: skip
    assert "created from this one" in done.get_data(as_text=True)
    public = client.get("/meetings/2nd-accpcj/").get_data(as_text=True)
    # The draft edition is its organiser's to see: the link shows to them.
    assert "Next edition" in public and "3rd ACCPCJ" in public
    overlap = post_form(
        "/meetings/2nd-accpcj/manage/copy",
        {"title": "4th", "short_title": "4th", "first_day": "2020-02-28", "parts": ["tracks"]},
    )
    assert "would meet on days of this one" in overlap.get_data(as_text=True)
    organiser.can_create_meetings = False
    db.session.commit()
    assert client.get("/meetings/2nd-accpcj/manage/copy").status_code == 403


def test_the_next_edition_keeps_the_languages_and_the_titles_given_in_them():
    source, organiser, opening = _source()
    source.language = "fr"
    source.content_languages = ["ar"]
    source.translations = {"ar": {"title": "المؤتمر الثاني", "theme": "ثقافة الوقاية"}}
    opening.translations = {"ar": {"title": "الافتتاح"}}
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == source.id))
    item.translations = {"ar": {"title": "البنود الموضوعية"}}
    db.session.commit()
    new = copying.copy_meeting(
        source, organiser, title="3rd ACCPCJ", short_title="3rd ACCPCJ", slug="",
        first_day=date(2022, 3, 10), parts={"agenda", "sessions"},
    )  # fmt: skip
    db.session.commit()
    assert (new.language, new.content_languages) == ("fr", ["ar"])
    # The theme carries over in Arabic; the title is the new edition's own.
    assert new.translations == {"ar": {"theme": "ثقافة الوقاية"}}
    session_ = db.session.scalar(
        select(AgendaSession).where(
            AgendaSession.meeting_id == new.id, AgendaSession.title == "Opening"
        )
    )
    assert session_.translations == {"ar": {"title": "الافتتاح"}}
    titles = db.session.scalars(
        select(AgendaItem.translations).where(AgendaItem.meeting_id == new.id)
    )
    assert {"ar": {"title": "البنود الموضوعية"}} in list(titles)
