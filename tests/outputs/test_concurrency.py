"""Simultaneous saves of one rapporteur output, on PostgreSQL with separate connections:
exactly one wins, every other writer gets the conflict page with their own text, none a 500."""

import re
import threading

from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.extensions import db
from app.meetings.models import RoleName
from app.outputs import workflow
from app.outputs.models import OutputRevision, RapporteurOutput
from tests.conftest import CSRF_META, FreshGlobalsClient, sign_in_client
from tests.factories import grant_role, make_cluster, make_meeting, make_session, make_user
from tests.registration.test_concurrency import _wide_config

WRITERS = 5
ROUNDS = 4


def test_simultaneous_saves_give_one_revision_and_conflict_pages_with_each_text(postgres_app):
    with postgres_app.app_context():
        rapporteur = make_user(name="Rapporteur")
        meeting = make_meeting()
        grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
        cluster = make_cluster(meeting, 1, "Culture of Prevention")
        make_session(meeting, cluster_id=cluster.id, title="Breakout")
        output = workflow.assign_rapporteur(
            meeting, target=f"cluster-{cluster.id}", rapporteur_id=rapporteur.id
        )
        db.session.commit()
        slug, output_id, user_id = meeting.slug, output.id, rapporteur.id

    worker_app = create_app(_wide_config(postgres_app.config["SQLALCHEMY_DATABASE_URI"]))
    worker_app.test_client_class = FreshGlobalsClient
    url = f"/meetings/{slug}/outputs/{output_id}/edit"
    statuses: list[int] = []
    problems: list[str] = []

    for round_ in range(ROUNDS):
        with worker_app.app_context():
            base = db.session.get(RapporteurOutput, output_id).revision_number
        start = threading.Barrier(WRITERS)

        def write(n: int, base=base, start=start, round_=round_):
            text = f"Round {round_}, writer {n}: the Meeting discussed prevention."
            with worker_app.app_context():
                client = worker_app.test_client()
                sign_in_client(client, db.session.get(User, user_id))
                token = CSRF_META.search(client.get(url).get_data(as_text=True)).group(1)
                start.wait()
                response = client.post(
                    url,
                    data={
                        "csrf_token": token,
                        "summary": text,
                        "recommendations": "",
                        "base_revision": str(base),
                    },
                )
                statuses.append(response.status_code)
                page = response.get_data(as_text=True)
                if response.status_code == 409 and text not in page:
                    problems.append(f"writer {n}'s conflict page lost their text")
                db.session.remove()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    with worker_app.app_context():
        db.engine.dispose()

    assert problems == []
    assert sorted(set(statuses)) == [302, 409], statuses
    assert statuses.count(302) == ROUNDS
    with postgres_app.app_context():
        revisions = db.session.scalars(
            select(OutputRevision.number).where(OutputRevision.output_id == output_id)
        ).all()
        assert sorted(revisions) == list(range(1, ROUNDS + 1))
        saved = db.session.get(RapporteurOutput, output_id)
        assert re.match(rf"Round {ROUNDS - 1}, writer \d", saved.paragraphs[0].text)
