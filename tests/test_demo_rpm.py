"""The second demo meeting: the 14th Congress's Asia-Pacific RPM, whose report PDF reproduces
its seed report paragraph by paragraph (issue 12)."""

import re
import subprocess

import pytest
import sqlalchemy as sa

from app.commands.demo import load_demo
from app.commands.demo_rpm import RPM_SLUG, read_seed
from app.exports.pdf import render_meeting_report_pdf
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.outputs import adoption
from app.outputs import report as report_rules


@pytest.fixture(scope="module")
def seed():
    return read_seed()


@pytest.fixture
def rpm(app):
    load_demo(echo=lambda _line: None)
    return db.session.scalar(sa.select(Meeting).where(Meeting.slug == RPM_SLUG))


def _strip(text: str) -> str:
    """Text as pdftotext gives it back: no markup marks, spaces folded."""
    return " ".join(text.replace("*", "").split())


def test_the_seed_reads_as_81_paragraphs_and_46_recommendations(seed):
    assert sorted(seed.paragraphs) == list(range(1, 82))
    assert sum(len(r) for r in seed.recommendations.values()) == 46
    assert len(seed.contents) + len(seed.subsections) + 1 == 19 + 1  # and "Proceedings"


def test_the_rpm_report_reproduces_the_seed(rpm, seed):
    assert rpm.status == MeetingStatus.CONCLUDED
    assert adoption.is_public(rpm)
    content = report_rules.report_content(rpm)
    paragraphs = {i["number"]: i["text"] for i in content["items"] if i["type"] == "para"}
    assert sorted(paragraphs) == list(range(1, 82))
    for number, text in seed.paragraphs.items():
        assert _strip(paragraphs[number]) == _strip(text), number
    headings = [(h["label"], h["text"]) for h in content["contents"]]
    expected = [(label, text) for label, text in seed.contents]
    numbered = [h for h in headings if h[1] != "Proceedings"]
    for label, text in expected:
        assert (label, text) in numbered, (label, text)
    for number, text in seed.subsections.items():
        assert (f"{number}.", text) in numbered
    assert len(numbered) == 19
    recs = [i for i in content["items"] if i["type"] == "recommendations"]
    assert [len(r["rows"]) for r in recs] == [7, 6, 7, 12, 10, 4]
    annex = next(i for i in content["items"] if i["type"] == "documents")["rows"]
    assert [(d["symbol"], d["title"]) for d in annex] == seed.documents
    assert content["title_block"]["heading"] == (
        "Report of the Asia and Pacific Regional Preparatory Meeting for the Fourteenth United"
        " Nations Congress on Crime Prevention and Criminal Justice, held in Bangkok from 22 to"
        " 24 January 2019"
    )


def test_the_rpm_report_pdf_text_matches_the_seed_paragraph_by_paragraph(rpm, seed):
    pdf = render_meeting_report_pdf(report_rules.report_content(rpm))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    # Page furniture out, lines joined: the body as one run of text.
    body = " ".join(
        line
        for line in text.splitlines()
        if not re.fullmatch(r"Page \d+ of \d+|.*RPM, 14th Congress", line.strip())
    )
    # Spaces out: a line may break inside a symbol ("E/CN." / "15/2007/6").
    body = "".join(body.split())
    start = body.index("I.Introduction", body.index("Annex") + 1)
    for number in range(1, 82):
        expected = "".join((f"{number}. " + _strip(seed.paragraphs[number])).split())
        found = body.find(expected, start)
        assert found >= 0, (number, expected)
        start = found


def test_the_rpm_has_a_draft_report_addendum_like_the_2025_seed(rpm):
    from app.outputs import drafts

    first, part = drafts.draft_parts(rpm)
    assert first.document.symbol == "A/CONF.234/RPM.1/L.2"
    assert part.document.symbol == "A/CONF.234/RPM.1/L.2/Add.1"
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=part.pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    for marker in [
        "A/CONF.234/RPM.1/L.2/Add.1",
        "General Assembly",
        "Distr.: Limited",
        "23 January 2019",
        "Original: English",
        "Chinese, English, French and Russian only",
        "Asia and Pacific Regional Preparatory Meeting for the Fourteenth United Nations",
        "Bangkok, 22–24 January 2019",
        "Draft report",
        "Rapporteur: Jawad Ali (Pakistan)",
        "Addendum",
        "II. Conclusions and recommendations (continued)",
        "B. Substantive items and workshops",
        "1. Comprehensive strategies for crime prevention",
        "Summary of deliberations",
        "1. It was recognized that criminal justice practitioners",
    ]:
        assert marker in text, marker
