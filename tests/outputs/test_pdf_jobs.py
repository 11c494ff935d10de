"""A long Chair's Summary is issued at once and rendered by the worker; its page says it is
being prepared until the PDF is there, and no request renders it."""

from app.extensions import db
from app.mail.delivery import run_due_jobs
from app.outputs import summary
from tests.outputs.conftest import approve


def test_a_long_summary_is_issued_at_once_and_rendered_by_the_worker(
    scene, client, sign_in, post_form, monkeypatch
):
    monkeypatch.setattr(summary, "INLINE_PDF_MAX_CHARS", 0)
    approve(scene.cluster_output, scene.rapporteur, scene.chair)
    db.session.commit()
    sign_in(scene.chair)
    answer = post_form(
        f"/meetings/{scene.meeting.slug}/manage/chairs-summary/issue", {"confirmed": "yes"}
    )
    assert answer.status_code == 302
    url = f"/meetings/{scene.meeting.slug}/chairs-summary/1.pdf"
    pending = client.get(url)
    assert pending.status_code == 202
    assert "being prepared" in pending.get_data(as_text=True)
    # Asking again queues no second job.
    client.get(url)
    assert run_due_jobs(limit=5) == 1
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready.headers["Content-Type"] == "application/pdf"
    assert ready.data.startswith(b"%PDF")
