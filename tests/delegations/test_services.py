"""Delegation rules without HTTP: records, the window and cap, focal points' links and scope,
members' claims, decisions on many registrations, the attendance sentences."""

from datetime import UTC, date, datetime

import pytest
from itsdangerous import URLSafeSerializer

from app.delegations import invitations
from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory, DelegationKind, MemberRole
from app.delegations.window import check_open, closed_reason, deadline, save_window
from app.errors import DelegationError, RegistrationError
from app.extensions import db
from app.registration.attendance import attendance_paragraphs
from app.registration.members import (
    add_member,
    claim_link_token,
    claim_member,
    nominations_of,
    update_member,
    withdraw_member,
)
from app.registration.models import Registration, RegistrationStatus
from app.registration.registrations import decide_many, register
from tests import factories

# The meeting meets on 1-2 March 2099; registration closes at the end of 20 February.
BEFORE = datetime(2099, 2, 1, 12, 0, tzinfo=UTC)
AFTER = datetime(2099, 2, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def meeting():
    meeting = factories.make_meeting(
        registration_needs_approval=True, first_day=date(2099, 3, 1), last_day=date(2099, 3, 2)
    )
    save_window(meeting, opens_on=None, closes_on=date(2099, 2, 20), members_per_delegation=3)
    return meeting


def test_a_delegation_is_recorded_without_an_account_and_names_are_unique(meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    assert lebanon.kind == DelegationKind.STATE
    ngo = save_delegation(meeting, name="Japan Federation of Bar Associations",
                          category=AttendanceCategory.NGO)  # fmt: skip
    assert ngo.kind == DelegationKind.ORGANISATION
    assert "Economic and Social Council" in ngo.qualifier
    with pytest.raises(DelegationError):
        save_delegation(meeting, name="lebanon", category=AttendanceCategory.MEMBER_STATE)


def test_members_are_listed_and_the_attendance_sentences_read_the_records(meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    qatar = save_delegation(meeting, name="Qatar", category=AttendanceCategory.OBSERVER_STATE)
    add_member(lebanon, by_focal_point=False, name="Rania Haddad", role=MemberRole.HEAD)
    add_member(qatar, by_focal_point=False, name="Ali Al-Thani")
    # An old self-registration naming a delegation by text still counts.
    factories.make_registration(meeting, delegation="Thailand")
    sentences = dict(attendance_paragraphs(meeting))
    assert sentences[AttendanceCategory.OBSERVER_STATE] == (
        "Lebanon and Qatar were represented by observers."
    )
    assert "Thailand" in sentences[AttendanceCategory.MEMBER_STATE]
    # Renaming the record renames it in the report.
    save_delegation(meeting, delegation=qatar, name="State of Qatar",
                    category=AttendanceCategory.OBSERVER_STATE)  # fmt: skip
    assert (
        "State of Qatar" in dict(attendance_paragraphs(meeting))[AttendanceCategory.OBSERVER_STATE]
    )


def test_the_deadline_closes_the_focal_points_changes_but_not_the_organisers(meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    member = add_member(lebanon, by_focal_point=True, name="Early", now=BEFORE)
    assert member.status == RegistrationStatus.PENDING  # the meeting asks for approval
    with pytest.raises(DelegationError, match="Registration closed"):
        add_member(lebanon, by_focal_point=True, name="Late", now=AFTER)
    with pytest.raises(DelegationError):
        update_member(member, by_focal_point=True, role=MemberRole.HEAD, name="X", now=AFTER)
    with pytest.raises(DelegationError):
        withdraw_member(member, by_focal_point=True, now=AFTER)
    late = add_member(lebanon, by_focal_point=False, name="Entered by the secretariat")
    assert late.status == RegistrationStatus.APPROVED
    assert closed_reason(meeting, BEFORE) == ""
    check_open(meeting, BEFORE)
    assert deadline(meeting) == datetime(
        2099, 2, 20, 17, 0, tzinfo=UTC
    )  # midnight in Bangkok, in UTC


def test_registration_opens_on_its_day_and_self_registration_respects_the_window(meeting):
    save_window(meeting, opens_on=date(2099, 1, 1), closes_on=date(2099, 2, 20),
                members_per_delegation=None)  # fmt: skip
    with pytest.raises(RegistrationError, match="Registration opens on"):
        register(meeting, factories.make_user(), delegation="Thailand",
                 category=AttendanceCategory.MEMBER_STATE)  # fmt: skip


def test_the_cap_on_members_holds_for_focal_points_and_self_registration(meeting):
    save_window(meeting, opens_on=None, closes_on=None, members_per_delegation=2)
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    add_member(lebanon, by_focal_point=True, name="One")
    add_member(lebanon, by_focal_point=True, name="Two")
    with pytest.raises(DelegationError, match="at most 2"):
        add_member(lebanon, by_focal_point=True, name="Three")
    with pytest.raises(RegistrationError, match="at most 2"):
        register(meeting, factories.make_user(), delegation="lebanon",
                 category=AttendanceCategory.OBSERVER_STATE)  # fmt: skip


def test_a_duplicate_email_is_refused(meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    add_member(lebanon, by_focal_point=False, name="A", email="a@example.org")
    with pytest.raises(DelegationError, match="already"):
        add_member(lebanon, by_focal_point=False, name="B", email="A@example.org")


def test_a_focal_point_link_is_scoped_forged_links_fail_and_a_new_one_revokes_it(app, meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    other = factories.make_meeting()
    focal, intruder = factories.make_user(), factories.make_user()
    token = invitations.invite_focal_point(lebanon, "focal@example.org")
    with pytest.raises(DelegationError, match="not valid"):
        invitations.accept_focal_point(other, token, focal)  # another meeting
    forged = URLSafeSerializer("not-the-secret", salt="plenary-focal-point").dumps(
        {"m": meeting.id, "d": lebanon.id, "v": lebanon.invitation_version}
    )
    with pytest.raises(DelegationError, match="not valid"):
        invitations.accept_focal_point(meeting, forged, focal)
    with pytest.raises(DelegationError, match="not valid"):
        invitations.accept_focal_point(meeting, token[:-2] + "xx", focal)
    assert invitations.accept_focal_point(meeting, token, focal) is lebanon
    assert lebanon.focal_point_user_id == focal.id
    with pytest.raises(DelegationError, match="Another account"):
        invitations.accept_focal_point(meeting, token, intruder)
    newer = invitations.invite_focal_point(lebanon, "focal@example.org")
    assert lebanon.focal_point_user_id is None
    with pytest.raises(DelegationError, match="not valid"):
        invitations.accept_focal_point(meeting, token, focal)  # revoked
    assert invitations.accept_focal_point(meeting, newer, focal) is lebanon


def test_a_link_after_the_deadline_says_so(meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    token = invitations.invite_focal_point(lebanon, "focal@example.org")
    with pytest.raises(DelegationError, match="deadline has passed"):
        invitations.read(invitations.FOCAL_POINT, token, meeting, now=AFTER)
    assert invitations.read(invitations.FOCAL_POINT, token, meeting, now=BEFORE)["d"] == lebanon.id


def test_a_nominated_member_claims_an_account_once(app, meeting):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    member = add_member(lebanon, by_focal_point=False, name="Rania Haddad",
                        email="rania@example.org")  # fmt: skip
    user = factories.make_user("rania@example.org")
    assert nominations_of(user) == [member]
    token = claim_link_token(member)
    assert member.claim_issued_at is not None
    assert claim_member(meeting, token, user) is member
    assert member.user_id == user.id and member.person.user_id == user.id
    assert nominations_of(user) == []
    with pytest.raises(DelegationError, match="Another account"):
        claim_member(meeting, token, factories.make_user())


def test_bulk_decisions_run_the_single_rule_once_each_and_leave_the_rest(meeting, monkeypatch):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    pending = [add_member(lebanon, by_focal_point=True, name=f"P{n}", now=BEFORE) for n in (1, 2)]
    declined = factories.make_registration(meeting, status=RegistrationStatus.DECLINED)
    cancelled = factories.make_registration(meeting, status=RegistrationStatus.CANCELLED)
    calls = []
    from app.registration import registrations

    original = registrations.decide
    monkeypatch.setattr(
        registrations, "decide", lambda r, s, n="": (calls.append(r.id), original(r, s, n))
    )
    decided, left = decide_many([*pending, declined, cancelled], RegistrationStatus.APPROVED,
                                "Welcome")  # fmt: skip
    assert (decided, left) == (3, 1)
    assert sorted(calls) == sorted([pending[0].id, pending[1].id, declined.id])
    statuses = {r.id: r.status for r in db.session.query(Registration)}
    assert statuses[pending[0].id] == RegistrationStatus.APPROVED
    assert statuses[cancelled.id] == RegistrationStatus.CANCELLED
    assert pending[0].organiser_note == "Welcome"


def test_a_bulk_approval_tells_each_member_once_account_or_not(app, meeting):
    """One notice per person: to the account of a member who has one, to the address the
    focal point gave for one who has not, and nothing to a member with neither."""
    from app.mail.models import OutboxMessage

    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    with app.test_request_context():
        by_mail = add_member(lebanon, by_focal_point=True, name="Rania", email="rania@example.lb",
                             now=BEFORE)  # fmt: skip
        silent = add_member(lebanon, by_focal_point=True, name="Karim", now=BEFORE)
        account = factories.make_registration(meeting, status=RegistrationStatus.PENDING)
        before = db.session.query(OutboxMessage).count()
        decided, _left = decide_many([by_mail, silent, account], RegistrationStatus.APPROVED, "")
    assert decided == 3
    mails = db.session.query(OutboxMessage).all()[before:]
    assert sorted(m.recipient for m in mails) == sorted(["rania@example.lb", account.user.email])
    rania = next(m for m in mails if m.recipient == "rania@example.lb")
    assert "Rania" in rania.body_text and "approved" in rania.subject


def test_self_registration_records_the_honorific_and_position_and_the_delegation(meeting):
    user = factories.make_user(name="Somchai Wongsawat")
    registration = register(
        meeting, user, delegation="thailand", category=AttendanceCategory.MEMBER_STATE,
        honorific="Mr.", position="Director, Ministry of Justice",
    )  # fmt: skip
    assert registration.person.display_name == "Mr. Somchai Wongsawat"
    assert registration.person.position == "Director, Ministry of Justice"
    assert registration.delegation_record.name == "thailand"
    again = register(meeting, factories.make_user(), delegation="THAILAND",
                     category=AttendanceCategory.MEMBER_STATE)  # fmt: skip
    assert again.delegation_id == registration.delegation_id and again.delegation == "thailand"


@pytest.mark.parametrize(
    ("kind", "template", "words"),
    [
        (invitations.FOCAL_POINT, "focal_point_invitation", "nominate the members"),
        (invitations.MEMBER_CLAIM, "member_claim", "You are nominated"),
    ],
)
def test_the_invitation_mail_is_worded_for_the_outbox(app, meeting, kind, template, words):
    """What send_to_address sends: the template words its subject and renders the link and
    the deadline, in text and HTML."""
    from app.mail.notices import render_message

    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    link = "https://plenary.example/meetings/x/focal-point/abc"
    with app.test_request_context():
        page_subject, context = invitations.invitation_message(
            kind, meeting=meeting, delegation=lebanon, link=link, recipient_name="Ms. Rania"
        )
        assert context.pop("template") == template
        subject, text, html = render_message(template, "en_GB", {**context, "meeting": meeting})
    assert subject == page_subject and "Lebanon" in subject and "\n" not in subject
    for body in (text, html):
        assert link in body and words in body and "20 February 2099" in body


def test_ngos_with_the_standard_qualifier_are_worded_as_in_the_seed_report(meeting):
    jfba = save_delegation(meeting, name="Japan Federation of Bar Associations",
                           category=AttendanceCategory.NGO)  # fmt: skip
    add_member(jfba, by_focal_point=False, name="Taro Yamada")
    assert dict(attendance_paragraphs(meeting))[AttendanceCategory.NGO] == (
        "The following non-governmental organization in consultative status with the Economic"
        " and Social Council was represented by observers: Japan Federation of Bar Associations."
    )
    jfba.qualifier = ""
    assert "consultative status" not in dict(attendance_paragraphs(meeting))[AttendanceCategory.NGO]


def test_a_member_moves_up_within_their_role_only(meeting):
    from app.registration.members import move_up

    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    head = add_member(lebanon, by_focal_point=False, name="Head", role=MemberRole.HEAD)
    first = add_member(lebanon, by_focal_point=False, name="A", role=MemberRole.ADVISER)
    second = add_member(lebanon, by_focal_point=False, name="B", role=MemberRole.ADVISER)
    move_up(second, by_focal_point=True, now=BEFORE)
    assert second.list_order < first.list_order
    with pytest.raises(DelegationError, match="first of their role"):
        move_up(second, by_focal_point=False)
    with pytest.raises(DelegationError, match="first of their role"):
        move_up(head, by_focal_point=False)
    with pytest.raises(DelegationError, match="Registration closed"):
        move_up(first, by_focal_point=True, now=AFTER)
