"""The report outline without HTTP: numbering, moving blocks, refusals, lead sentences,
the report compiled from it, and UN date ranges."""

from datetime import date

import pytest

from app.errors import OutputError
from app.extensions import db
from app.meetings import officers
from app.meetings.models import Office
from app.outputs import outline
from app.outputs import report as report_rules
from app.outputs.models import OutlinePart, PartKind
from app.undates import date_range_running, date_range_short
from tests.factories import make_meeting, make_user
from tests.outputs.conftest import approve


def _stored(meeting):
    return [(p.kind, p.heading) for p in outline.start_outline(meeting)]


def _labels(meeting):
    parts = outline.outline_of(meeting)
    return [
        (label, p.heading)
        for p, label in zip(parts, outline.numbering(parts), strict=True)
        if p.kind == PartKind.HEADING
    ]


def test_a_new_meeting_prints_the_standard_un_outline(scene):
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    assert _labels(scene.meeting) == [
        ("I.", "Introduction"),
        ("II.", "Conclusions and recommendations"),
        ("A.", "Cluster I: Culture of Prevention"),
        ("III.", "Attendance and organization of work"),
        ("A.", "Date and venue of the Meeting"),
        ("B.", "Attendance"),
        ("C.", "Opening of the Meeting"),
        ("D.", "Election of officers"),
        ("E.", "Adoption of the agenda and organization of work"),
        ("F.", "Other matters"),
        ("IV.", "Adoption of the report and closure of the Meeting"),
        ("", "Annex"),
        ("", "List of documents"),
    ]
    # Printing it stores nothing; the first change does.
    assert outline.count_parts(scene.meeting) == 0


def test_numbering_follows_levels_and_restarts_under_each_parent():
    def h(level, numbered=True):
        return OutlinePart(kind=PartKind.HEADING, level=level, numbered=numbered, heading="x")

    parts = [h(1), h(2), h(3), h(3), h(2), h(3), h(1), h(2), h(1, numbered=False), h(2)]
    assert outline.numbering(parts) == ["I.", "A.", "1.", "2.", "B.", "1.", "II.", "A.", "", "A."]
    assert outline.roman(14) == "XIV"
    assert outline.section_letter(26) == "AA"


def test_an_output_moves_under_a_group_heading_with_a_paragraph_after_it(scene):
    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=["Deliberated."],
        recommendations=["Act", "Act again"],
    )
    approve(scene.session_output, scene.other_rapporteur, scene.chair, summary=["Youth."])
    parts = outline.start_outline(scene.meeting)
    conclusions = next(p for p in parts if p.kind == PartKind.CONCLUSIONS)
    group = outline.add_part(
        scene.meeting,
        kind=PartKind.HEADING,
        after_id=conclusions.id,
        level=2,
        heading="Substantive items and workshops " + "of the Congress " * 30,
    )
    parts = outline.start_outline(scene.meeting)
    cluster_heading = next(p for p in parts if p.heading == "Cluster I: Culture of Prevention")
    cluster_block = next(p for p in parts if p.output_id == scene.cluster_output.id)
    cluster_heading.level = 3
    outline.move_part(scene.meeting, cluster_heading.id, after_id=group.id)
    outline.move_part(scene.meeting, cluster_block.id, after_id=cluster_heading.id)
    outline.add_part(
        scene.meeting,
        kind=PartKind.TEXT,
        after_id=cluster_block.id,
        body="Member States were encouraged.\n\nA second *paragraph*.",
    )
    labels = _labels(scene.meeting)
    assert labels[2][0] == "A." and labels[2][1].startswith("Substantive items")
    assert labels[3] == ("1.", "Cluster I: Culture of Prevention")
    content = report_rules.report_content(scene.meeting)
    texts = [i.get("text") for i in content["items"] if i["type"] == "para"]
    assert texts[:4] == [
        "Deliberated.",
        "The following recommendations, which were not negotiated by the participants, were"
        " identified:",
        "Member States were encouraged.",
        "A second *paragraph*.",
    ]
    numbers = [i["number"] for i in content["items"] if i["type"] == "para"]
    assert numbers == list(range(1, len(numbers) + 1))
    recs = next(i for i in content["items"] if i["type"] == "recommendations")
    assert [r["letter"] for r in recs["rows"]] == ["a", "b"]
    assert "<em>paragraph</em>" in str(
        content["items"][[i.get("text") for i in content["items"]].index("A second *paragraph*.")][
            "html"
        ]
    )


def test_step_moves_one_place_and_stops_at_the_ends(scene):
    parts = outline.start_outline(scene.meeting)
    first, second = parts[0], parts[1]
    outline.step_part(scene.meeting, first.id, -1)
    assert outline.start_outline(scene.meeting)[0].id == first.id
    outline.step_part(scene.meeting, first.id, +1)
    assert [p.id for p in outline.start_outline(scene.meeting)[:2]] == [second.id, first.id]


def test_a_block_twice_and_another_meetings_output_are_refused(scene):
    outline.start_outline(scene.meeting)
    before = outline.count_parts(scene.meeting)
    with pytest.raises(OutputError, match="already"):
        outline.add_part(scene.meeting, kind=PartKind.ATTENDANCE)
    other = make_meeting(organiser=make_user())
    with pytest.raises(OutputError) as error:
        outline.add_part(other, kind=PartKind.OUTPUT, output_id=scene.cluster_output.id)
    assert error.value.field == "output_id"
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    outline.add_part(scene.meeting, kind=PartKind.OUTPUT, output_id=scene.cluster_output.id)
    with pytest.raises(OutputError, match="already"):
        outline.add_part(scene.meeting, kind=PartKind.OUTPUT, output_id=scene.cluster_output.id)
    db.session.rollback()
    assert outline.count_parts(scene.meeting) in (0, before)


@pytest.mark.parametrize(
    "body, message",
    [
        ("<script>alert(1)</script>", "no HTML"),
        ("See [this](javascript:alert(1)).", "https://"),
        ("See [this](file:///etc/passwd).", "https://"),
    ],
)
def test_markup_that_tries_html_or_a_strange_link_is_refused(scene, body, message):
    with pytest.raises(OutputError, match=message):
        outline.add_part(scene.meeting, kind=PartKind.TEXT, body=body)


def test_lead_sentences_have_un_defaults_and_can_be_rewritten(scene, make_person):
    parts = outline.start_outline(scene.meeting)
    officers_part = next(p for p in parts if p.kind == PartKind.OFFICERS)
    assert outline.lead_of(scene.meeting, officers_part) == (
        "The Meeting elected, by acclamation, the following officers:"
    )
    person = make_person(scene.meeting, "Wisit Wisitsora-at", country="Thailand")
    officer = officers.create_officer(scene.meeting, person_id=person.id, office=Office.CHAIR)
    officer.elected_on = date(2019, 1, 22)
    assert outline.lead_of(scene.meeting, officers_part) == (
        "On 22 January 2019, the Meeting elected, by acclamation, the following officers:"
    )
    outline.update_part(scene.meeting, officers_part, options={"by_acclamation": False})
    assert outline.lead_of(scene.meeting, officers_part) == (
        "On 22 January 2019, the Meeting elected the following officers:"
    )
    agenda_part = next(p for p in parts if p.kind == PartKind.AGENDA)
    outline.update_part(scene.meeting, agenda_part, options={"symbol": "A/CONF.234/RPM.1/L.1"})
    assert outline.lead_of(scene.meeting, agenda_part) == (
        "The Meeting adopted its provisional agenda (A/CONF.234/RPM.1/L.1), which read as follows:"
    )
    with pytest.raises(OutputError) as error:
        outline.update_part(scene.meeting, agenda_part, options={"symbol": "not a symbol"})
    assert error.value.field == "symbol"
    outline.update_part(
        scene.meeting,
        officers_part,
        lead="At its 1st meeting, on 22 January 2019, the Meeting elected, by acclamation, the"
        " following officers:",
    )
    assert outline.lead_of(scene.meeting, officers_part).startswith("At its 1st meeting")


def test_attendance_qualifiers_go_after_the_noun(scene, make_registration):
    from app.registration.models import AttendanceCategory

    make_registration(
        scene.meeting, delegation="Thailand", category=AttendanceCategory.MEMBER_STATE
    )
    make_registration(scene.meeting, delegation="Japan", category=AttendanceCategory.MEMBER_STATE)
    make_registration(
        scene.meeting,
        delegation="Japan Federation of Bar Associations",
        category=AttendanceCategory.NGO,
    )
    parts = outline.start_outline(scene.meeting)
    block = next(p for p in parts if p.kind == PartKind.ATTENDANCE)
    outline.update_part(
        scene.meeting,
        block,
        options={
            "qualifiers": {
                "member_state": (
                    "members of the Economic and Social Commission for Asia and the Pacific"
                ),
                "ngo": "in consultative status with the Economic and Social Council",
            }
        },
    )
    texts = [
        i["text"]
        for i in report_rules.report_content(scene.meeting)["items"]
        if i["type"] == "para"
    ]
    assert (
        "The following States members of the Economic and Social Commission for Asia and the"
        " Pacific were represented at the Meeting: Japan and Thailand." in texts
    )
    assert (
        "The following non-governmental organization in consultative status with the Economic"
        " and Social Council was represented by observers: Japan Federation of Bar Associations."
        in texts
    )


def test_documents_print_in_the_organisers_order(scene):
    from app.meetings import documents

    made = [
        documents.create_document(
            scene.meeting, symbol=s, title=t, agenda_item_id=None, issued_on=None, url=""
        )
        for s, t in [
            ("A/CONF.234/PM.1", "Discussion guide"),
            ("A/CONF.234/RPM.1/L.1", "Annotated provisional agenda"),
            ("A/CONF.234/RPM.1/INF/2", "List of participants"),
        ]
    ]
    block = next(p for p in outline.start_outline(scene.meeting) if p.kind == PartKind.DOCUMENTS)
    outline.update_part(scene.meeting, block, options={"order": [made[2].id, made[0].id]})
    rows = next(
        i for i in report_rules.report_content(scene.meeting)["items"] if i["type"] == "documents"
    )["rows"]
    assert [r["symbol"] for r in rows] == [
        "A/CONF.234/RPM.1/INF/2",
        "A/CONF.234/PM.1",
        "A/CONF.234/RPM.1/L.1",
    ]
    with pytest.raises(OutputError):
        outline.update_part(scene.meeting, block, options={"order": [999999]})


@pytest.mark.parametrize(
    "first, last, running, short",
    [
        (date(2019, 1, 22), date(2019, 1, 24), "from 22 to 24 January 2019", "22–24 January 2019"),
        (
            date(2020, 2, 27),
            date(2020, 2, 28),
            "from 27 to 28 February 2020",
            "27–28 February 2020",
        ),
        (
            date(2019, 1, 30),
            date(2019, 2, 2),
            "from 30 January to 2 February 2019",
            "30 January–2 February 2019",
        ),
        (
            date(2019, 12, 30),
            date(2020, 1, 2),
            "from 30 December 2019 to 2 January 2020",
            "30 December 2019–2 January 2020",
        ),
        (date(2019, 1, 22), date(2019, 1, 22), "on 22 January 2019", "22 January 2019"),
    ],
)
def test_un_date_ranges(app, first, last, running, short):
    with app.test_request_context():
        assert date_range_running(first, last) == running
        assert date_range_short(first, last) == short


def test_a_new_edition_copies_the_outline_without_output_blocks(scene):
    from app.programme import copying

    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    parts = outline.start_outline(scene.meeting)
    outline.add_part(scene.meeting, kind=PartKind.TEXT, after_id=parts[0].id, body="Opening.")
    assert ("report_outline", "The report outline") in copying.part_choices()
    new = copying.copy_meeting(
        scene.meeting,
        scene.organiser,
        title="The 3rd ACCPCJ",
        short_title="3rd ACCPCJ",
        slug="3rd-accpcj",
        first_day=date(2030, 3, 1),
        parts={"report_outline"},
    )
    copied = outline.start_outline(new)
    assert [p.kind for p in copied].count(PartKind.OUTPUT) == 0
    assert any(p.body == "Opening." for p in copied)
    assert len(copied) == len(parts)  # the output block stays behind; the new paragraph came


def test_a_draft_part_covers_chosen_sections_and_continues_a_chapter(scene, make_person):
    import subprocess

    from app.exports.pdf import render_draft_report_pdf
    from app.meetings.models import Document, DocumentType
    from app.outputs import drafts

    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=["Deliberated."],
        recommendations=["Act"],
    )
    approve(scene.session_output, scene.other_rapporteur, scene.chair, summary=["Youth."])
    person = make_person(scene.meeting, "Sheraz Ali", country="Pakistan")
    officers.create_officer(scene.meeting, person_id=person.id, office=Office.RAPPORTEUR)
    parts = outline.start_outline(scene.meeting)
    sections = [p for p in parts if p.kind == PartKind.HEADING and p.level == 2]
    first = drafts.issue_draft_part(
        scene.meeting,
        scene.rapporteur,
        symbol="A/CONF.234/RPM.1/L.2",
        heading_ids=[sections[0].id],
        issued_on=date(2020, 2, 27),
        original_language="en",
        languages=["zh", "en", "fr", "ru"],
        render_pdf=render_draft_report_pdf,
    )
    second = drafts.issue_draft_part(
        scene.meeting,
        scene.rapporteur,
        symbol="A/CONF.234/RPM.1/L.2/Add.1",
        heading_ids=[sections[1].id],
        issued_on=date(2020, 2, 28),
        original_language="en",
        languages=["zh", "en", "fr", "ru"],
        render_pdf=render_draft_report_pdf,
    )
    assert first.number == 1 and second.number == 2
    headings = [i["text"] for i in second.content["items"] if i["type"] == "heading"]
    assert headings[0] == "Conclusions and recommendations (*continued*)"
    assert headings[1] == sections[1].heading
    numbers = [i["number"] for i in second.content["items"] if i["type"] == "para"]
    assert numbers[0] == 1  # a part numbers its own paragraphs
    document = db.session.get(Document, second.document_id)
    assert document.doc_type == DocumentType.LIMITED and document.addendum == "Add.1"
    assert document.languages == "zh en fr ru"
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=second.pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    for marker in [
        "General Assembly",
        "Distr.: Limited",
        "28 February 2020",
        "Original: English",
        "Chinese, English, French and Russian only",
        "Draft report",
        "Rapporteur: Sheraz Ali (Pakistan)",
        "Addendum",
        "II. Conclusions and recommendations (continued)",
    ]:
        assert marker in text, marker
    with pytest.raises(OutputError) as error:
        drafts.issue_draft_part(
            scene.meeting,
            scene.rapporteur,
            symbol="A/CONF.234/RPM.1/CRP.1",
            heading_ids=[sections[0].id],
            issued_on=date(2020, 2, 28),
            original_language="en",
            languages=["en"],
            render_pdf=render_draft_report_pdf,
        )
    assert error.value.field == "symbol"
    with pytest.raises(OutputError):
        drafts.issue_draft_part(
            scene.meeting,
            scene.rapporteur,
            symbol="A/CONF.234/RPM.1/L.3",
            heading_ids=[999999],
            issued_on=date(2020, 2, 28),
            original_language="en",
            languages=["en"],
            render_pdf=render_draft_report_pdf,
        )


def test_languages_line_as_the_masthead_prints_it():
    from app.outputs.drafts import languages_line

    assert languages_line(["ru", "en", "zh", "fr"]) == "Chinese, English, French and Russian only"
    assert languages_line(["en"]) == "English only"
    assert languages_line(["ar", "zh", "en", "fr", "ru", "es"]) == ""
