"""Delegation pages through the test client: the organiser's lists, a focal point's work,
bulk decisions asked first with their count, links that are forged, and query budgets."""

from datetime import date

import pytest

from app.delegations import invitations
from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory, Delegation, MemberRole
from app.delegations.window import save_window
from app.extensions import db
from app.registration.members import add_member
from app.registration.models import Registration, RegistrationStatus
from tests import factories
from tests.conftest import CSRF_META
from tests.querycount import queries_for


def _token(client) -> str:
    return CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)


@pytest.fixture
def world():
    organiser = factories.make_user("organiser@example.org")
    meeting = factories.make_meeting(
        "rpm", organiser=organiser, registration_needs_approval=True,
        first_day=date(2099, 3, 1), last_day=date(2099, 3, 2),
    )  # fmt: skip
    save_window(meeting, opens_on=None, closes_on=date(2099, 2, 20), members_per_delegation=None)
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    db.session.commit()
    return meeting, organiser, lebanon


def test_the_registrations_page_shows_no_error_on_a_plain_visit(client, sign_in, world):
    meeting, organiser, _lebanon = world
    factories.make_registration(meeting)
    sign_in(organiser)
    for query in ("", "?category=&status=&delegation="):
        page = client.get(f"/meetings/rpm/manage/registrations{query}").get_data(as_text=True)
        assert "Not a valid choice" not in page, query
    page = client.get("/meetings/rpm/manage/registrations?category=nonsense").get_data(as_text=True)
    assert "Not a valid choice" in page


def test_an_organiser_records_a_delegation_and_invites_its_focal_point(client, sign_in, world):
    meeting, organiser, lebanon = world
    sign_in(organiser)
    token = _token(client)
    response = client.post(
        "/meetings/rpm/manage/delegations/new",
        data={"csrf_token": token, "name": "Qatar", "category": "observer_state",
              "kind": "state", "qualifier": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert db.session.query(Delegation).filter_by(name="Qatar").one().category == (
        AttendanceCategory.OBSERVER_STATE
    )
    page = client.post(
        f"/meetings/rpm/manage/delegations/{lebanon.id}/invite",
        data={"csrf_token": token, "email": "focal@example.lb"},
    ).get_data(as_text=True)
    assert "/meetings/rpm/focal-point/" in page
    lebanon = db.session.get(Delegation, lebanon.id)
    assert lebanon.invited_at is not None and lebanon.focal_point_email == "focal@example.lb"
    # The invitation is mailed in the same transaction, with the link the page shows.
    from app.mail.models import OutboxMessage

    mail = db.session.query(OutboxMessage).filter_by(recipient="focal@example.lb").one()
    assert "Lebanon" in mail.subject
    link = page.split("/meetings/rpm/focal-point/")[1].split('"')[0].split("<")[0]
    assert f"/meetings/rpm/focal-point/{link}" in mail.body_text


def test_a_focal_point_follows_the_link_and_nominates(client, sign_in, world):
    meeting, _organiser, lebanon = world
    token = invitations.invite_focal_point(lebanon, "focal@example.lb")
    focal = factories.make_user("focal@example.lb")
    db.session.commit()
    sign_in(focal)
    response = client.get(f"/meetings/rpm/focal-point/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/rpm/delegations/{lebanon.id}/")
    response = client.post(
        f"/meetings/rpm/delegations/{lebanon.id}/",
        data={"csrf_token": _token(client), "role": "head", "honorific": "Ms.",
              "name": "Rania Haddad", "position": "Ambassador", "email": "rania@example.lb"},
    )  # fmt: skip
    assert response.status_code == 302
    member = db.session.query(Registration).filter_by(email="rania@example.lb").one()
    assert member.member_role == MemberRole.HEAD and member.user_id is None
    assert member.status == RegistrationStatus.PENDING


@pytest.mark.parametrize("token", ["forged", "x" * 2000, "eyJtIjoxfQ.bad"])
def test_a_forged_link_is_a_clear_message_never_a_500(client, sign_in, world, token):
    _meeting, organiser, _lebanon = world
    sign_in(organiser)
    for path in ("focal-point", "claim"):
        response = client.get(f"/meetings/rpm/{path}/{token}")
        assert response.status_code == 200
        assert "This link is not valid" in response.get_data(as_text=True)


def test_bulk_decisions_ask_with_the_count_then_decide(client, sign_in, world):
    meeting, organiser, lebanon = world
    members = [add_member(lebanon, by_focal_point=True, name=f"Member {n}") for n in range(3)]
    declined = factories.make_registration(meeting, status=RegistrationStatus.DECLINED)
    ids = [m.id for m in members]
    db.session.commit()
    sign_in(organiser)
    token = _token(client)
    data = {"csrf_token": token, "decision": "approved", "note": "Welcome", "scope": "selected",
            "ids": [*map(str, ids[:2]), str(declined.id)]}  # fmt: skip
    question = client.post("/meetings/rpm/manage/registrations/bulk", data=data)
    assert question.status_code == 200
    text = question.get_data(as_text=True)
    assert "Approve 3 registrations?" in text
    assert db.session.query(Registration).filter_by(status=RegistrationStatus.APPROVED).count() == 0
    response = client.post(
        "/meetings/rpm/manage/registrations/bulk",
        data={**data, "ids": ",".join(map(str, [*ids[:2], declined.id])), "confirmed": "yes"},
    )
    assert response.status_code == 302
    statuses = {r.id: r.status for r in db.session.query(Registration)}
    assert [statuses[i] for i in ids] == [RegistrationStatus.APPROVED] * 2 + [
        RegistrationStatus.PENDING
    ]
    # The whole filtered list: only Lebanon's pending member is left to approve.
    question = client.post(
        "/meetings/rpm/manage/registrations/bulk",
        data={"csrf_token": token, "decision": "approved", "scope": "filtered",
              "status": "pending", "delegation": "Lebanon"},
    )  # fmt: skip
    assert "Approve 1 registration?" in question.get_data(as_text=True)


def _large(size: int):
    organiser = factories.make_user()
    meeting = factories.make_meeting(organiser=organiser, first_day=date(2099, 3, 1),
                                     last_day=date(2099, 3, 2))  # fmt: skip
    first = None
    for n in range(size):
        category = list(AttendanceCategory)[n % len(AttendanceCategory)]
        delegation = save_delegation(meeting, name=f"Delegation {n}", category=category)
        delegation.focal_point_user_id = factories.make_user().id
        first = first or delegation
        for k in range(3):
            add_member(delegation, by_focal_point=False, name=f"Person {n}-{k}",
                       role=list(MemberRole)[k])  # fmt: skip
    db.session.commit()
    return meeting, organiser, first


@pytest.mark.parametrize(
    "page",
    [
        "manage/delegations",
        "manage/registration-window",
        "delegations/{first}/",
        "manage/list-of-participants",
        "manage/delegations.csv",
        "manage/delegations.xlsx",
        "manage/delegations/import",
        "manage/registrations",
        "list-of-participants.pdf",
    ],
)
def test_new_pages_cost_the_same_queries_small_and_large(client, sign_in, page):
    counts = []
    for size in (2, 20):
        meeting, organiser, first = _large(size)
        sign_in(organiser)
        url = f"/meetings/{meeting.slug}/" + page.format(first=first.id)
        counts.append(queries_for(client, url))
    assert counts[0] == counts[1], f"{page}: {counts}"


def test_the_home_page_lists_registrations_nominations_and_delegations(client, sign_in, world):
    meeting, _organiser, lebanon = world
    other = factories.make_meeting("congress", title="The Congress")
    user = factories.make_user("rania@example.lb")
    factories.make_registration(other, user, delegation="Lebanon")
    add_member(lebanon, by_focal_point=False, name="Rania Haddad", email="rania@example.lb")
    qatar = save_delegation(meeting, name="Qatar", category=AttendanceCategory.OBSERVER_STATE)
    qatar.focal_point_user_id = user.id
    db.session.commit()
    sign_in(user)
    page = client.get("/").get_data(as_text=True)
    section = page.split("Your registrations")[1].split("Published meetings")[0]
    assert "The Congress" in section
    assert meeting.title in section and "Nominated" in section
    assert "Focal point of Qatar" in section


def test_a_delegation_without_members_is_removed_after_a_question(client, sign_in, world):
    meeting, organiser, lebanon = world
    qatar = save_delegation(meeting, name="Qatar", category=AttendanceCategory.OBSERVER_STATE)
    add_member(lebanon, by_focal_point=False, name="Rania Haddad")
    db.session.commit()
    sign_in(organiser)
    token = _token(client)
    question = client.post(f"/meetings/rpm/manage/delegations/{qatar.id}/delete",
                           data={"csrf_token": token})  # fmt: skip
    assert "Remove the delegation Qatar?" in question.get_data(as_text=True)
    client.post(f"/meetings/rpm/manage/delegations/{qatar.id}/delete",
                data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
    refused = client.post(f"/meetings/rpm/manage/delegations/{lebanon.id}/delete",
                          data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
    assert refused.status_code == 302
    assert [d.name for d in db.session.query(Delegation)] == ["Lebanon"]


def test_the_delegations_page_shows_the_window(client, sign_in, world):
    _meeting, organiser, _lebanon = world
    sign_in(organiser)
    page = client.get("/meetings/rpm/manage/delegations")
    assert page.status_code == 200
    assert "Registration closes at the end of 20 February 2099." in page.get_data(as_text=True)


def test_the_delegation_page_offers_moving_a_member_up_within_their_role(client, sign_in, world):
    meeting, organiser, lebanon = world
    add_member(lebanon, by_focal_point=False, name="Head", role=MemberRole.HEAD)
    add_member(lebanon, by_focal_point=False, name="Adviser A", role=MemberRole.ADVISER)
    b = add_member(lebanon, by_focal_point=False, name="Adviser B", role=MemberRole.ADVISER)
    db.session.commit()
    sign_in(organiser)
    page = client.get(f"/meetings/rpm/delegations/{lebanon.id}/").get_data(as_text=True)
    assert "Move Adviser B up" in page
    assert "Move Adviser A up" not in page and "Move Head up" not in page
    client.post(f"/meetings/rpm/delegations/{lebanon.id}/members/{b.id}/up",
                data={"csrf_token": _token(client)})  # fmt: skip
    page = client.get(f"/meetings/rpm/delegations/{lebanon.id}/").get_data(as_text=True)
    assert page.index("Adviser B") < page.index("Adviser A")
