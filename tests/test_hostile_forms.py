"""Hostile input, generated: the main forms get control characters, NUL, CR/LF, right-to-left
marks, very long text, out-of-range numbers and far dates. No answer is a 500, and a form that
is refused changes nothing. Examples are bounded so that CI stays fast."""

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Meeting, Person, RoleName
from app.outputs import workflow
from app.outputs.models import OutputRevision
from app.programme.models import AgendaSession, Cluster
from app.registration.models import Registration
from tests import factories
from tests.conftest import CSRF_META, sign_in_client

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

NASTY = [
    "",
    " ",
    "\x00",
    "A\x00B",
    "line\r\nbreak",
    "\r\n\r\n",
    "\u202eevil\u202c",
    "\u200f\u0627\u0644\u0623\u0645\u0645 \u0627\u0644\u0645\u062a\u062d\u062f\u0629",
    "<script>alert(1)</script>",
    '"; } @import url(http://127.0.0.1/);',
    '=HYPERLINK("http://evil.example")',
    "\x1b[31m\x07\x08\x0b\x0c",
    "ﷺ" * 50,
    "𝕏" * 300,
    "x" * 100_000,
]


def text():
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=60),
        st.builds(lambda char, n: char * n, st.characters(), st.integers(1, 5_000)),
    )


def number():
    return st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.sampled_from(["", "-1", "0", "2147483648", "1e999", "NaN", "٣", "1.5", "99" * 40]),
    )


def day():
    return st.one_of(
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
        st.sampled_from(["", "2020-02-30", "0000-00-00", "2020-02-27T10:00", "27/02/2020"]),
    )


def clock():
    return st.one_of(
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.sampled_from(["", "24:00", "09:60", "9", "-01:00", "09:00:00"]),
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(app, user, url, data):
    client = app.test_client()
    sign_in_client(client, user)
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, **data})


def _check(response, model, before, *, accepted_status=302):
    assert response.status_code < 500, response.status_code
    if response.status_code != accepted_status:
        db.session.expire_all()
        assert _count(model) == before, "a refused form changed something"


@pytest.fixture
def scene(make_user):
    organiser = make_user("organiser@example.org")
    organiser.can_create_meetings = True
    participant = make_user("participant@example.org")
    rapporteur = make_user("rapporteur@example.org")
    meeting = factories.make_meeting("hostile", organiser=organiser)
    factories.grant_role(meeting, rapporteur, RoleName.RAPPORTEUR)
    track = factories.make_track(meeting, "Main")
    cluster = factories.make_cluster(meeting, 1, "Culture of Prevention", capacity=5)
    factories.make_session(meeting, track=track, cluster_id=cluster.id, slot=1)
    output = workflow.assign_rapporteur(
        meeting, target=f"cluster-{cluster.id}", rapporteur_id=rapporteur.id
    )
    db.session.commit()
    return {
        "organiser": organiser,
        "participant": participant,
        "rapporteur": rapporteur,
        "meeting": meeting,
        "track": track,
        "cluster": cluster,
        "output": output,
    }


@SETTINGS
@given(
    title=text(),
    short_title=text(),
    kind=st.sampled_from(["conference", "congress", "nonsense", ""]),
    timezone=st.one_of(st.sampled_from(["Asia/Bangkok", "UTC", "../../etc/passwd"]), text()),
    first_day=day(),
    last_day=day(),
    slug=text(),
    theme=text(),
)
def test_meeting_form(app, client, scene, title, short_title, kind, timezone, first_day, last_day,
                      slug, theme):  # fmt: skip
    before = _count(Meeting)
    data = dict(title=title, short_title=short_title, kind=kind, timezone=timezone,
                first_day=first_day, last_day=last_day, slug=slug, theme=theme)  # fmt: skip
    _check(_post(app, scene["organiser"], "/meetings/new", data), Meeting, before)


@SETTINGS
@given(
    title=text(),
    kind=st.sampled_from(["plenary_meeting", "breakout", "workshop", "x"]),
    day_=day(),
    start=clock(),
    end=clock(),
    capacity=number(),
    slot=number(),
    track=st.sampled_from(["own", "", "999999", "-1", "2147483648"]),
    description=text(),
)
def test_session_form(app, client, scene, title, kind, day_, start, end, capacity, slot, track,
                      description):  # fmt: skip
    before = _count(AgendaSession)
    data = dict(
        title=title, kind=kind, day=day_, start_time=start, end_time=end, capacity=capacity,
        slot=slot, description=description,
        track_id=str(scene["track"].id) if track == "own" else track,
    )  # fmt: skip
    url = f"/meetings/{scene['meeting'].slug}/manage/sessions/new"
    _check(_post(app, scene["organiser"], url, data), AgendaSession, before)


@SETTINGS
@given(honorific=text(), name=text(), position=text(), biography=text())
def test_person_form(app, client, scene, honorific, name, position, biography):
    before = _count(Person)
    data = dict(honorific=honorific, name=name, position=position, biography=biography)
    url = f"/meetings/{scene['meeting'].slug}/manage/people/new"
    _check(_post(app, scene["organiser"], url, data), Person, before)


@SETTINGS
@given(delegation=text(), category=st.sampled_from(["member_state", "youth", "", "admin"]))
def test_registration_form(app, client, scene, delegation, category):
    before = _count(Registration)
    url = f"/meetings/{scene['meeting'].slug}/register"
    response = _post(app, scene["participant"], url, dict(delegation=delegation, category=category))
    _check(response, Registration, before)
    # Withdraw again, so that every example starts unregistered.
    db.session.execute(Registration.__table__.delete())
    db.session.commit()


@SETTINGS
@given(summary=text(), recommendations=text(), base=number())
def test_rapporteur_output_form(app, client, scene, summary, recommendations, base):
    before = _count(OutputRevision)
    url = f"/meetings/{scene['meeting'].slug}/outputs/{scene['output'].id}/edit"
    data = dict(summary=summary, recommendations=recommendations, base_revision=base)
    response = _post(app, scene["rapporteur"], url, data)
    assert response.status_code < 500
    if response.status_code != 302:
        db.session.expire_all()
        assert _count(OutputRevision) == before


@SETTINGS
@given(number_=number(), title=text(), topics=text(), capacity=number())
def test_cluster_form(app, client, scene, number_, title, topics, capacity):
    cluster = scene["cluster"]
    url = f"/meetings/{scene['meeting'].slug}/manage/clusters/{cluster.id}/edit"
    data = dict(number=number_, title=title, topics=topics, capacity=capacity)
    db.session.expire_all()
    saved = (cluster.number, cluster.title, cluster.capacity)
    response = _post(app, scene["organiser"], url, data)
    assert response.status_code < 500
    if response.status_code != 302:
        db.session.expire_all()
        fresh = db.session.get(Cluster, cluster.id)
        assert (fresh.number, fresh.title, fresh.capacity) == saved


@SETTINGS
@given(category=text(), status=text(), delegation=text())
def test_registrations_filter(app, client, scene, category, status, delegation):
    test_client = app.test_client()
    sign_in_client(test_client, scene["organiser"])
    url = f"/meetings/{scene['meeting'].slug}/manage/registrations"
    response = test_client.get(
        url, query_string={"category": category, "status": status, "delegation": delegation}
    )
    assert response.status_code == 200


def _session_version(session_id: int) -> int:
    db.session.expire_all()
    return db.session.get(AgendaSession, session_id).version


@SETTINGS
@given(
    day_=day(),
    start=clock(),
    end=clock(),
    room=number(),
    track=st.sampled_from(["own", "", "999999", "-1", "2147483648", "x"]),
    version=st.one_of(st.sampled_from(["1", "own"]), number()),
    accept=text(),
)
def test_timetable_move(app, client, scene, day_, start, end, room, track, version, accept):
    session_ = scene["cluster"].sessions[0]
    before = _session_version(session_.id)
    data = dict(
        day=day_, start_time=start, end_time=end, room_id=room, accept_clashes=accept,
        version=str(before) if version == "own" else version,
        track_id=str(scene["track"].id) if track == "own" else track,
    )  # fmt: skip
    url = f"/meetings/hostile/manage/timetable/sessions/{session_.id}/move"
    response = _post(app, scene["organiser"], url, data)
    assert response.status_code < 500, response.status_code
    flashed = response.status_code == 302
    if _session_version(session_.id) != before:
        assert flashed, "a refused move changed the session"


@SETTINGS
@given(content=st.one_of(text(), st.binary(max_size=2_000).map(lambda b: b.decode("latin-1"))))
def test_programme_import(app, client, scene, content):
    before = _count(AgendaSession)
    client = app.test_client()
    sign_in_client(client, scene["organiser"])
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    preview = client.post(
        "/meetings/hostile/manage/programme/import",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(content.encode("utf-8", "replace")), "p.csv"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code < 500
    confirm = client.post(
        "/meetings/hostile/manage/programme/import/confirm",
        data={"csrf_token": token, "content": content, "filename": "p.csv"},
    )
    assert confirm.status_code < 500
    assert _count(AgendaSession) == before


@SETTINGS
@given(title=text(), short_title=text(), slug=text(), first_day=day(), parts=text())
def test_copy_meeting_form(app, client, scene, title, short_title, slug, first_day, parts):
    before = _count(Meeting)
    data = dict(title=title, short_title=short_title, slug=slug, first_day=first_day, parts=parts)
    _check(_post(app, scene["organiser"], "/meetings/hostile/manage/copy", data), Meeting, before)


@SETTINGS
@given(
    subject=text(),
    body=text(),
    status=st.sampled_from(["approved", "", "nonsense"]),
    category=st.sampled_from(["", "youth", "x"]),
    delegation=text(),
    cluster=st.one_of(number(), st.just("own")),
    slot=number(),
    button=st.sampled_from(["preview", "send"]),
)
def test_message_to_participants_form(app, client, scene, subject, body, status, category,
                                      delegation, cluster, slot, button):  # fmt: skip
    from app.mail.models import OutboxMessage

    if not _count(Registration):
        factories.make_registration(scene["meeting"], scene["participant"])
    db.session.commit()
    before = _count(OutboxMessage)
    data = dict(
        subject=subject, body=body, status=status, category=category, delegation=delegation,
        cluster=str(scene["cluster"].id) if cluster == "own" else cluster, slot=slot,
        **{button: button.title()},
    )  # fmt: skip
    url = f"/meetings/{scene['meeting'].slug}/manage/messages/new"
    response = _post(app, scene["organiser"], url, data)
    _check(response, OutboxMessage, before)
    for subject_line in db.session.scalars(select(OutboxMessage.subject)):
        assert "\r" not in subject_line and "\n" not in subject_line


@SETTINGS
@given(email=text(), password=text(), token=text())
def test_password_reset_forms(app, client, scene, email, password, token):
    from app.extensions import limiter

    limiter.reset()
    anonymous = app.test_client()
    page = anonymous.get("/account/forgot-password").get_data(as_text=True)
    csrf = CSRF_META.search(page).group(1)
    answer = anonymous.post("/account/forgot-password", data={"csrf_token": csrf, "email": email})
    assert answer.status_code < 500
    answer = anonymous.post(
        f"/account/reset-password/{token[:500] or 'x'}",
        data={"csrf_token": csrf, "password": password, "confirm": password},
    )
    assert answer.status_code < 500


@SETTINGS
@given(name=text(), category=st.sampled_from(["ngo", "observer_state", "", "admin"]),
       kind=st.sampled_from(["state", "organisation", "x"]), qualifier=text())  # fmt: skip
def test_delegation_form(app, client, scene, name, category, kind, qualifier):
    from app.delegations.models import Delegation

    before = _count(Delegation)
    data = dict(name=name, category=category, kind=kind, qualifier=qualifier)
    url = f"/meetings/{scene['meeting'].slug}/manage/delegations/new"
    _check(_post(app, scene["organiser"], url, data), Delegation, before)


@SETTINGS
@given(role=st.sampled_from(["head", "member", "", "king"]), honorific=text(), name=text(),
       position=text(), email=text(), nationality=text())  # fmt: skip
def test_member_form(app, client, scene, role, honorific, name, position, email, nationality):
    from app.delegations.delegations import find_by_name, save_delegation
    from app.delegations.models import AttendanceCategory

    delegation = find_by_name(scene["meeting"], "Lebanon") or save_delegation(
        scene["meeting"], name="Lebanon", category=AttendanceCategory.OBSERVER_STATE
    )
    db.session.commit()
    before = _count(Registration)
    data = dict(role=role, honorific=honorific, name=name, position=position, email=email,
                nationality=nationality)  # fmt: skip
    url = f"/meetings/{scene['meeting'].slug}/delegations/{delegation.id}/"
    _check(_post(app, scene["organiser"], url, data), Registration, before)


@SETTINGS
@given(opens_on=day(), closes_on=day(), cap=number())
def test_registration_window_form(app, client, scene, opens_on, closes_on, cap):
    url = f"/meetings/{scene['meeting'].slug}/manage/registration-window"
    response = _post(app, scene["organiser"], url, dict(
        opens_on=opens_on, closes_on=closes_on, members_per_delegation=cap))  # fmt: skip
    assert response.status_code < 500


@SETTINGS
@given(decision=st.sampled_from(["approved", "declined", "", "pending"]), note=text(),
       scope=st.sampled_from(["selected", "filtered", "all"]), ids=text(), category=text(),
       confirmed=st.sampled_from(["", "yes"]))  # fmt: skip
def test_bulk_decision_form(app, client, scene, decision, note, scope, ids, category, confirmed):
    url = f"/meetings/{scene['meeting'].slug}/manage/registrations/bulk"
    data = dict(decision=decision, note=note, scope=scope, ids=ids, category=category,
                confirmed=confirmed)  # fmt: skip
    assert _post(app, scene["organiser"], url, data).status_code < 500


@SETTINGS
@given(content=st.one_of(text(), st.binary(max_size=2_000).map(lambda b: b.decode("latin-1"))))
def test_delegations_import(app, client, scene, content):
    before = _count(Registration)
    client = app.test_client()
    sign_in_client(client, scene["organiser"])
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    content = "Delegation,Category,Name\n" + content
    preview = client.post(
        "/meetings/hostile/manage/delegations/import",
        data={"csrf_token": token, "file": (io.BytesIO(content.encode("utf-8", "replace")),
                                            "p.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert preview.status_code < 500
    confirm = client.post(
        "/meetings/hostile/manage/delegations/import/confirm",
        data={"csrf_token": token, "content": content, "filename": "p.csv"},
    )
    assert confirm.status_code < 500
    assert _count(Registration) == before


@SETTINGS
@given(
    kind=st.sampled_from(["heading", "text", "output", "attendance", "nonsense", ""]),
    level=number(),
    after=number(),
    heading=text(),
    body=text(),
    output_id=number(),
)
def test_report_outline_form(app, client, scene, kind, level, after, heading, body, output_id):
    """Issue 12: the outline's add-part form; a refusal stores nothing (not even the standard
    outline it starts from)."""
    from app.outputs.models import OutlinePart

    before = _count(OutlinePart)
    url = f"/meetings/{scene['meeting'].slug}/manage/report/outline/parts"
    data = dict(
        kind=kind, level=level, after_id=after, heading=heading, body=body, output_id=output_id
    )
    _check(_post(app, scene["organiser"], url, data), OutlinePart, before)
