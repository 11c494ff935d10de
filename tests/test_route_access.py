"""Every route declares who may use it (app/permissions.py), and this walk of app.url_map holds
each route to its declaration for every kind of account. A new route that declares nothing,
or lets in someone its declaration does not, fails here.

Each route gets a meeting of its own (a fresh database), so a change one request makes (a
role revoked, a session cancelled) cannot change what the next is allowed.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import current_app, url_for

from app.auth.models import User
from app.delegations import invitations
from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory
from app.extensions import db
from app.mail.notices import notify
from app.meetings import document_files, documents
from app.meetings.models import Office, Officer, RoleName, Workshop
from app.outputs import drafts, outline, workflow
from app.outputs import summary as summary_rules
from app.permissions import LEVELS
from app.programme.models import SessionKind, SpeakerRole
from app.registration.members import add_member, claim_link_token
from app.registration.participants import enter_list
from app.registration.places import take_place
from app.registration.registrations import regenerate_feed_token
from tests import factories
from tests.conftest import CSRF_META, sign_in_client

ROLES = (
    "anonymous", "participant", "rapporteur", "chair", "organiser", "stranger", "desk",
    "focal_point",
)  # fmt: skip

ALLOWED, SIGN_IN, REFUSED = "allowed", "sign in", "refused"

# For each level, what each kind of account gets.
EXPECTED = {
    "anyone": dict.fromkeys(ROLES, ALLOWED),
    "token": dict.fromkeys(ROLES, ALLOWED),
    "password": dict.fromkeys(ROLES, {ALLOWED, SIGN_IN}),
    "signed_in": {**dict.fromkeys(ROLES, ALLOWED), "anonymous": SIGN_IN},
    "creator": {**dict.fromkeys(ROLES, REFUSED), "anonymous": SIGN_IN, "organiser": ALLOWED},
    "registered": {**dict.fromkeys(ROLES, REFUSED), "anonymous": SIGN_IN, "participant": ALLOWED},
    "author": {**dict.fromkeys(ROLES, REFUSED), "anonymous": SIGN_IN, "rapporteur": ALLOWED},
    "rapporteur": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": SIGN_IN,
        "rapporteur": ALLOWED,
        "chair": ALLOWED,
        "organiser": ALLOWED,
    },
    "reviewer": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": SIGN_IN,
        "chair": ALLOWED,
        "organiser": ALLOWED,
    },
    "desk": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": SIGN_IN,
        "desk": ALLOWED,
        "organiser": ALLOWED,
    },
    "focal_point": {
        **dict.fromkeys(ROLES, REFUSED),
        "anonymous": SIGN_IN,
        "focal_point": ALLOWED,
        "organiser": ALLOWED,
    },
    "organiser": {**dict.fromkeys(ROLES, REFUSED), "anonymous": SIGN_IN, "organiser": ALLOWED},
}


@dataclass
class World:
    """A published meeting with one of everything, and an account for each role."""

    accounts: dict
    values: dict  # URL parameter -> value


def _world() -> World:
    accounts = {
        role: factories.make_user(f"{role}@example.org", name=role.title()) for role in ROLES[1:]
    }
    accounts["organiser"].can_create_meetings = True
    meeting = factories.make_meeting("route-walk", organiser=accounts["organiser"])
    other = factories.make_meeting("another-meeting", organiser=accounts["stranger"])
    for role, name in (
        ("participant", RoleName.PARTICIPANT),
        ("rapporteur", RoleName.RAPPORTEUR),
        ("chair", RoleName.CHAIR),
        ("desk", RoleName.REGISTRATION_DESK),
    ):
        factories.grant_role(meeting, accounts[role], name)
    track = factories.make_track(meeting, "Main")
    room = factories.make_room(meeting, "Hall")
    speaker = factories.make_person(meeting, "Speaker")
    cluster = factories.make_cluster(meeting, 1, "Culture of Prevention", capacity=5)
    item = factories.make_agenda_item(meeting, 3, "Substantive items")
    session_ = factories.make_session(
        meeting,
        track=track,
        room=room,
        kind=SessionKind.BREAKOUT,
        cluster_id=cluster.id,
        slot=1,
        agenda_item_id=item.id,
        people=[(speaker, SpeakerRole.MODERATOR)],
    )
    workshop = Workshop(meeting_id=meeting.id, number=1, title="Youth", agenda_item_id=item.id)
    officer = Officer(meeting_id=meeting.id, person_id=speaker.id, office=Office.CHAIR)
    db.session.add_all([workshop, officer])
    document = documents.create_document(
        meeting, symbol="A/CONF.1/L.1", title="Draft", agenda_item_id=None, issued_on=None, url=""
    )
    registration = factories.make_registration(meeting, accounts["participant"])
    take_place(registration, session_)
    token = regenerate_feed_token(registration)
    output = workflow.assign_rapporteur(
        meeting, target=f"cluster-{cluster.id}", rapporteur_id=accounts["rapporteur"].id
    )
    workflow.save_output(
        output,
        author=accounts["rapporteur"],
        base_revision=0,
        summary=["The Meeting discussed prevention."],
        recommendations=["Strengthen cooperation"],
        not_negotiated=True,
    )
    workflow.submit_output(output, accounts["rapporteur"])
    workflow.approve_output(output, accounts["chair"])
    summary_rules.issue_summary(meeting, accounts["chair"], lambda content: b"%PDF-1.7 walk")
    role_row = factories.grant_role(meeting, factories.make_user(), RoleName.PARTICIPANT)
    message = notify(
        accounts["participant"],
        "password_changed",
        kind="account",
        essential=True,
        meeting=meeting,
    )
    # A delegation whose focal point is the "focal_point" account, with a member, and another
    # delegation of the same meeting that account may not open.
    delegation = save_delegation(
        meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE
    )
    delegation.focal_point_user_id = accounts["focal_point"].id
    invitation = invitations.invite_focal_point(delegation, "focal@example.org")
    delegation.focal_point_user_id = accounts["focal_point"].id
    member = add_member(delegation, by_focal_point=False, name="Member", email="member@example.org")
    claim = claim_link_token(member)
    enter_list(
        meeting,
        symbol="A/CONF.234/RPM.1/INF/2",
        url="http://localhost/meetings/route-walk/list-of-participants.pdf",
    )
    other_delegation = save_delegation(
        meeting, name="Qatar", category=AttendanceCategory.OBSERVER_STATE
    )
    part = outline.start_outline(meeting)[0]
    document_files.store_file(
        document,
        language="en",
        filename="draft.pdf",
        data=b"%PDF-1.7 walk",
        folder=Path(current_app.config["PLENARY_DOCUMENTS_DIR"]),
    )
    drafts.issue_draft_part(
        meeting,
        accounts["chair"],
        symbol="A/CONF.1/L.2",
        heading_ids=[part.id],
        issued_on=meeting.first_day,
        original_language="en",
        languages=["en"],
        render_pdf=lambda content: b"%PDF-1.7 walk",
    )
    db.session.commit()
    return World(
        accounts=accounts,
        values={
            "slug": meeting.slug,
            "session_id": session_.id,
            "track_id": track.id,
            "room_id": room.id,
            "person_id": speaker.id,
            "cluster_id": cluster.id,
            "item_id": item.id,
            "workshop_id": workshop.id,
            "officer_id": officer.id,
            "document_id": document.id,
            "role_id": role_row.id,
            "output_id": output.id,
            "registration_id": registration.id,
            "entry_id": session_.people[0].id,
            "token": token,
            "number": 1,
            "other_slug": other.slug,
            "message_id": message.id,
            "delegation_id": delegation.id,
            "member_id": member.id,
            "invitation": invitation,
            "claim": claim,
            "other_delegation_id": other_delegation.id,
            "format": "csv",
            "part_id": part.id,
            "language": "en",
        },
    )


def _endpoints(app) -> list[tuple[str, str]]:
    """(endpoint, method) for every route but static files: GET where a route has it."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        out.append((rule.endpoint, "GET" if "GET" in methods else "POST"))
    return sorted(out)


def _classify(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (401,) or (
        response.status_code == 302 and "/account/sign-in" in location
    ):
        return SIGN_IN
    if response.status_code in (403, 404) or (
        response.status_code == 302 and location.endswith("/register")
    ):
        return REFUSED
    assert response.status_code < 500, response.status_code
    return ALLOWED


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and getattr(view, "allows", None) not in LEVELS
    ]
    assert undeclared == [], "declare with @allows(...) from app/permissions.py"


def _walk_cases():
    from app import create_app
    from config import TestingConfig

    return _endpoints(create_app(TestingConfig))


@pytest.mark.parametrize(("endpoint", "method"), _walk_cases())
def test_each_route_answers_each_role_as_it_declares(app, client, endpoint, method):
    world = _world()
    level = app.view_functions[endpoint].allows
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = url_for(endpoint, **{name: world.values[name] for name in rule.arguments})
    outcomes = {}
    for role in ROLES:
        test_client = app.test_client()
        if role != "anonymous":
            sign_in_client(test_client, db.session.get(User, world.accounts[role].id))
        if method == "GET":
            response = test_client.get(url)
        else:
            page = test_client.get("/").get_data(as_text=True)
            token = CSRF_META.search(page).group(1)
            response = test_client.post(url, data={"csrf_token": token})
        outcomes[role] = _classify(response)
    expected = EXPECTED[level]
    wrong = {
        role: (got, expected[role])
        for role, got in outcomes.items()
        if got != expected[role] and not (isinstance(expected[role], set) and got in expected[role])
    }
    assert wrong == {}, f"{endpoint} ({level}): got vs declared {wrong}"


def test_a_route_of_another_meeting_is_refused_to_its_organiser(app, client):
    """The stranger organises another meeting: nothing of this one opens to them."""
    world = _world()
    sign_in_client(client, db.session.get(User, world.accounts["stranger"].id))
    for path in ("manage/", "manage/sessions", f"outputs/{world.values['output_id']}/"):
        response = client.get(f"/meetings/{world.values['slug']}/{path}")
        assert response.status_code == 403, path
    assert client.get(f"/meetings/{world.values['other_slug']}/manage/").status_code == 200


# POST routes that take no CSRF token, each with its reason.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: a mail client posts it without a session; the signed
    # token in the URL is the proof, and all it can do is turn a kind of notice off.
    "mail.unsubscribe",
}


def test_every_post_route_refuses_a_missing_csrf_token(app, client):
    world = _world()
    # A site administrator passes every access check, so the token is what is tested.
    admin = factories.make_user("admin@example.org", is_admin=True)
    db.session.commit()
    sign_in_client(client, admin)
    for endpoint in sorted(app.view_functions):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if "POST" not in rule.methods or endpoint in CSRF_EXEMPT:
            continue
        with app.test_request_context():
            url = url_for(endpoint, **{name: world.values[name] for name in rule.arguments})
        response = client.post(url, data={})
        assert response.status_code == 400, f"{endpoint} answered {response.status_code}"
        assert "security token" in response.get_data(as_text=True), endpoint


def test_a_focal_point_cannot_read_or_change_another_delegation(app, client):
    """The focal point of Lebanon opens Lebanon's pages, and none of Qatar's."""
    world = _world()
    sign_in_client(client, db.session.get(User, world.accounts["focal_point"].id))
    slug, own, other = (
        world.values["slug"],
        world.values["delegation_id"],
        world.values["other_delegation_id"],
    )
    assert client.get(f"/meetings/{slug}/delegations/{own}/").status_code == 200
    assert client.get(f"/meetings/{slug}/delegations/{other}/").status_code == 403
    page = client.get("/").get_data(as_text=True)
    token = CSRF_META.search(page).group(1)
    response = client.post(
        f"/meetings/{slug}/delegations/{other}/",
        data={"csrf_token": token, "role": "member", "name": "Intruder"},
    )
    assert response.status_code == 403
    member = world.values["member_id"]
    for path in (f"members/{member}", f"members/{member}/withdraw"):
        response = client.post(
            f"/meetings/{slug}/delegations/{other}/{path}", data={"csrf_token": token}
        )
        assert response.status_code in (403, 404), path
    # Nor the organiser's pages of delegations.
    assert client.get(f"/meetings/{slug}/manage/delegations").status_code == 403
