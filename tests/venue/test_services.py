"""The venue's rules without HTTP: badge tokens, one check-in per person per day (and door),
refusals that record nothing, the live counts, and the report's attendance from presence."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.errors import VenueError
from app.extensions import db
from app.models_base import utcnow
from app.registration.attendance import attendance_paragraphs
from app.registration.models import AttendanceCategory, RegistrationStatus
from app.timezones import local_date
from app.venue import checkins, queries
from app.venue.models import CheckIn
from app.venue.tokens import badge_token, registration_id_from
from tests import factories


def _check_ins() -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def test_a_badge_token_names_its_registration_in_its_meeting_only(running_meeting):
    meeting = running_meeting()
    other = running_meeting()
    registration = factories.make_registration(meeting)
    token = badge_token(meeting, registration.id)
    assert registration_id_from(meeting, token) == registration.id
    with pytest.raises(VenueError):
        registration_id_from(other, token)  # another meeting's badge
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(VenueError):
        registration_id_from(meeting, forged)
    # A token of the right shape signed with another key: refused.
    from itsdangerous import URLSafeSerializer

    made_up = URLSafeSerializer("not-the-key", salt=f"plenary-badge-{meeting.id}").dumps(
        [meeting.id, registration.id]
    )
    with pytest.raises(VenueError):
        registration_id_from(meeting, made_up)
    for junk in ("", "x" * 500, "null", "a.b"):
        with pytest.raises(VenueError):
            registration_id_from(meeting, junk)


def test_one_check_in_per_person_per_day(running_meeting):
    meeting = running_meeting(first_day=local_date(utcnow(), "Asia/Bangkok") - timedelta(days=1))
    registration = factories.make_registration(meeting, delegation="Viet Nam")
    first = checkins.check_in(meeting, registration.id, desk="Desk 2")
    again = checkins.check_in(meeting, registration.id, desk="Desk 5")
    assert first.created and not again.created
    assert again.check_in.id == first.check_in.id
    assert "Desk 2" in again.message(meeting.timezone)
    assert again.participant.delegation == "Viet Nam"
    assert _check_ins() == 1
    # Another day is a check-in of its own (a desk that was offline since yesterday).
    yesterday = checkins.check_in(meeting, registration.id, scanned_at=utcnow() - timedelta(days=1))
    assert yesterday.created
    days = sorted(db.session.scalars(select(CheckIn.day)))
    today = local_date(utcnow(), meeting.timezone)
    assert days == [today - timedelta(days=1), today]


def test_a_resent_scan_is_the_same_check_in(running_meeting):
    meeting = running_meeting()
    registration = factories.make_registration(meeting)
    first = checkins.check_in(meeting, registration.id, client_id="scan-0001")
    resent = checkins.check_in(meeting, registration.id, client_id="scan-0001")
    other_desk = checkins.check_in(meeting, registration.id, client_id="scan-0002")
    assert first.created and resent.created and not other_desk.created
    assert _check_ins() == 1


def test_an_offline_scan_keeps_the_time_it_was_taken(running_meeting):
    meeting = running_meeting(first_day=local_date(utcnow(), "Asia/Bangkok") - timedelta(days=1))
    registration = factories.make_registration(meeting)
    taken = utcnow() - timedelta(hours=3)
    result = checkins.check_in(meeting, registration.id, scanned_at=taken)
    assert result.check_in.checked_in_at == taken
    assert result.check_in.day == local_date(taken, meeting.timezone)


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED, RegistrationStatus.PENDING],
)
def test_a_registration_that_is_not_live_is_refused(running_meeting, status):
    meeting = running_meeting()
    registration = factories.make_registration(meeting, status=status)
    with pytest.raises(VenueError):
        checkins.check_in(meeting, registration.id)
    assert _check_ins() == 0


def test_no_check_in_before_the_first_day_or_after_the_last(running_meeting):
    today = local_date(utcnow(), "Asia/Bangkok")
    later = running_meeting(first_day=today + timedelta(days=2), last_day=today + timedelta(days=3))
    over = running_meeting(first_day=today - timedelta(days=5), last_day=today - timedelta(days=1))
    for meeting in (later, over):
        registration = factories.make_registration(meeting)
        with pytest.raises(VenueError, match="does not run"):
            checkins.check_in(meeting, registration.id)
    assert _check_ins() == 0


def test_another_meetings_registration_and_unbelievable_times_are_refused(running_meeting):
    meeting = running_meeting()
    other = running_meeting()
    stranger = factories.make_registration(other)
    with pytest.raises(VenueError):
        checkins.check_in(meeting, stranger.id)
    mine = factories.make_registration(meeting)
    with pytest.raises(VenueError):
        checkins.check_in(meeting, mine.id, scanned_at=utcnow() + timedelta(hours=2))
    with pytest.raises(VenueError):
        checkins.check_in(meeting, mine.id, scanned_at=utcnow() - timedelta(days=30))
    assert _check_ins() == 0


def test_session_doors_only_where_the_organiser_wants_them(running_meeting):
    meeting = running_meeting()
    registration = factories.make_registration(meeting)
    today = local_date(utcnow(), meeting.timezone)
    from datetime import datetime, time

    from app.timezones import to_utc

    starts = to_utc(datetime.combine(today, time(14)), meeting.timezone)
    session_ = factories.make_session(
        meeting, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    with pytest.raises(VenueError):
        checkins.check_in(meeting, registration.id, session_id=session_.id)
    checkins.save_settings(meeting, check_in_per_session=True, attendance_from_presence=False)
    door = checkins.check_in(meeting, registration.id, session_id=session_.id)
    venue = checkins.check_in(meeting, registration.id)
    again = checkins.check_in(meeting, registration.id, session_id=session_.id)
    assert door.created and venue.created and not again.created
    counts = queries.presence_counts(meeting)
    assert counts.by_session == {session_.id: 1}
    assert counts.by_day == {today: 1}


def test_counts_by_day_and_category(running_meeting):
    meeting = running_meeting()
    states = [factories.make_registration(meeting, delegation=f"State {i}") for i in range(3)]
    ngo = factories.make_registration(
        meeting, delegation="Friends", category=AttendanceCategory.NGO
    )
    factories.make_registration(meeting, status=RegistrationStatus.CANCELLED)
    for registration in (*states[:2], ngo):
        checkins.check_in(meeting, registration.id)
    counts = queries.presence_counts(meeting)
    today = local_date(utcnow(), meeting.timezone)
    assert counts.registered == 4
    assert counts.by_day == {today: 3}
    assert counts.by_day_category == {
        (today, AttendanceCategory.MEMBER_STATE): 2,
        (today, AttendanceCategory.NGO): 1,
    }
    assert counts.delegations_present == 3


def test_the_report_lists_delegations_present_when_the_organiser_says_so(running_meeting):
    meeting = running_meeting()
    came = factories.make_registration(meeting, delegation="Thailand")
    factories.make_registration(meeting, delegation="Myanmar")
    checkins.check_in(meeting, came.id)
    registered = dict(attendance_paragraphs(meeting))[AttendanceCategory.MEMBER_STATE]
    assert "Myanmar" in registered and "Thailand" in registered
    checkins.save_settings(meeting, check_in_per_session=False, attendance_from_presence=True)
    present = dict(attendance_paragraphs(meeting))[AttendanceCategory.MEMBER_STATE]
    assert "Thailand" in present and "Myanmar" not in present


def test_the_one_query_of_participants_filters_and_leaves_out_the_withdrawn(running_meeting):
    meeting = running_meeting()
    a = factories.make_registration(meeting, delegation="Lao PDR")
    factories.make_registration(meeting, delegation="Cambodia", category=AttendanceCategory.NGO)
    factories.make_registration(meeting, delegation="Lao PDR", status=RegistrationStatus.CANCELLED)
    assert [p.registration_id for p in queries.participants(meeting, delegation="Lao PDR")] == [
        a.id
    ]
    assert len(queries.participants(meeting, category=AttendanceCategory.NGO)) == 1
    assert len(queries.participants(meeting)) == 2
    checkins.check_in(meeting, a.id)
    assert [p.registration_id for p in queries.participants(meeting, present_only=True)] == [a.id]


def test_badges_name_the_delegation_as_its_record_does_after_a_rename(running_meeting):
    """The organiser renames a delegation record (or an import does): badges, the desk and the
    counts follow the record, as the report's attendance does; youth stay youth."""
    from app.delegations.delegations import save_delegation
    from app.delegations.models import Delegation
    from app.registration.members import add_member

    meeting = running_meeting()
    record = save_delegation(meeting, name="Lao PDR", category=AttendanceCategory.MEMBER_STATE)
    member = add_member(record, by_focal_point=False, name="Khamphet")
    member.status = RegistrationStatus.APPROVED
    youth = factories.make_registration(
        meeting, delegation="Lao PDR", category=AttendanceCategory.YOUTH
    )
    youth.delegation_id = record.id
    db.session.flush()
    save_delegation(
        meeting,
        name="Lao People's Democratic Republic",
        category=AttendanceCategory.MEMBER_STATE,
        delegation=db.session.get(Delegation, record.id),
    )
    listed = {p.registration_id: p for p in queries.participants(meeting)}
    assert listed[member.id].delegation == "Lao People's Democratic Republic"
    assert listed[member.id].category == AttendanceCategory.MEMBER_STATE
    assert listed[youth.id].category == AttendanceCategory.YOUTH
    assert queries.delegations(meeting) == ["Lao People's Democratic Republic"]
    found = queries.participants(meeting, delegation="Lao People's Democratic Republic")
    assert {p.registration_id for p in found} == {member.id, youth.id}
