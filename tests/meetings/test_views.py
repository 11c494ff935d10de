"""Meeting pages through the test client: permissions, forms, bad input, CSRF and edit conflicts."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.meetings import agenda, documents, officers, queries
from app.meetings.models import (
    AgendaItem,
    Document,
    DocumentType,
    Meeting,
    MeetingRole,
    MeetingStatus,
    Office,
    Officer,
    RoleName,
    Workshop,
)
from tests import factories


@pytest.fixture
def organised(make_user, make_meeting, grant_role):
    """A published meeting with an organiser, a participant and a signed-in stranger."""
    organiser = make_user("organiser@example.org", name="Olga Organiser")
    participant = make_user("participant@example.org", name="Pat Participant")
    stranger = make_user("stranger@example.org", name="Sam Stranger")
    meeting = make_meeting("2nd-accpcj", organiser=organiser, title="Second ACCPCJ")
    grant_role(meeting, participant, RoleName.PARTICIPANT)
    db.session.commit()
    return meeting, organiser, participant, stranger


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def _error_next_to(page: str, field: str) -> str:
    """The text of the error shown next to a field (the forms macro gives it id FIELD-error)."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error next to {field}"
    return match.group(1)


def _meeting_form(meeting: Meeting, **overrides) -> dict:
    data = {
        "title": meeting.title,
        "short_title": meeting.short_title,
        "kind": meeting.kind.value,
        "theme": meeting.theme,
        "substantive_issue": meeting.substantive_issue,
        "venue": meeting.venue,
        "city": meeting.city,
        "country": meeting.country,
        "timezone": meeting.timezone,
        "first_day": meeting.first_day.isoformat(),
        "last_day": meeting.last_day.isoformat(),
        "host_body": meeting.host_body,
        "convening_body": meeting.convening_body,
        "reports_to": meeting.reports_to,
        "prepared_by_id": str(meeting.prepared_by_id or ""),
        "slug": meeting.slug,
        "version": str(meeting.version),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Creating and editing a meeting


def test_a_signed_in_user_creates_a_meeting_and_becomes_its_organiser(
    client, make_user, sign_in, post_form
):
    user = make_user()
    user.can_create_meetings = True  # named by a site administrator
    db.session.commit()
    sign_in(user)
    assert "Create a meeting" in client.get("/").get_data(as_text=True)
    assert client.get("/meetings/new").status_code == 200
    response = post_form(
        "/meetings/new",
        {
            "title": "Consultative Group Meeting",
            "short_title": "CGM Phuket",
            "kind": "consultative_meeting",
            "timezone": "Asia/Bangkok",
            "first_day": "2019-10-13",
            "last_day": "2019-10-14",
            "city": "Phuket",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/cgm-phuket/manage/"
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "cgm-phuket"))
    assert meeting.status == MeetingStatus.DRAFT
    role = db.session.scalar(select(MeetingRole).where(MeetingRole.meeting_id == meeting.id))
    assert (role.user_id, role.role) == (user.id, RoleName.ORGANISER)
    assert client.get("/meetings/cgm-phuket/manage/").status_code == 200


def test_only_the_accounts_an_administrator_names_create_meetings(
    client, app, make_user, sign_in, post_form, monkeypatch
):
    user = make_user()
    db.session.commit()
    sign_in(user)
    assert "Create a meeting" not in client.get("/").get_data(as_text=True)
    refused = client.get("/meetings/new")
    assert refused.status_code == 403
    assert "site administrator" in refused.get_data(as_text=True)
    data = {"title": "T", "short_title": "T", "kind": "conference", "timezone": "Asia/Bangkok",
            "first_day": "2019-10-13", "last_day": "2019-10-14"}  # fmt: skip
    assert post_form("/meetings/new", data).status_code == 403
    assert _count(Meeting) == 0
    # A trial installation may open it to every account.
    monkeypatch.setitem(app.config, "PLENARY_OPEN_MEETING_CREATION", True)
    assert post_form("/meetings/new", data).status_code == 302
    assert _count(Meeting) == 1


def test_anonymous_visitors_are_sent_to_sign_in_to_create_a_meeting(client):
    assert "Create a meeting" not in client.get("/").get_data(as_text=True)
    response = client.get("/meetings/new")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_the_organiser_edits_the_details(client, organised, sign_in, post_form, make_meeting):
    meeting, organiser, *_ = organised
    # Linking two meetings needs rights on both: the organiser organises the Phuket CGM too.
    prep = make_meeting("cgm-phuket", title="Consultative Group Meeting", organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    page = client.get("/meetings/2nd-accpcj/manage/edit").get_data(as_text=True)
    assert 'name="version"' in page and "Consultative Group Meeting" in page
    response = post_form(
        "/meetings/2nd-accpcj/manage/edit",
        _meeting_form(
            meeting,
            theme="Towards a Culture of Prevention",
            reports_to="the 19th ASLOM",
            prepared_by_id=str(prep.id),
            slug="accpcj-2",
            registration_needs_approval="y",
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/accpcj-2/manage/edit"
    saved = _fresh(Meeting, meeting.id)
    assert saved.theme == "Towards a Culture of Prevention"
    assert saved.prepared_by_id == prep.id
    assert saved.registration_needs_approval is True
    assert saved.version == 2
    public = client.get("/meetings/accpcj-2/").get_data(as_text=True)
    assert "Towards a Culture of Prevention" in public
    assert "/meetings/cgm-phuket/" in public
    assert "the 19th ASLOM" in public


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"first_day": "2020-02-28", "last_day": "2020-02-27"},
            "last_day",
            "The last day cannot be before the first day.",
        ),
        ({"timezone": "Mars/Olympus"}, "timezone", "Unknown time zone"),
        ({"title": "x" * 301}, "title", "300"),
        ({"short_title": ""}, "short_title", "required"),
        ({"slug": "Not A Slug"}, "slug", "lowercase"),
        ({"kind": "party"}, "kind", "Not a valid choice"),
        ({"first_day": "27/02/2020"}, "first_day", "date"),
        ({"prepared_by_id": "999999"}, "prepared_by_id", "Not a valid choice"),
    ],
)
def test_bad_meeting_details_are_refused_next_to_the_field(
    client, organised, sign_in, post_form, overrides, field, message
):
    meeting, organiser, *_ = organised
    before = (meeting.title, meeting.timezone, meeting.last_day, meeting.version)
    sign_in(organiser)
    response = post_form("/meetings/2nd-accpcj/manage/edit", _meeting_form(meeting, **overrides))
    assert response.status_code == 200
    assert message in _error_next_to(response.get_data(as_text=True), field)
    saved = _fresh(Meeting, meeting.id)
    assert (saved.title, saved.timezone, saved.last_day, saved.version) == before


def test_a_taken_slug_is_refused_next_to_the_field(
    client, organised, sign_in, post_form, make_meeting
):
    meeting, organiser, *_ = organised
    make_meeting("cgm-phuket")
    db.session.commit()
    sign_in(organiser)
    response = post_form(
        "/meetings/2nd-accpcj/manage/edit", _meeting_form(meeting, slug="cgm-phuket", theme="T")
    )
    assert "uses this web address already" in _error_next_to(
        response.get_data(as_text=True), "slug"
    )
    assert _fresh(Meeting, meeting.id).theme == ""


def test_creating_a_meeting_with_bad_dates_saves_nothing(client, make_user, sign_in, post_form):
    user = make_user()
    user.can_create_meetings = True  # named by a site administrator
    db.session.commit()
    sign_in(user)
    response = post_form(
        "/meetings/new",
        {
            "title": "T",
            "short_title": "T",
            "kind": "conference",
            "timezone": "Mars/Olympus",
            "first_day": "2020-02-28",
            "last_day": "2020-02-27",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown time zone" in _error_next_to(page, "timezone")
    assert "before the first day" in _error_next_to(page, "last_day")
    assert _count(Meeting) == 0


def test_a_stale_edit_form_gets_409_and_saves_nothing(client, organised, sign_in, post_form):
    meeting, organiser, *_ = organised
    sign_in(organiser)
    form = _meeting_form(meeting, theme="Mine")
    # Someone else saves first.
    meeting.theme = "Theirs"
    db.session.commit()
    response = post_form("/meetings/2nd-accpcj/manage/edit", form)
    assert response.status_code == 409
    assert "Nothing was saved" in response.get_data(as_text=True)
    saved = _fresh(Meeting, meeting.id)
    assert (saved.theme, saved.version) == ("Theirs", 2)


def test_a_post_without_csrf_token_is_refused(client, organised, sign_in):
    meeting, organiser, *_ = organised
    sign_in(organiser)
    response = client.post(
        "/meetings/2nd-accpcj/manage/edit", data=_meeting_form(meeting, theme="No token")
    )
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    response = client.post("/meetings/2nd-accpcj/manage/agenda/new", data={"number": "1"})
    assert response.status_code == 400
    assert _fresh(Meeting, meeting.id).theme == ""
    assert _count(AgendaItem) == 0


# Who may see and change a meeting

MANAGE_PAGES = [
    "/meetings/{slug}/manage/",
    "/meetings/{slug}/manage/edit",
    "/meetings/{slug}/manage/agenda",
    "/meetings/{slug}/manage/agenda/new",
    "/meetings/{slug}/manage/agenda/{item}/edit",
    "/meetings/{slug}/manage/agenda/workshops/new",
    "/meetings/{slug}/manage/agenda/workshops/{workshop}/edit",
    "/meetings/{slug}/manage/officers",
    "/meetings/{slug}/manage/officers/new",
    "/meetings/{slug}/manage/documents",
    "/meetings/{slug}/manage/documents/new",
    "/meetings/{slug}/manage/documents/{document}/edit",
    "/meetings/{slug}/manage/roles",
]
MANAGE_POSTS = [
    "/meetings/{slug}/manage/edit",
    "/meetings/{slug}/manage/agenda/new",
    "/meetings/{slug}/manage/agenda/{item}/edit",
    "/meetings/{slug}/manage/agenda/{item}/delete",
    "/meetings/{slug}/manage/agenda/workshops/new",
    "/meetings/{slug}/manage/agenda/workshops/{workshop}/edit",
    "/meetings/{slug}/manage/agenda/workshops/{workshop}/delete",
    "/meetings/{slug}/manage/officers/new",
    "/meetings/{slug}/manage/officers/{officer}/delete",
    "/meetings/{slug}/manage/documents/new",
    "/meetings/{slug}/manage/documents/{document}/edit",
    "/meetings/{slug}/manage/documents/{document}/delete",
    "/meetings/{slug}/manage/roles/grant",
    "/meetings/{slug}/manage/roles/{role}/revoke",
]


@pytest.fixture
def furnished(organised, make_agenda_item, make_person):
    """The organised meeting with one of everything, and the ids its URLs need."""
    meeting, organiser, participant, stranger = organised
    item = make_agenda_item(meeting, 3, "Crime prevention")
    workshop = agenda.create_workshop(meeting, number=1, title="W", agenda_item_id=item.id)
    person = make_person(meeting, "Chair Person")
    officer = officers.create_officer(meeting, person_id=person.id, office=Office.CHAIR)
    document = documents.create_document(
        meeting,
        symbol="A/CONF.234/PM.1",
        title="Report",
        agenda_item_id=None,
        issued_on=None,
        url="",
    )
    role = db.session.scalar(select(MeetingRole).where(MeetingRole.user_id == participant.id))
    db.session.commit()
    ids = {
        "slug": meeting.slug,
        "item": item.id,
        "workshop": workshop.id,
        "officer": officer.id,
        "document": document.id,
        "role": role.id,
    }
    return meeting, organiser, participant, stranger, ids


def _snapshot():
    db.session.expire_all()
    return (
        _count(AgendaItem),
        _count(Workshop),
        _count(Officer),
        _count(Document),
        _count(MeetingRole),
        db.session.scalar(select(Meeting.version)),
    )


@pytest.mark.parametrize("who", ["participant", "stranger"])
def test_only_organisers_reach_the_manage_pages(client, furnished, sign_in, post_form, who):
    meeting, organiser, participant, stranger, ids = furnished
    sign_in(participant if who == "participant" else stranger)
    before = _snapshot()
    for page in MANAGE_PAGES:
        assert client.get(page.format(**ids)).status_code == 403, page
    form = _meeting_form(meeting, number="9", title="X", email=stranger.email, role="organiser")
    for action in MANAGE_POSTS:
        assert post_form(action.format(**ids), form).status_code == 403, action
    assert _snapshot() == before


def test_the_organiser_reaches_every_manage_page(client, furnished, sign_in):
    meeting, organiser, participant, stranger, ids = furnished
    sign_in(organiser)
    for page in MANAGE_PAGES:
        response = client.get(page.format(**ids))
        assert response.status_code == 200, page
        assert response.get_data(as_text=True).count("<h1") == 1, page


def test_anonymous_visitors_are_sent_to_sign_in(client, furnished):
    *_, ids = furnished
    before = _snapshot()
    for page in MANAGE_PAGES:
        response = client.get(page.format(**ids))
        assert response.status_code == 302, page
        assert "/account/sign-in" in response.headers["Location"]
    assert _snapshot() == before


def test_a_draft_meeting_is_hidden_from_all_but_its_people(
    client, make_user, make_meeting, sign_in
):
    organiser, stranger = make_user(), make_user()
    make_meeting("draft", status=MeetingStatus.DRAFT, organiser=organiser)
    db.session.commit()
    assert client.get("/meetings/draft/").status_code == 404
    assert client.get("/meetings/draft/manage/").status_code == 404
    sign_in(stranger)
    assert client.get("/meetings/draft/").status_code == 404
    assert client.get("/meetings/draft/manage/").status_code == 404
    sign_in(organiser)
    assert client.get("/meetings/draft/").status_code == 200
    assert client.get("/meetings/draft/manage/").status_code == 200


def test_the_public_home_shows_officers_documents_and_links(
    client, furnished, sign_in, make_meeting
):
    meeting, organiser, *_ = furnished
    hidden_prep = make_meeting("hidden-prep", status=MeetingStatus.DRAFT, title="Secret prep")
    meeting.prepared_by_id = hidden_prep.id
    db.session.commit()
    page = client.get("/meetings/2nd-accpcj/").get_data(as_text=True)
    assert "Second ACCPCJ" in page
    assert "Chair Person" in page
    assert "A/CONF.234/PM.1" in page and "General distribution" in page
    assert "Secret prep" not in page
    assert "/manage/" not in page
    sign_in(organiser)
    assert "/meetings/2nd-accpcj/manage/" in client.get("/meetings/2nd-accpcj/").get_data(
        as_text=True
    )


# Agenda items and workshops


def test_the_organiser_builds_the_agenda(client, organised, sign_in, post_form):
    meeting, organiser, *_ = organised
    sign_in(organiser)
    response = post_form(
        "/meetings/2nd-accpcj/manage/agenda/new", {"number": "5", "title": "Crime prevention"}
    )
    assert response.status_code == 302
    five = db.session.scalar(select(AgendaItem).where(AgendaItem.number == 5))
    assert client.get(f"/meetings/2nd-accpcj/manage/agenda/new?parent={five.id}").status_code == 200
    post_form(
        "/meetings/2nd-accpcj/manage/agenda/new",
        {"parent_id": str(five.id), "title": "Cybercrime"},
    )
    page = client.get("/meetings/2nd-accpcj/manage/agenda").get_data(as_text=True)
    assert "5 (a)" in page and "Cybercrime" in page
    post_form(
        f"/meetings/2nd-accpcj/manage/agenda/{five.id}/edit",
        {"parent_id": "None", "number": "6", "title": "Crime prevention"},
    )
    labels = [i.label for i in queries.agenda_items(_fresh(Meeting, meeting.id))]
    assert labels == ["6", "6 (a)"]
    response = post_form(
        "/meetings/2nd-accpcj/manage/agenda/workshops/new",
        {"number": "1", "title": "Youth", "agenda_item_id": str(five.id)},
    )
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.agenda_item_id == five.id
    post_form(f"/meetings/2nd-accpcj/manage/agenda/workshops/{workshop.id}/delete")
    post_form(f"/meetings/2nd-accpcj/manage/agenda/{five.id}/delete", {"confirmed": "yes"})
    assert _count(AgendaItem) == 0 and _count(Workshop) == 0


def test_a_duplicate_agenda_number_is_refused_next_to_the_field(
    client, organised, sign_in, post_form, make_agenda_item
):
    meeting, organiser, *_ = organised
    make_agenda_item(meeting, 5, "Original")
    db.session.commit()
    sign_in(organiser)
    response = post_form(
        "/meetings/2nd-accpcj/manage/agenda/new", {"number": "5", "title": "Duplicate"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Agenda item 5 exists already." in _error_next_to(page, "number")
    assert _count(AgendaItem) == 1


def test_a_duplicate_caught_only_by_the_database_is_a_form_error(
    client, organised, sign_in, post_form, make_agenda_item, monkeypatch
):
    meeting, organiser, *_ = organised
    make_agenda_item(meeting, 5, "Original")
    db.session.commit()
    sign_in(organiser)
    # As if another request saved item 5 between this request's check and its flush.
    monkeypatch.setattr(agenda, "_agenda_taken", lambda *args: False)
    response = post_form(
        "/meetings/2nd-accpcj/manage/agenda/new", {"number": "5", "title": "Duplicate"}
    )
    assert response.status_code == 200
    assert "exists already" in _error_next_to(response.get_data(as_text=True), "number")
    db.session.expire_all()
    assert [i.title for i in db.session.scalars(select(AgendaItem))] == ["Original"]


def test_agenda_and_workshop_shape_errors(client, organised, sign_in, post_form, make_agenda_item):
    meeting, organiser, *_ = organised
    make_agenda_item(meeting, 1)
    agenda.create_workshop(meeting, number=1, title="W")
    db.session.commit()
    sign_in(organiser)
    url = "/meetings/2nd-accpcj/manage/agenda/new"
    page = post_form(url, {"number": "0", "title": "T"}).get_data(as_text=True)
    assert _error_next_to(page, "number")
    page = post_form(url, {"number": "2", "title": "x" * 1001}).get_data(as_text=True)
    assert "1000" in _error_next_to(page, "title")
    page = post_form(url, {"number": "2", "letter": "a", "title": "T"}).get_data(as_text=True)
    assert "Only a sub-item" in _error_next_to(page, "letter")
    page = post_form(
        "/meetings/2nd-accpcj/manage/agenda/workshops/new", {"number": "1", "title": "Again"}
    ).get_data(as_text=True)
    assert "Workshop 1 exists already." in _error_next_to(page, "number")
    assert (_count(AgendaItem), _count(Workshop)) == (1, 1)


def test_items_of_another_meeting_are_not_found(
    client, organised, sign_in, post_form, make_meeting, make_agenda_item
):
    meeting, organiser, *_ = organised
    foreign = make_agenda_item(make_meeting(), 1)
    db.session.commit()
    sign_in(organiser)
    assert client.get(f"/meetings/2nd-accpcj/manage/agenda/{foreign.id}/edit").status_code == 404
    assert post_form(f"/meetings/2nd-accpcj/manage/agenda/{foreign.id}/delete").status_code == 404
    assert _count(AgendaItem) == 1


# Officers and documents


def test_officers_through_the_pages(client, organised, sign_in, post_form, make_person):
    meeting, organiser, *_ = organised
    person = make_person(meeting, "Somchai", honorific="Mr.", country="Thailand")
    db.session.commit()
    sign_in(organiser)
    url = "/meetings/2nd-accpcj/manage/officers/new"
    page = post_form(
        url, {"person_id": str(person.id), "office": "chair", "elected_on": "2020-03-01"}
    ).get_data(as_text=True)
    assert "last day" in _error_next_to(page, "elected_on")
    assert _count(Officer) == 0
    response = post_form(
        url, {"person_id": str(person.id), "office": "chair", "elected_on": "2020-02-27"}
    )
    assert response.status_code == 302
    page = client.get("/meetings/2nd-accpcj/manage/officers").get_data(as_text=True)
    assert "Mr. Somchai" in page and "Chair" in page
    officer = db.session.scalar(select(Officer))
    post_form(f"/meetings/2nd-accpcj/manage/officers/{officer.id}/delete")
    assert _count(Officer) == 0


def test_documents_through_the_pages(client, organised, sign_in, post_form):
    meeting, organiser, *_ = organised
    sign_in(organiser)
    url = "/meetings/2nd-accpcj/manage/documents/new"
    response = post_form(
        url,
        {"symbol": "A/CONF.234/RPM.1/L.2 and Add.1-2", "title": "Draft report", "url": ""},
    )
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert (document.doc_type, document.addendum) == (DocumentType.LIMITED, "Add.1-2")
    for bad, field in [
        ({"symbol": "a/conf.234"}, "symbol"),
        ({"symbol": "A/CONF.234/RPM.1/L.2 and Add.1-2"}, "symbol"),
        ({"symbol": "A/CONF.234/PM.1", "url": "javascript:alert(1)"}, "url"),
        ({"symbol": "A/" + "X" * 130}, "symbol"),
    ]:
        response = post_form(url, {"title": "T", **bad})
        assert response.status_code == 200
        assert _error_next_to(response.get_data(as_text=True), field)
    assert _count(Document) == 1
    response = post_form(
        f"/meetings/2nd-accpcj/manage/documents/{document.id}/edit",
        {"symbol": "A/CONF.234/RPM.1/INF/2", "title": "List of participants"},
    )
    assert response.status_code == 302
    assert _fresh(Document, document.id).doc_type == DocumentType.INFORMATION
    page = client.get("/meetings/2nd-accpcj/manage/documents").get_data(as_text=True)
    assert "Information series" in page
    question = post_form(f"/meetings/2nd-accpcj/manage/documents/{document.id}/delete")
    assert "Remove document" in question.get_data(as_text=True)
    post_form(f"/meetings/2nd-accpcj/manage/documents/{document.id}/delete", {"confirmed": "yes"})
    assert _count(Document) == 0


# Roles


def test_roles_through_the_pages(client, organised, sign_in, post_form):
    meeting, organiser, participant, stranger = organised
    sign_in(organiser)
    url = "/meetings/2nd-accpcj/manage/roles/grant"
    response = post_form(url, {"email": "nobody@example.org", "role": "chair"})
    assert response.status_code == 200
    assert "No account with this email address" in _error_next_to(
        response.get_data(as_text=True), "email"
    )
    assert _count(MeetingRole) == 2
    response = post_form(url, {"email": stranger.email, "role": "rapporteur"})
    assert response.status_code == 302
    assert _count(MeetingRole) == 3
    response = post_form(
        url, {"email": stranger.email, "role": "rapporteur"}, follow_redirects=True
    )
    assert "already" in response.get_data(as_text=True)
    assert _count(MeetingRole) == 3
    own = db.session.scalar(select(MeetingRole).where(MeetingRole.user_id == organiser.id))
    response = post_form(
        f"/meetings/2nd-accpcj/manage/roles/{own.id}/revoke", follow_redirects=True
    )
    assert "last organiser" in response.get_data(as_text=True)
    assert _fresh(MeetingRole, own.id) is not None


def test_a_meeting_page_date_is_iso_in_its_markup(client, organised):
    page = client.get("/meetings/2nd-accpcj/").get_data(as_text=True)
    assert f'datetime="{date(2020, 2, 27).isoformat()}"' in page


def test_nul_characters_never_reach_the_database(client, organised, sign_in, post_form):
    meeting, organiser, *_ = organised
    sign_in(organiser)
    response = post_form(
        "/meetings/2nd-accpcj/manage/edit", _meeting_form(meeting, theme="Pre\x00vention")
    )
    assert response.status_code == 302
    assert _fresh(Meeting, meeting.id).theme == "Prevention"
    response = post_form(
        "/meetings/2nd-accpcj/manage/agenda/new", {"number": "1\x00", "title": "T\x00"}
    )
    assert response.status_code in (200, 302)


def test_the_dashboard_counts_and_offers_publishing(
    client, make_user, make_meeting, make_person, sign_in, post_form
):
    organiser = make_user()
    meeting = make_meeting("draft", status=MeetingStatus.DRAFT, organiser=organiser)
    make_person(meeting)
    make_person(meeting)
    db.session.commit()
    sign_in(organiser)
    page = client.get("/meetings/draft/manage/").get_data(as_text=True)
    assert re.search(r"<dt>People</dt><dd>2</dd>", page)
    assert 'action="/meetings/draft/manage/publish"' in page
    post_form("/meetings/draft/manage/publish")
    assert _fresh(Meeting, meeting.id).status == MeetingStatus.PUBLISHED
    page = client.get("/meetings/draft/manage/").get_data(as_text=True)
    assert "Return the meeting to draft" in page


def test_an_organiser_who_steps_down_is_taken_to_the_meeting_page(
    client, organised, make_user, grant_role, sign_in, post_form
):
    meeting, organiser, *_ = organised
    grant_role(meeting, make_user(), RoleName.ORGANISER)
    own = db.session.scalar(select(MeetingRole).where(MeetingRole.user_id == organiser.id))
    db.session.commit()
    sign_in(organiser)
    response = post_form(f"/meetings/2nd-accpcj/manage/roles/{own.id}/revoke")
    assert response.headers["Location"] == "/meetings/2nd-accpcj/"
    assert _fresh(MeetingRole, own.id) is None
    assert client.get("/meetings/2nd-accpcj/manage/").status_code == 403


def test_removing_an_agenda_item_keeps_its_sessions_and_documents(
    client, organised, sign_in, post_form, make_agenda_item, make_session
):
    from app.programme.models import AgendaSession

    meeting, organiser, *_ = organised
    item = make_agenda_item(meeting, 3)
    sub = make_agenda_item(meeting, 3, parent=item, letter="a")
    session_ = make_session(meeting, agenda_item_id=sub.id)
    document = documents.create_document(
        meeting,
        symbol="A/CONF.234/PM.1",
        title="Report",
        agenda_item_id=item.id,
        issued_on=None,
        url="",
    )
    workshop = agenda.create_workshop(meeting, number=1, title="W", agenda_item_id=item.id)
    db.session.commit()
    sign_in(organiser)
    # Deleting asks first, and says what goes with it and what only loses its link.
    question = post_form(f"/meetings/2nd-accpcj/manage/agenda/{item.id}/delete")
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert "Its 1 sub-item is deleted with it." in page
    assert "1 session stays in the programme" in page and "1 document stays listed" in page
    assert _count(AgendaItem) == 2
    response = post_form(
        f"/meetings/2nd-accpcj/manage/agenda/{item.id}/delete", {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert _count(AgendaItem) == 0
    assert _fresh(AgendaSession, session_.id).agenda_item_id is None
    assert _fresh(Document, document.id).agenda_item_id is None
    assert _fresh(Workshop, workshop.id).agenda_item_id is None


def test_ids_beyond_the_database_range_are_not_found(
    client, organised, sign_in, post_form, make_person
):
    meeting, organiser, *_ = organised
    make_person(meeting)
    db.session.commit()
    sign_in(organiser)
    huge = 10**20
    for path in ("agenda/{}/edit", "agenda/workshops/{}/edit", "documents/{}/edit"):
        assert client.get(f"/meetings/2nd-accpcj/manage/{path.format(huge)}").status_code == 404
    for path in ("agenda/{}/delete", "officers/{}/delete", "roles/{}/revoke"):
        response = post_form(f"/meetings/2nd-accpcj/manage/{path.format(huge)}")
        assert response.status_code == 404
    response = post_form(
        "/meetings/2nd-accpcj/manage/officers/new", {"person_id": str(huge), "office": "chair"}
    )
    assert response.status_code == 200
    assert _error_next_to(response.get_data(as_text=True), "person_id")


def test_a_draft_is_visible_to_its_organisers_alone(client, make_user, make_meeting, sign_in):
    organiser, chair, participant = make_user(), make_user(), make_user()
    draft = make_meeting("draft-meeting", status=MeetingStatus.DRAFT, organiser=organiser)
    factories.grant_role(draft, chair, RoleName.CHAIR)
    factories.grant_role(draft, participant, RoleName.PARTICIPANT)
    db.session.commit()
    for account in (chair, participant):
        sign_in(account)
        assert client.get("/meetings/draft-meeting/").status_code == 404
        assert client.get("/meetings/draft-meeting/programme").status_code == 404
    sign_in(organiser)
    assert client.get("/meetings/draft-meeting/").status_code == 200


def test_a_stranger_cannot_attach_a_meeting_to_another(client, organised, sign_in, post_form):
    meeting, _organiser, _participant, stranger = organised
    theirs = factories.make_meeting("their-meeting", organiser=stranger)
    db.session.commit()
    sign_in(stranger)
    page = client.get("/meetings/their-meeting/manage/edit").get_data(as_text=True)
    assert "Second ACCPCJ" not in page
    response = post_form(
        "/meetings/their-meeting/manage/edit",
        _meeting_form(theirs, prepared_by_id=str(meeting.id)),
    )
    assert response.status_code == 200
    assert _fresh(type(theirs), theirs.id).prepared_by_id is None
    public = client.get("/meetings/2nd-accpcj/").get_data(as_text=True)
    assert "their-meeting" not in public
