"""What participants hear of their registration and their places, in the transaction of the
change: decisions with the organiser's note, places, waiting lists and promotions."""

import sqlalchemy as sa

from app.extensions import db
from app.mail import delivery
from app.mail.models import OutboxMessage
from app.registration.models import RegistrationStatus
from app.registration.places import leave_place, take_place
from app.registration.registrations import decide, register, withdraw


def _messages(user=None, kind=None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if user is not None:
        query = query.where(OutboxMessage.user_id == user.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def test_registering_and_each_decision_are_told(make_meeting, make_user):
    meeting = make_meeting(registration_needs_approval=True)
    user = make_user("ana@example.org", name="Ana")
    from app.registration.models import AttendanceCategory

    registration = register(
        meeting, user, delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
    )
    decide(registration, RegistrationStatus.DECLINED, "Nominations come from the focal point.")
    decide(registration, RegistrationStatus.APPROVED)
    kinds = [m.kind for m in _messages(user)]
    assert kinds == ["registration_received", "registration_declined", "registration_approved"]
    declined = _messages(user)[1]
    assert "Nominations come from the focal point." in declined.body_text
    assert f"/meetings/{meeting.slug}/my" in declined.body_text
    assert "Nominations come from the focal point." in declined.body_html


def test_a_promotion_sends_exactly_one_notice(breakouts, make_registration, make_user):
    meeting, sessions, _ = breakouts(capacity=1, slots=1)
    first = make_registration(meeting, make_user("first@example.org"))
    second = make_registration(meeting, make_user("second@example.org"))
    session_ = sessions[(1, 1)]
    take_place(first, session_)
    take_place(second, session_, wait=True)
    waiting = _messages(second.user, "place_waitlisted")
    assert len(waiting) == 1 and "number 1" in waiting[0].body_text
    before = len(_messages())
    leave_place(first, session_)
    new = _messages()[before:]
    assert [(m.kind, m.recipient) for m in new] == [("place_promoted", "second@example.org")]
    assert session_.title in new[0].subject


def test_a_promotion_that_gives_up_an_old_place_promotes_the_next_once(
    breakouts, make_registration, make_user
):
    meeting, sessions, _ = breakouts(capacity=1, slots=1)
    a, b, c = (make_registration(meeting, make_user(f"{n}@example.org")) for n in "abc")
    one, two = sessions[(1, 1)], sessions[(2, 1)]
    take_place(a, one)
    take_place(b, two)
    take_place(b, one, wait=True)  # b keeps two while waiting for one
    take_place(c, two, wait=True)
    before = len(_messages())
    withdraw(a)  # one frees: b moves there, two frees: c has it
    promoted = [(m.kind, m.recipient) for m in _messages()[before:] if m.kind == "place_promoted"]
    assert promoted == [("place_promoted", "b@example.org"), ("place_promoted", "c@example.org")]


def test_a_cancelled_registration_tells_the_places_lost(breakouts, make_registration, make_user):
    meeting, sessions, _ = breakouts(capacity=5, slots=1)
    registration = make_registration(meeting, make_user("ana@example.org"))
    take_place(registration, sessions[(1, 1)])
    decide(registration, RegistrationStatus.CANCELLED, "Duplicate registration.")
    [cancelled] = _messages(kind="registration_cancelled")
    assert "Breakout 1: cluster 1" in cancelled.body_text
    assert "Duplicate registration." in cancelled.body_text


def test_a_place_confirmation_can_be_turned_off(breakouts, make_registration, make_user):
    meeting, sessions, _ = breakouts(capacity=5, slots=1)
    user = make_user("ana@example.org")
    user.notices_off = "place_confirmations"
    registration = make_registration(meeting, user)
    take_place(registration, sessions[(1, 1)])
    assert _messages(kind="place_confirmed") == []


def test_a_refused_decision_sends_nothing(
    client, sign_in, post_form, make_meeting, make_user, make_registration, smtp_server
):
    organiser = make_user("org@example.org")
    meeting = make_meeting(organiser=organiser)
    registration = make_registration(meeting, make_user("ana@example.org"))
    registration.status = RegistrationStatus.DECLINED
    db.session.commit()
    sign_in(organiser)
    # Declined to declined is refused: the change rolls back, and its notice with it.
    post_form(
        f"/meetings/{meeting.slug}/manage/registrations/{registration.id}",
        {"decision": "declined", "note": "again"},
    )
    delivery.deliver_due()
    assert smtp_server.received == []
    assert _messages() == []
