"""The demo carries outputs in every state and an issued Chair's Summary, offered publicly."""

import io

from pypdf import PdfReader

from app.commands.demo import DEMO_SLUG, load_demo
from app.extensions import db
from app.meetings.models import Meeting
from app.outputs import queries
from app.outputs.models import OutputStatus


def test_demo_outputs_and_issued_summary(client):
    load_demo(echo=lambda _line: None)
    meeting = db.session.query(Meeting).filter_by(slug=DEMO_SLUG).one()
    outputs = queries.outputs_of(meeting)
    assert {o.status for o in outputs} == set(OutputStatus)
    approved = [o.title for o in outputs if o.status == OutputStatus.APPROVED]
    assert approved[:3] == [
        "Cluster I: Culture of Prevention",
        "Cluster II: Law and Justice",
        "Cluster III: Innovation and Collaboration",
    ]
    assert any("Youth Forum" in title for title in approved[3:])
    page = client.get(f"/meetings/{DEMO_SLUG}/").get_data(as_text=True)
    assert f"/meetings/{DEMO_SLUG}/chairs-summary/1.pdf" in page
    pdf = client.get(f"/meetings/{DEMO_SLUG}/chairs-summary/1.pdf").data
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Culture of Prevention" in text and "(a)" in text
