"""`flask --app wsgi demo` loads the 2nd ACCPCJ as its concept paper describes it, once."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.services import authenticate
from app.commands.demo import DEMO_PASSWORD, DEMO_SLUG
from app.commands.demo_rpm import RPM_SLUG
from app.extensions import db
from app.meetings.models import (
    Document,
    Meeting,
    MeetingKind,
    MeetingRole,
    MeetingStatus,
    Office,
    Officer,
    Person,
    RoleName,
)
from app.programme.conflicts import find_conflicts
from app.programme.models import (
    AgendaSession,
    Cluster,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
    TrackKind,
)
from app.registration.models import AttendanceCategory, Registration
from app.timezones import to_local

ACCOUNTS = {
    "organiser@plenary.demo": RoleName.ORGANISER,
    "chair@plenary.demo": RoleName.CHAIR,
    "rapporteur@plenary.demo": RoleName.RAPPORTEUR,
    "participant@plenary.demo": RoleName.PARTICIPANT,
    "desk@plenary.demo": RoleName.REGISTRATION_DESK,
}


@pytest.fixture
def run_demo(app):
    """Run the CLI command as the README does; returns its result."""

    def _run(*args: str):
        result = app.test_cli_runner().invoke(args=["demo", *args])
        assert result.exit_code == 0, result.output
        db.session.remove()  # read what the command committed, not a cached identity map
        return result

    return _run


def demo_meeting() -> Meeting:
    return db.session.scalars(sa.select(Meeting).where(Meeting.slug == DEMO_SLUG)).one()


def sessions_of(meeting: Meeting) -> list[AgendaSession]:
    return list(
        db.session.scalars(
            sa.select(AgendaSession)
            .where(AgendaSession.meeting_id == meeting.id)
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        )
    )


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_is_the_2nd_accpcj_in_bangkok(run_demo):
    run_demo()
    meeting = demo_meeting()
    assert meeting.short_title == "2nd ACCPCJ"
    assert meeting.title == "The 2nd ASEAN Conference on Crime Prevention and Criminal Justice"
    assert meeting.kind == MeetingKind.CONFERENCE
    assert meeting.status == MeetingStatus.PUBLISHED
    assert (meeting.first_day, meeting.last_day) == (date(2020, 2, 27), date(2020, 2, 28))
    assert (meeting.city, meeting.country, meeting.timezone) == (
        "Bangkok",
        "Thailand",
        "Asia/Bangkok",
    )
    assert meeting.theme == (
        "Promoting the ASEAN Culture of Prevention for a Collaborative and Innovative Justice"
        " for All"
    )
    assert meeting.substantive_issue == "Cybercrime"
    assert "19th" in meeting.reports_to and "ASLOM" in meeting.reports_to


def test_consultative_group_meeting_prepared_it(run_demo):
    run_demo()
    cgm = demo_meeting().prepared_by
    assert cgm is not None
    assert cgm.kind == MeetingKind.CONSULTATIVE_MEETING
    assert cgm.city == "Phuket"
    assert (cgm.first_day, cgm.last_day) == (date(2019, 10, 13), date(2019, 10, 14))
    assert cgm.status == MeetingStatus.CONCLUDED
    assert "Thailand Institute of Justice" in cgm.convening_body


def test_three_clusters_with_two_topics_each(run_demo):
    run_demo()
    clusters = db.session.scalars(
        sa.select(Cluster).where(Cluster.meeting_id == demo_meeting().id).order_by(Cluster.number)
    ).all()
    assert [(c.number, c.title) for c in clusters] == [
        (1, "Culture of Prevention"),
        (2, "Law and Justice"),
        (3, "Innovation and Collaboration"),
    ]
    assert [len(c.topics) for c in clusters] == [2, 2, 2]
    assert clusters[1].topics[0].title == "International Cooperation in Criminal Matters"
    for cluster in clusters:
        assert cluster.discussion_guide
        assert cluster.capacity > 0
        assert cluster.moderator is not None and cluster.rapporteur is not None


def test_breakouts_run_the_three_clusters_in_two_slots(run_demo):
    run_demo()
    breakouts = [s for s in sessions_of(demo_meeting()) if s.kind == SessionKind.BREAKOUT]
    assert sorted((s.slot, s.cluster.number) for s in breakouts) == [
        (slot, number) for slot in (1, 2) for number in (1, 2, 3)
    ]
    for slot in (1, 2):
        in_slot = [s for s in breakouts if s.slot == slot]
        # the three clusters of a slot run at once, each in a room of its own
        assert len({(s.starts_at, s.ends_at) for s in in_slot}) == 1
        assert len({s.room_id for s in in_slot}) == 3
        for s in in_slot:
            roles = {(p.person_id, p.role) for p in s.people}
            assert (s.cluster.moderator_id, SpeakerRole.MODERATOR) in roles
            assert (s.cluster.rapporteur_id, SpeakerRole.RAPPORTEUR) in roles
            assert s.cluster.capacity <= s.room.capacity
    slot_1 = next(s for s in breakouts if s.slot == 1)
    slot_2 = next(s for s in breakouts if s.slot == 2)
    assert slot_1.ends_at <= slot_2.starts_at
    assert to_local(slot_1.starts_at, "Asia/Bangkok").hour >= 13  # in the afternoon of Day 1


def test_day_format_follows_the_concept_paper(run_demo):
    run_demo()
    meeting = demo_meeting()
    by_day: dict[date, list[SessionKind]] = {}
    for s in sessions_of(meeting):
        if s.track.kind == TrackKind.MAIN:
            by_day.setdefault(to_local(s.starts_at, meeting.timezone).date(), []).append(s.kind)
    day_1, day_2 = by_day[date(2020, 2, 27)], by_day[date(2020, 2, 28)]
    assert day_1[0] == SessionKind.OPENING_CEREMONY
    assert SessionKind.KEYNOTE in day_1
    assert day_1.count(SessionKind.PANEL_DISCUSSION) == 2
    assert day_1.count(SessionKind.OPEN_DISCUSSION) == 2
    assert day_1.count(SessionKind.BREAKOUT) == 6
    assert day_2[0] == SessionKind.RAPPORTEUR_PRESENTATIONS
    assert SessionKind.YOUTH_FORUM_PRESENTATIONS in day_2
    assert day_2[-1] == SessionKind.CHAIRS_SUMMARY_AND_CLOSING


def test_times_are_stored_in_utc(run_demo):
    run_demo()
    opening = next(s for s in sessions_of(demo_meeting()) if s.kind == SessionKind.OPENING_CEREMONY)
    assert opening.starts_at == datetime(2020, 2, 27, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok
    with db.engine.connect() as conn:
        raw = conn.execute(
            sa.text("SELECT starts_at FROM sessions WHERE id = :id"), {"id": opening.id}
        ).scalar_one()
    # SQLite hands back text, PostgreSQL a naive datetime: both say 02:00.
    assert str(raw).startswith("2020-02-27 02:00")


def test_youth_forum_runs_in_parallel_with_its_design_thinking_workshop(run_demo):
    run_demo()
    meeting = demo_meeting()
    tracks = db.session.scalars(sa.select(Track).where(Track.meeting_id == meeting.id)).all()
    assert {(t.name, t.kind) for t in tracks} == {
        ("Main conference", TrackKind.MAIN),
        ("2nd TIJ Youth Forum", TrackKind.YOUTH_FORUM),
    }
    sessions = sessions_of(meeting)
    workshop = next(s for s in sessions if "Design Thinking" in s.title)
    assert workshop.kind == SessionKind.WORKSHOP
    assert workshop.track.kind == TrackKind.YOUTH_FORUM
    assert workshop.capacity and workshop.capacity <= workshop.room.capacity
    parallel = [
        s
        for s in sessions
        if s.track.kind == TrackKind.MAIN
        and s.starts_at < workshop.ends_at
        and workshop.starts_at < s.ends_at
    ]
    assert parallel, "the workshop overlaps no session of the main conference"


def test_nobody_and_no_room_is_double_booked(run_demo):
    run_demo()
    sessions = sessions_of(demo_meeting())
    for i, a in enumerate(sessions):
        for b in sessions[i + 1 :]:
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                assert a.room_id is None or a.room_id != b.room_id, (a.title, b.title)
                shared = {p.person_id for p in a.people} & {p.person_id for p in b.people}
                assert not shared, (a.title, b.title)


def test_people_officers_and_documents_from_the_seeds(run_demo):
    run_demo()
    meeting = demo_meeting()
    people = {
        p.name: p
        for p in db.session.scalars(sa.select(Person).where(Person.meeting_id == meeting.id))
    }
    kittipong = people["Kittipong Kittayarak"]
    assert (kittipong.honorific, kittipong.position) == ("Dr.", "Executive Director")
    assert "Thailand Institute of Justice" in kittipong.organisation
    assert "UNODC" in people["Jeremy Douglas"].organisation
    assert "ACWC" in people["Lily Purba"].organisation
    assert "AICHR" in people["Phoukhong Sisoulath"].organisation
    assert "AIPA" in people["Isra Sunthornvut"].organisation
    assert any("\u0e00" <= ch <= "\u0e7f" for name in people for ch in name), "no Thai script"
    speaking = db.session.scalars(
        sa.select(SessionPerson.person_id).join(Person).where(Person.meeting_id == meeting.id)
    ).all()
    assert kittipong.id in speaking

    offices = Counter(
        db.session.scalars(sa.select(Officer.office).where(Officer.meeting_id == meeting.id))
    )
    assert offices == {Office.CHAIR: 1, Office.RAPPORTEUR: 1}
    symbols = db.session.scalars(
        sa.select(Document.symbol).where(Document.meeting_id == meeting.id)
    ).all()
    assert len(symbols) == 4


def test_demo_accounts_hold_their_roles_and_are_printed(run_demo):
    result = run_demo()
    meeting = demo_meeting()
    for email, role in ACCOUNTS.items():
        assert email in result.output
        user = authenticate(email, DEMO_PASSWORD)
        assert user is not None, email
        roles = db.session.scalars(
            sa.select(MeetingRole.role).where(
                MeetingRole.user_id == user.id, MeetingRole.meeting_id == meeting.id
            )
        ).all()
        assert roles == [role]
    assert DEMO_PASSWORD in result.output
    assert f"/meetings/{DEMO_SLUG}/" in result.output
    organiser = db.session.scalars(
        sa.select(User).where(User.email == "organiser@plenary.demo")
    ).one()
    organised = db.session.scalars(
        sa.select(MeetingRole.meeting_id).where(
            MeetingRole.user_id == organiser.id, MeetingRole.role == RoleName.ORGANISER
        )
    ).all()
    # The second demo meeting, the 14th Congress's Asia-Pacific RPM (issue 12), is theirs too.
    rpm = db.session.scalar(sa.select(Meeting.id).where(Meeting.slug == RPM_SLUG))
    assert set(organised) == {meeting.id, meeting.prepared_by_id, rpm}


def _snapshot() -> dict[str, int]:
    return {
        model.__name__: count(model)
        for model in (Meeting, User, MeetingRole, Person, AgendaSession, SessionPerson, Cluster)
    }


def test_running_it_twice_changes_nothing(run_demo):
    run_demo()
    before = _snapshot()
    updated = demo_meeting().updated_at
    result = run_demo()
    assert "already" in result.output
    assert "organiser@plenary.demo" in result.output
    assert _snapshot() == before
    assert demo_meeting().updated_at == updated


def test_reset_replaces_the_demo(run_demo):
    run_demo()
    before = _snapshot()
    demo_meeting().title = "Changed by an organiser"
    db.session.commit()
    run_demo("--reset")
    assert _snapshot() == before
    assert demo_meeting().title.startswith("The 2nd ASEAN Conference")


def test_an_error_leaves_nothing_half_built(app, monkeypatch):
    import app.commands.demo as demo

    def broken(*args, **kwargs):
        raise RuntimeError("the programme could not be built")

    monkeypatch.setattr(demo, "_add_programme", broken)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    db.session.remove()
    assert count(Meeting) == 0
    assert count(User) == 0


def test_demo_accounts_sign_in_through_the_form_and_the_organiser_manages(
    run_demo, client, post_form
):
    run_demo()
    response = post_form(
        "/account/sign-in",
        {"email": "organiser@plenary.demo", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(f"/meetings/{DEMO_SLUG}/programme").status_code == 200
    assert client.get(f"/meetings/{DEMO_SLUG}/manage/sessions").status_code == 200


def test_the_planner_finds_no_conflict_in_the_demo(run_demo):
    run_demo()
    assert find_conflicts(demo_meeting()) == []


def test_demo_participants_fill_the_clusters_with_a_waiting_list_behind_one(run_demo):
    from app.registration.models import ClusterPlace, PlaceStatus, Registration
    from app.registration.queries import rosters

    run_demo()
    meeting = demo_meeting()
    categories = {
        r.category
        for r in db.session.scalars(
            sa.select(Registration).where(Registration.meeting_id == meeting.id)
        )
    }
    assert len(categories) == 9  # every attendance category is represented
    by_slot = rosters(meeting)
    assert sorted(by_slot) == [1, 2, 3]  # two breakout slots and the youth workshop
    full = [r for rs in by_slot.values() for r in rs if len(r.confirmed) == r.capacity]
    assert any(r.waiting for r in full), "one cluster is full with a waiting list behind it"
    for slot_rosters in by_slot.values():
        for roster in slot_rosters:
            assert len(roster.confirmed) <= roster.capacity
            assert [p.waitlist_position for p in roster.waiting] == list(
                range(1, len(roster.waiting) + 1)
            )
    spread = {r.session_.cluster.number for r in by_slot[1] if r.confirmed}
    assert spread == {1, 2, 3}
    youth_places = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ClusterPlace)
        .where(ClusterPlace.slot == 3, ClusterPlace.status == PlaceStatus.CONFIRMED)
    )
    assert youth_places >= 5


def test_the_registrations_delegations_are_records_with_heads_and_a_focal_point(run_demo):
    from app.delegations.models import Delegation, MemberRole
    from app.registration.attendance import attendance_paragraphs

    run_demo()
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == DEMO_SLUG))
    delegations = {
        d.name: d
        for d in db.session.scalars(sa.select(Delegation).filter_by(meeting_id=meeting.id))
    }
    assert delegations["Japan"].category.value == "observer_state"
    assert delegations["Japan"].invited_at is not None
    assert (
        "Economic and Social Council" in delegations["Asia Crime Prevention Foundation"].qualifier
    )
    heads = db.session.scalars(
        sa.select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.member_role == MemberRole.HEAD
        )
    ).all()
    assert {r.delegation for r in heads} >= {"Thailand", "Viet Nam", "Japan"}
    nominee = db.session.scalar(
        sa.select(Registration).filter_by(email="nominee.japan@plenary.demo")
    )
    assert nominee.user_id is None and nominee.delegation_id == delegations["Japan"].id
    # Youth participants from Thailand still count as youth in the report.
    sentences = dict(attendance_paragraphs(meeting))
    assert "Thailand" in sentences[AttendanceCategory.YOUTH]
    assert "Japan" in sentences[AttendanceCategory.OBSERVER_STATE]
    run_demo()  # again: nothing changes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegation)) == len(delegations)
