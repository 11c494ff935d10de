"""The PDFs: text in order, numbering, table of contents pages, tags, outline, escaping."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from app.exports.pdf import render_chairs_summary_pdf, render_meeting_report_pdf
from app.outputs import report as report_rules
from app.outputs import summary as summary_rules
from tests.outputs.conftest import approve

HOSTILE = '<script>alert("x")</script><b>bold</b> & more'


def _pages(pdf: bytes) -> list[str]:
    """Each page's text, via pdftotext when it is installed (it keeps reading order), else pypdf."""
    try:
        out = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")
    except FileNotFoundError:
        return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def long_summary(scene):
    """A summary long enough to run over several pages, with Thai, Vietnamese and Khmer."""
    summary = summary_rules.summary_of(scene.meeting)
    summary_rules.save_summary(
        summary,
        introduction="\n\n".join(
            f"Introductory paragraph {i}: the Meeting was opened by ปิยะนุช ศรีสุข,"
            " Nguyễn Thị Hương and ចាន់ សុភា."
            for i in range(1, 4)
        ),
        general_conclusions="The Chair thanked the host.",
    )
    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=[
            f"Cluster paragraph {i}. " + "The Meeting discussed prevention. " * 25
            for i in range(1, 16)
        ],
        recommendations=["Strengthen cooperation", HOSTILE, "Promote digital literacy"],
    )
    approve(
        scene.session_output,
        scene.other_rapporteur,
        scene.chair,
        summary=[
            f"Youth paragraph {i}. " + "Young people proposed ideas. " * 25 for i in range(1, 12)
        ],
        recommendations=["Engage youth"],
    )
    return summary_rules.compile_summary(scene.meeting)


@pytest.fixture
def summary_pdf(long_summary) -> bytes:
    return render_chairs_summary_pdf(long_summary)


def test_pdf_text_runs_in_order_with_running_numbers(summary_pdf, long_summary):
    text = _flat(" ".join(_pages(summary_pdf)))
    assert summary_pdf.startswith(b"%PDF")
    markers = [
        "I. Introduction",
        "1. Introductory paragraph 1",
        "3. Introductory paragraph 3",
        "II. Summary of deliberations and recommendations",
        "A. Cluster I: Culture of Prevention",
        "Summary of deliberations",
        "4. Cluster paragraph 1.",
        "18. Cluster paragraph 15.",
        "Outcome of deliberations",
        "19. The following recommendations, which were not negotiated by the participants,",
        "(a) Strengthen cooperation;",
        "(c) Promote digital literacy.",
        "B. Youth Forum",
        "20. Youth paragraph 1.",
        "31. The following recommendations",
        "(a) Engage youth.",
        "III. General conclusions",
        "32. The Chair thanked the host.",
    ]
    positions = []
    start = text.index("I. Introduction", text.index("Contents") + 10)
    for marker in markers:
        found = text.find(marker, start)
        assert found >= 0, marker
        positions.append(found)
        start = found
    assert positions == sorted(positions)


def test_hostile_html_prints_as_text(summary_pdf):
    text = _flat(" ".join(_pages(summary_pdf)))
    assert '(b) <script>alert("x")</script><b>bold</b> & more;' in text


def test_names_in_thai_vietnamese_and_khmer_print(summary_pdf):
    text = " ".join(_pages(summary_pdf))
    for name in ("ปิยะนุช", "Nguyễn Thị Hương", "ចាន់"):
        assert name in text
    fonts = set()
    for page in PdfReader(io.BytesIO(summary_pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Plenary-Thai" in f for f in fonts), fonts
    assert any("Plenary-Khmer" in f for f in fonts), fonts
    assert any("Plenary-Serif" in f for f in fonts), fonts


def test_table_of_contents_shows_the_pages_where_headings_land(summary_pdf):
    pages = _pages(summary_pdf)
    assert len(pages) >= 3
    toc = pages[0]
    headings = [
        "I. Introduction",
        "II. Summary of deliberations and recommendations",
        "A. Cluster I: Culture of Prevention",
        "B. Youth Forum",
        "III. General conclusions",
    ]
    for heading in headings:
        match = re.search(re.escape(heading) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, heading
        listed = int(match.group(1))
        # The heading itself (not its TOC entry) is on the listed page.
        body = [
            i + 1 for i, p in enumerate(pages) if heading in p and (i > 0 or p.count(heading) > 1)
        ]
        assert listed in body, (heading, listed, body)
    numbers = [int(m) for m in re.findall(r"\.\s*(\d+)\s*$", toc, re.MULTILINE)]
    assert 0 not in numbers
    assert numbers == sorted(numbers) and numbers[-1] > 1


def test_every_page_says_page_x_of_y_and_carries_the_running_header(summary_pdf):
    pages = _pages(summary_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        if number > 1:
            assert "2nd ACCPCJ" in text.splitlines()[0] or "2nd ACCPCJ" in text[:300]


def test_pdf_is_tagged_with_title_language_and_outline(summary_pdf):
    reader = PdfReader(io.BytesIO(summary_pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]).startswith("en")
    assert reader.metadata.title.startswith("Chair's Summary")
    titles = [item.title for item in _flatten(reader.outline)]
    assert "I. Introduction" in titles
    assert "A. Cluster I: Culture of Prevention (agenda item 3)" in titles


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_meeting_report_adds_attendance_officers_agenda_and_documents(
    scene, make_registration, make_person
):
    from app.meetings import documents, officers
    from app.meetings.models import Office
    from app.registration.models import AttendanceCategory

    make_registration(
        scene.meeting, delegation="Viet Nam", category=AttendanceCategory.MEMBER_STATE
    )
    make_registration(
        scene.meeting, delegation="Cambodia", category=AttendanceCategory.MEMBER_STATE
    )
    person = make_person(scene.meeting, "Kittipong Kittayarak", country="Thailand")
    officers.create_officer(scene.meeting, person_id=person.id, office=Office.CHAIR)
    documents.create_document(
        scene.meeting,
        symbol="ACCPCJ/2020/1",
        title="Concept Paper <i>draft</i>",
        agenda_item_id=None,
        issued_on=None,
        url="",
    )
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    pdf = render_meeting_report_pdf(report_rules.report_content(scene.meeting))
    text = _flat(" ".join(_pages(pdf)))
    # The standard UN outline of the seed reports (issue 12): every chapter, in order.
    order = [
        "Report of the 2nd ACCPCJ, held from",
        "Contents",
        "I. Introduction",
        "II. Conclusions and recommendations",
        "A. Cluster I: Culture of Prevention",
        "1. Deliberated.",
        "III. Attendance and organization of work",
        "A. Date and venue of the Meeting",
        "2. The 2nd ACCPCJ was held",  # the title carries its article: no "The The"
        "B. Attendance",
        "3. The following States were represented at the Meeting: Cambodia and Viet Nam.",
        "C. Opening of the Meeting",
        "D. Election of officers",
        "Chair: Kittipong Kittayarak (Thailand)",
        "E. Adoption of the agenda and organization of work",
        "3. Substantive issue",
        "IV. Adoption of the report and closure of the Meeting",
        "Annex",
        "List of documents",
        "ACCPCJ/2020/1 Concept Paper <i>draft</i>",
    ]
    start = 0
    for marker in order:
        found = text.find(marker, start)
        assert found >= 0, marker
        start = found


def test_meeting_report_prints_sub_items_lettered_as_the_seed_reports(scene, make_agenda_item):
    item = make_agenda_item(scene.meeting, 5, "Substantive items")
    make_agenda_item(scene.meeting, 5, "Comprehensive strategies", parent=item, letter="a")
    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    text = _flat(
        " ".join(_pages(render_meeting_report_pdf(report_rules.report_content(scene.meeting))))
    )
    assert "5. Substantive items (a) Comprehensive strategies" in text
    assert "5 (a)." not in text


def test_sections_past_z_are_lettered_aa_ab_not_a_again(long_summary):
    """A congress compiles more than 26 reports; no two headings may share a letter."""
    template = long_summary["sections"][0]
    brief = {**template, "summary": template["summary"][:1], "outcome": None}
    long_summary["sections"] = [{**brief, "title": f"Report number {n}"} for n in range(1, 29)]
    text = _flat("\n".join(_pages(render_chairs_summary_pdf(long_summary))))
    assert "Z. Report number 26" in text
    assert "AA. Report number 27" in text
    assert "AB. Report number 28" in text
    assert len(re.findall(r"(?<![A-Z])A\. Report number", text)) == 2  # contents and heading


ASEAN_NAMES = {
    "Burmese": "မြန်မာနိုင်ငံ",
    "Khmer": "ព្រះរាជាណាចក្រកម្ពុជា",
    "Lao": "ສາທາລະນະລັດ ປະຊາທິປະໄຕ",
    "Thai": "ประเทศไทย",
    "Vietnamese": "Việt Nam",
    "Chinese": "中华人民共和国",
    "Arabic": "المملكة العربية السعودية",
}


def test_every_asean_script_prints_as_text_not_boxes(scene, make_registration):
    """Issue 12: Burmese printed as boxes. Every name comes back out of the PDF as text, and
    no glyph is the .notdef box (pdffonts lists only embedded fonts)."""
    from app.registration.models import AttendanceCategory

    for name in ASEAN_NAMES.values():
        make_registration(scene.meeting, delegation=name, category=AttendanceCategory.MEMBER_STATE)
    pdf = render_meeting_report_pdf(report_rules.report_content(scene.meeting))
    raw = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = "".join(raw.split())
    for script, name in ASEAN_NAMES.items():
        if script in ("Burmese", "Khmer"):
            # Shaped clusters come back glyph by glyph (a vowel sign before its consonant),
            # so pdftotext's order differs; every letter of the name is there as text.
            assert set(name) - {" "} <= set(text), script
        elif script == "Arabic":
            # Right-to-left text may come back in visual order.
            assert "السعودية" in raw or "ةيدوعسلا" in raw
        else:
            assert "".join(name.split()) in text, script
    assert "\ufffd" not in raw
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    for family in ("Myanmar", "Khmer", "Lao", "CJK", "Arabic"):
        assert family in fonts, family


def test_the_report_is_tagged_and_its_bookmarks_follow_the_outline(scene):
    """Chapters are the PDF's top bookmarks, their sections nested under them, as numbered."""
    from app.outputs import outline
    from app.outputs.models import PartKind

    approve(scene.cluster_output, scene.rapporteur, scene.chair, summary=["Deliberated."])
    parts = outline.start_outline(scene.meeting)
    conclusions = next(p for p in parts if p.kind == PartKind.CONCLUSIONS)
    outline.add_part(
        scene.meeting,
        kind=PartKind.HEADING,
        after_id=conclusions.id,
        level=2,
        heading="Substantive items and workshops",
    )
    pdf = render_meeting_report_pdf(report_rules.report_content(scene.meeting))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]

    def tree(items):
        out, last = [], None
        for item in items:
            if isinstance(item, list):
                last[1].extend(tree(item))
            else:
                last = (item.title, [])
                out.append(last)
        return out

    top = tree(reader.outline)
    assert [title for title, _children in top] == [
        "I. Introduction",
        "II. Conclusions and recommendations",
        "III. Attendance and organization of work",
        "IV. Adoption of the report and closure of the Meeting",
        "Annex",
    ]
    chapter_two = dict(top)["II. Conclusions and recommendations"]
    assert [title for title, _c in chapter_two] == [
        "A. Substantive items and workshops",
        "B. Cluster I: Culture of Prevention",
    ]
    assert [t for t, _c in dict(top)["Annex"]] == ["List of documents"]


def test_italics_and_footnotes_print_in_the_chairs_summary(scene):
    approve(
        scene.cluster_output,
        scene.rapporteur,
        scene.chair,
        summary=["The UNODC *Handbook on Restorative Justice* ^[Second edition, 2020.] was cited."],
        recommendations=["Update the *Handbook*"],
    )
    pdf = render_chairs_summary_pdf(summary_rules.compile_summary(scene.meeting))
    text = _flat(" ".join(_pages(pdf)))
    assert "The UNODC Handbook on Restorative Justice" in text and "*" not in text
    assert "Second edition, 2020." in text  # the footnote, at the page's foot
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Italic" in fonts
