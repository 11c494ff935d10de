"""Meeting rules without HTTP: symbols, meetings, agenda, workshops, officers, documents, roles."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import MeetingError
from app.extensions import db
from app.meetings import agenda, documents, meetings, officers, queries, roles
from app.meetings.documents import SymbolInfo, parse_symbol
from app.meetings.models import (
    AgendaItem,
    Document,
    DocumentType,
    Meeting,
    MeetingKind,
    MeetingRole,
    MeetingStatus,
    Office,
    RoleName,
)

# Symbols as the seed reports print them.


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("A/CONF.234/PM.1", SymbolInfo(DocumentType.GENERAL)),
        ("A/CONF.234/RPM.1/L.1", SymbolInfo(DocumentType.LIMITED)),
        (
            "A/CONF.234/RPM.1/L.2 and Add.1-2",
            SymbolInfo(DocumentType.LIMITED, addendum="Add.1-2"),
        ),
        ("A/CONF.234/RPM.1/L.2/Add.1", SymbolInfo(DocumentType.LIMITED, addendum="Add.1")),
        ("A/CONF.234/RPM.1/INF/2", SymbolInfo(DocumentType.INFORMATION)),
        ("A/CONF.234/PM/CRP.1", SymbolInfo(DocumentType.CONFERENCE_ROOM_PAPER)),
        ("A/CONF.234/RPM.1/CRP.1", SymbolInfo(DocumentType.CONFERENCE_ROOM_PAPER)),
        ("E/CN.15/2007/6", SymbolInfo(DocumentType.GENERAL)),
        ("A/CONF.234/WP.3", SymbolInfo(DocumentType.WORKING_PAPER)),
        ("E/CN.15/2019/L.3/Rev.1", SymbolInfo(DocumentType.LIMITED, revision="Rev.1")),
        ("A/CONF.234/PM.1/Corr.1", SymbolInfo(DocumentType.GENERAL, corrigendum="Corr.1")),
        (
            "A/CONF.234/RPM.1/L.2/Rev.1/Add.2",
            SymbolInfo(DocumentType.LIMITED, addendum="Add.2", revision="Rev.1"),
        ),
        ("  A/CONF.234/PM.1  ", SymbolInfo(DocumentType.GENERAL)),
    ],
)
def test_parse_symbol_reads_type_and_suffixes(symbol, expected):
    assert parse_symbol(symbol) == expected


@pytest.mark.parametrize(
    "symbol",
    [
        "",
        "   ",
        "a/conf.234/PM.1",
        "A/CONF.234 /PM.1",
        "A/CONF.234/RPM.1/L.2 and",
        "A/CONF.234/RPM.1/L.2 or Add.1",
        "A",
        "A//PM.1",
        "A/CONF.234/Add.1/L.2",
        "A/CONF.234/L.2/Add.1/Add.2",
        "CONF.234",
        "1/CONF.234",
        "A/CONF.234/pm.1",
    ],
)
def test_parse_symbol_refuses_malformed_symbols(symbol):
    with pytest.raises(MeetingError) as caught:
        parse_symbol(symbol)
    assert caught.value.field == "symbol"
    assert caught.value.message


# Meetings


def _fields(**overrides):
    fields = {
        "title": "Second ASEAN Conference on Crime Prevention and Criminal Justice",
        "short_title": "2nd ACCPCJ",
        "kind": MeetingKind.CONFERENCE,
        "timezone": "Asia/Bangkok",
        "first_day": date(2020, 2, 27),
        "last_day": date(2020, 2, 28),
        "city": "Bangkok",
    }
    fields.update(overrides)
    return fields


def test_create_meeting_makes_its_creator_the_organiser(make_user):
    user = make_user()
    meeting = meetings.create_meeting(user, **_fields())
    assert meeting.slug == "2nd-accpcj"
    assert meeting.status == MeetingStatus.DRAFT
    roles = db.session.scalars(select(MeetingRole).where(MeetingRole.meeting_id == meeting.id))
    assert [(r.user_id, r.role) for r in roles] == [(user.id, RoleName.ORGANISER)]


def test_slug_must_be_unique_and_well_formed(make_user, make_meeting):
    user = make_user()
    make_meeting("2nd-accpcj")
    with pytest.raises(MeetingError) as caught:
        meetings.create_meeting(user, **_fields())
    assert caught.value.field == "slug"
    for bad in ("Upper", "two  words", "trailing-", "a--b", "x" * 81):
        with pytest.raises(MeetingError) as caught:
            meetings.create_meeting(user, slug=bad, **_fields())
        assert caught.value.field == "slug"
    meeting = meetings.create_meeting(user, slug="accpcj-2", **_fields())
    assert meeting.slug == "accpcj-2"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"first_day": date(2020, 2, 28), "last_day": date(2020, 2, 27)}, "last_day"),
        ({"title": "  "}, "title"),
    ],
)
def test_create_meeting_refuses_bad_details(make_user, overrides, field):
    with pytest.raises(MeetingError) as caught:
        meetings.create_meeting(make_user(), **_fields(**overrides))
    assert caught.value.field == field


def test_update_meeting_keeps_its_slug_and_refuses_a_prep_cycle(make_meeting, make_user):
    organiser = make_user()
    prep = make_meeting("cgm-phuket", organiser=organiser)
    conference = make_meeting("2nd-accpcj", organiser=organiser)
    meetings.update_meeting(
        conference,
        editor=organiser,
        slug="2nd-accpcj",
        prepared_by_id=prep.id,
        **_fields(theme="Prevention"),
    )
    assert conference.prepared_by == prep
    assert conference.theme == "Prevention"
    with pytest.raises(MeetingError) as caught:
        meetings.update_meeting(
            prep, editor=organiser, slug="cgm-phuket", prepared_by_id=conference.id, **_fields()
        )
    assert caught.value.field == "prepared_by_id"
    with pytest.raises(MeetingError):
        meetings.update_meeting(
            prep, editor=organiser, slug="cgm-phuket", prepared_by_id=prep.id, **_fields()
        )


def test_linking_meetings_needs_rights_on_both(make_meeting, make_user):
    stranger = make_user()
    theirs = make_meeting("their-meeting", organiser=stranger)
    accpcj = make_meeting("2nd-accpcj", organiser=make_user())
    draft = make_meeting("someone-elses-draft", status=MeetingStatus.DRAFT, organiser=make_user())
    with pytest.raises(MeetingError) as caught:
        meetings.update_meeting(
            theirs, editor=stranger, slug="their-meeting", prepared_by_id=accpcj.id, **_fields()
        )
    assert caught.value.field == "prepared_by_id"
    with pytest.raises(MeetingError):
        meetings.create_meeting(stranger, prepared_by_id=draft.id, **_fields())
    choices = queries.preparatory_choices(stranger, theirs)
    assert accpcj not in choices and draft not in choices


# Agenda items and workshops


def test_agenda_items_are_numbered_and_sub_items_lettered(make_meeting):
    meeting = make_meeting()
    five = agenda.create_agenda_item(meeting, number=5, title="Crime prevention")
    a = agenda.create_agenda_item(meeting, parent_id=five.id, title="Cybercrime")
    b = agenda.create_agenda_item(meeting, parent_id=five.id, title="Youth")
    d = agenda.create_agenda_item(meeting, parent_id=five.id, letter="D", title="Victims")
    assert [a.label, b.label, d.label] == ["5 (a)", "5 (b)", "5 (d)"]
    c = agenda.create_agenda_item(meeting, parent_id=five.id, title="Gaps filled first")
    assert c.label == "5 (c)"
    labels = [item.label for item in queries.agenda_items(meeting)]
    assert labels == ["5", "5 (a)", "5 (b)", "5 (c)", "5 (d)"]


def test_duplicate_agenda_numbers_and_letters_are_refused(make_meeting, make_agenda_item):
    meeting = make_meeting()
    five = make_agenda_item(meeting, 5)
    make_agenda_item(meeting, 5, parent=five, letter="a")
    with pytest.raises(MeetingError) as caught:
        agenda.create_agenda_item(meeting, number=5, title="Again")
    assert caught.value.field == "number"
    assert "Agenda item 5 exists already" in caught.value.message
    with pytest.raises(MeetingError) as caught:
        agenda.create_agenda_item(meeting, parent_id=five.id, letter="a", title="Again")
    assert caught.value.field == "letter"
    assert "5 (a)" in caught.value.message
    # Another meeting may use the same numbers.
    agenda.create_agenda_item(make_meeting(), number=5, title="Elsewhere")


def test_the_database_guards_agenda_numbers_too(make_meeting, make_agenda_item, monkeypatch):
    meeting = make_meeting()
    make_agenda_item(meeting, 5)
    db.session.commit()
    # As if a second request had checked before the first one saved.
    monkeypatch.setattr(agenda, "_agenda_taken", lambda *args: False)
    with pytest.raises(MeetingError) as caught:
        agenda.create_agenda_item(meeting, number=5, title="Race")
    assert caught.value.field == "number"
    db.session.rollback()
    count = db.session.scalar(select(func.count()).select_from(AgendaItem))
    assert count == 1


def test_renumbering_an_item_renumbers_its_sub_items(make_meeting, make_agenda_item):
    meeting = make_meeting()
    five = make_agenda_item(meeting, 5)
    sub = make_agenda_item(meeting, 5, parent=five, letter="a")
    make_agenda_item(meeting, 6)
    db.session.commit()
    with pytest.raises(MeetingError):
        agenda.update_agenda_item(meeting, five, number=6, title="Clash")
    db.session.rollback()
    five = db.session.get(AgendaItem, five.id)
    agenda.update_agenda_item(meeting, five, number=7, title="Moved")
    assert db.session.get(AgendaItem, sub.id).label == "7 (a)"


def test_a_sub_item_cannot_hold_sub_items(make_meeting, make_agenda_item):
    meeting = make_meeting()
    five = make_agenda_item(meeting, 5)
    sub = make_agenda_item(meeting, 5, parent=five, letter="a")
    with pytest.raises(MeetingError) as caught:
        agenda.create_agenda_item(meeting, parent_id=sub.id, title="Too deep")
    assert caught.value.field == "parent_id"
    other = make_agenda_item(make_meeting(), 1)
    with pytest.raises(MeetingError):
        agenda.create_agenda_item(meeting, parent_id=other.id, title="Foreign parent")


def test_workshop_numbers_are_unique_per_meeting(make_meeting, make_agenda_item):
    meeting = make_meeting()
    three = make_agenda_item(meeting, 3)
    workshop = agenda.create_workshop(meeting, number=1, title="Youth", agenda_item_id=three.id)
    assert workshop.agenda_item == three
    with pytest.raises(MeetingError) as caught:
        agenda.create_workshop(meeting, number=1, title="Again")
    assert caught.value.field == "number"
    foreign = make_agenda_item(make_meeting(), 3)
    with pytest.raises(MeetingError) as caught:
        agenda.create_workshop(meeting, number=2, title="X", agenda_item_id=foreign.id)
    assert caught.value.field == "agenda_item_id"


# Officers


def test_officers_are_people_of_the_meeting_elected_by_its_last_day(make_meeting, make_person):
    meeting = make_meeting(first_day=date(2019, 10, 13), last_day=date(2019, 10, 14))
    chair = make_person(meeting, "Somchai", honorific="Mr.")
    officer = officers.create_officer(
        meeting, person_id=chair.id, office=Office.CHAIR, elected_on=date(2019, 10, 13)
    )
    assert officer.person == chair
    with pytest.raises(MeetingError) as caught:
        officers.create_officer(meeting, person_id=chair.id, office=Office.CHAIR)
    assert caught.value.field == "person_id"
    with pytest.raises(MeetingError) as caught:
        officers.create_officer(
            meeting, person_id=chair.id, office=Office.RAPPORTEUR, elected_on=date(2019, 10, 15)
        )
    assert caught.value.field == "elected_on"
    stranger = make_person(make_meeting())
    with pytest.raises(MeetingError) as caught:
        officers.create_officer(meeting, person_id=stranger.id, office=Office.VICE_CHAIR)
    assert caught.value.field == "person_id"
    vice = officers.create_officer(meeting, person_id=chair.id, office=Office.VICE_CHAIR)
    assert [o.office for o in queries.officers(meeting)] == [Office.CHAIR, Office.VICE_CHAIR]
    officers.delete_officer(vice)
    assert len(queries.officers(meeting)) == 1


# Documents


def _doc(symbol, **overrides):
    fields = {
        "symbol": symbol,
        "title": "Provisional agenda",
        "agenda_item_id": None,
        "issued_on": None,
        "url": "",
    }
    fields.update(overrides)
    return fields


def test_documents_store_what_their_symbol_says(make_meeting, make_agenda_item):
    meeting = make_meeting()
    item = make_agenda_item(meeting, 2)
    document = documents.create_document(
        meeting,
        **_doc(
            "A/CONF.234/RPM.1/L.2 and Add.1-2",
            agenda_item_id=item.id,
            url="https://undocs.org/A/CONF.234/RPM.1/L.2",
        ),
    )
    assert document.doc_type == DocumentType.LIMITED
    assert document.addendum == "Add.1-2"
    assert document.agenda_item == item
    documents.update_document(meeting, document, **_doc("A/CONF.234/RPM.1/CRP.1"))
    assert (document.doc_type, document.addendum) == (DocumentType.CONFERENCE_ROOM_PAPER, "")


def test_documents_refuse_duplicates_and_unsafe_links(make_meeting):
    meeting = make_meeting()
    documents.create_document(meeting, **_doc("A/CONF.234/PM.1"))
    with pytest.raises(MeetingError) as caught:
        documents.create_document(meeting, **_doc("A/CONF.234/PM.1"))
    assert caught.value.field == "symbol"
    for url in ("javascript:alert(1)", "ftp://example.org/x", "https://", "http://a b"):
        with pytest.raises(MeetingError) as caught:
            documents.create_document(meeting, **_doc("A/CONF.234/PM.2", url=url))
        assert caught.value.field == "url"
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1


# Roles


def test_grant_role_needs_an_account_and_changes_nothing_when_held(make_meeting, make_user):
    organiser = make_user()
    meeting = make_meeting(organiser=organiser)
    chair = make_user("chair@example.org")
    with pytest.raises(MeetingError) as caught:
        roles.grant_role(meeting, "nobody@example.org", RoleName.CHAIR)
    assert caught.value.field == "email"
    row, created = roles.grant_role(meeting, " Chair@Example.org ", RoleName.CHAIR)
    assert created and row.user == chair
    again, created = roles.grant_role(meeting, "chair@example.org", RoleName.CHAIR)
    assert again == row and not created
    count = db.session.scalar(select(func.count()).select_from(MeetingRole))
    assert count == 2


def test_the_last_organiser_cannot_be_removed(make_meeting, make_user):
    first, second = make_user(), make_user()
    meeting = make_meeting(organiser=first)
    row, _ = roles.grant_role(meeting, second.email, RoleName.ORGANISER)
    roles.revoke_role(meeting, row)
    only = db.session.scalar(select(MeetingRole).where(MeetingRole.meeting_id == meeting.id))
    with pytest.raises(MeetingError):
        roles.revoke_role(meeting, only)
    assert db.session.get(MeetingRole, only.id) is not None
    assert db.session.get(Meeting, meeting.id) is not None
