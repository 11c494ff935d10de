"""Rendering a PDF fetches nothing but Plenary's own fonts and stylesheets, whatever users type."""

import http.server
import threading

import pytest

from app.exports.pdf import STATIC, OwnFilesOnly, css_string, render_chairs_summary_pdf
from app.meetings.models import MeetingStatus
from app.outputs import summary as summary_rules
from tests import factories


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that counts every request it receives."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"file://{STATIC}/../config.py",
        "file://evil.example/etc/passwd",
        "data:text/css,body{color:red}",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_every_url_but_own_files(url):
    with pytest.raises(ValueError, match="nothing but its own files"):
        OwnFilesOnly().fetch(url)


def test_the_fetcher_reads_plenary_s_own_fonts():
    response = OwnFilesOnly().fetch((STATIC / "fonts" / "NotoSerif-Regular.ttf").as_uri())
    try:
        assert response.read(4) in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    finally:
        response.close()


@pytest.mark.parametrize(
    "text",
    [
        '"; } @import url("x"); a { b: "',
        "\f} @page { @top-left { content: url(x) } }",
        "\\",
        "\x00",
    ],
)
def test_a_css_string_cannot_be_ended_by_what_it_holds(text):
    literal = css_string(text)
    inner = literal[1:-1]
    assert literal.startswith('"') and literal.endswith('"')
    for forbidden in ('"', "'", "\n", "\r", "\f", "{", "}", ";", "(", ")", "\x00"):
        assert forbidden not in inner


def test_hostile_text_in_a_meeting_makes_the_renderer_fetch_nothing(listener):
    base, hits = listener
    meeting = factories.make_meeting(
        status=MeetingStatus.PUBLISHED,
        # A form feed ends a CSS string; the margin box after it would fetch its image.
        # Within the column's 80 characters: PostgreSQL holds VARCHAR to its length.
        short_title=f'X\f}} @top-left {{ content: url({base}/m.png) }} @top-right {{ x: "',
        title=f'<link rel="stylesheet" href="{base}/link.css"><img src="{base}/img.png">',
        theme=f"url({base}/theme.png) file:///etc/passwd",
    )
    chairs = summary_rules.summary_of(meeting)
    summary_rules.save_summary(
        chairs,
        introduction=f'<img src="{base}/intro.png"> <style>@import "{base}/s.css";</style>',
        general_conclusions=f"<object data='{base}/o'></object> ![x]({base}/md.png)",
    )
    content = summary_rules.compile_summary(meeting, chairs)
    pdf = render_chairs_summary_pdf(content)
    assert pdf.startswith(b"%PDF")
    assert hits == []


def test_the_report_s_markup_makes_the_renderer_fetch_nothing(listener):
    """Issue 12: links, footnotes and image syntax in report text print as text or a link;
    the renderer fetches none of them."""
    from app.exports.pdf import render_draft_report_pdf, render_meeting_report_pdf
    from app.outputs import drafts, outline
    from app.outputs import report as report_rules
    from app.outputs.models import PartKind

    base, hits = listener
    meeting = factories.make_meeting(status=MeetingStatus.PUBLISHED)
    parts = outline.start_outline(meeting)
    outline.add_part(
        meeting,
        kind=PartKind.TEXT,
        after_id=parts[0].id,
        body=(
            f"See [the guide]({base}/guide.pdf) ^[And ![x]({base}/note.png).] ![img]({base}/i.png)"
        ),
    )
    outline.add_part(meeting, kind=PartKind.HEADING, level=2, heading=f"*A* [b]({base}/h)")
    pdf = render_meeting_report_pdf(report_rules.report_content(meeting))
    assert pdf.startswith(b"%PDF")
    part = drafts.issue_draft_part(
        meeting,
        None,
        symbol="A/CONF.1/L.2",
        heading_ids=[parts[0].id],
        issued_on=meeting.first_day,
        original_language="en",
        languages=["en"],
        render_pdf=render_draft_report_pdf,
    )
    assert part.pdf.startswith(b"%PDF")
    assert hits == []
