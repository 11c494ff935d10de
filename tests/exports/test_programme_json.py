"""The JSON programme, its OpenAPI description, and the query budget of every export."""

import jsonschema
import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from app.exports.openapi import openapi_document
from app.extensions import db
from app.programme import clusters
from app.programme.models import AgendaSession
from app.registration.registrations import regenerate_feed_token
from tests.exports.conftest import THAI
from tests.querycount import count_queries, queries_for


def _validator(spec: dict) -> jsonschema.Draft202012Validator:
    """A validator for the Programme schema, its $refs resolved inside the OpenAPI document."""
    schema = {"$ref": "#/components/schemas/Programme", "components": spec["components"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_openapi_document_is_valid_and_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec == openapi_document()
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_the_programme_matches_its_schema(client, conference):
    response = client.get("/meetings/accpcj-2/programme.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    errors = list(_validator(openapi_document()).iter_errors(data))
    assert errors == []

    assert data["meeting"]["timezone"] == "Asia/Bangkok"
    assert [d["date"] for d in data["days"]] == ["2020-02-27", "2020-02-28"]
    first = data["days"][0]["sessions"][0]
    assert first["title"] == "Opening ceremony"
    assert first["starts_at"] == "2020-02-27T09:00:00+07:00"
    assert first["starts_at_utc"] == "2020-02-27T02:00:00Z"
    assert first["people"][0]["role"] == "keynote_speaker"
    assert first["url"].endswith(f"/meetings/accpcj-2/sessions/{first['id']}")
    assert first["ical_url"].endswith(f"/meetings/accpcj-2/sessions/{first['id']}.ics")
    assert {t["name"] for t in data["tracks"]} == {"Main conference", "2nd TIJ Youth Forum"}
    assert {r["name"] for r in data["rooms"]} == {"Grand Ballroom", "Lotus Suite 5–7"}
    assert THAI in {p["name"] for p in data["people"]}
    clusters = {c["number"]: c for c in data["clusters"]}
    assert clusters[1]["label"] == "Cluster I: Culture of Prevention"
    assert clusters[1]["topics"] == ["Good Governance", "Peace"]
    cancelled = [s for d in data["days"] for s in d["sessions"] if s["is_cancelled"]]
    assert [s["title"] for s in cancelled] == ["Panel on digital forensics"]


def test_the_schema_rejects_what_the_programme_never_sends(client, conference):
    data = client.get("/meetings/accpcj-2/programme.json").get_json()
    data["days"][0]["sessions"][0]["starts_at_utc"] = "2020-02-27T09:00:00+07:00"
    data["tracks"][0]["colour"] = "red"
    errors = list(_validator(openapi_document()).iter_errors(data))
    assert len(errors) == 2


def test_participants_are_not_in_the_json(client, conference, make_registration):
    registration = make_registration(conference["meeting"], delegation="Private delegation")
    data = client.get("/meetings/accpcj-2/programme.json").get_json()
    assert registration.person_id not in {p["id"] for p in data["people"]}


def test_json_answers_304_to_its_etag_from_the_meeting_row_alone(client, conference):
    url = "/meetings/accpcj-2/programme.json"
    first = client.get(url)
    etag = first.headers["ETag"]
    db.session.commit()
    db.session.expire_all()
    with count_queries() as statements:
        unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert len(statements) == 1, statements
    # A web page that fetched it across origins can revalidate it too.
    assert unchanged.headers["Access-Control-Allow-Origin"] == "*"
    assert unchanged.headers["ETag"] == etag


def test_a_new_cluster_topic_changes_the_json(client, conference):
    url = "/meetings/accpcj-2/programme.json"
    first = client.get(url)
    cluster = conference["clusters"][1]
    clusters.save_cluster(
        conference["meeting"],
        number=cluster.number,
        title=cluster.title,
        topics=["International Cooperation", "Extradition"],
        capacity=cluster.capacity,
        cluster=cluster,
    )
    db.session.commit()
    db.session.expire_all()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != first.headers["ETag"]
    assert "Extradition" in after.get_data(as_text=True)


# --- Query budgets --------------------------------------------------------------------------


LABELS = [
    "programme.ics",
    "programme.json",
    "track.ics",
    "speaker.ics",
    "personal.ics",
    "session.ics",
]


def _export_urls(meeting, track, person, token) -> list[str]:
    slug = meeting.slug
    return [
        f"/meetings/{slug}/programme.ics",
        f"/meetings/{slug}/programme.json",
        f"/meetings/{slug}/tracks/{track.id}.ics",
        f"/meetings/{slug}/speakers/{person.id}.ics",
        f"/meetings/{slug}/agenda/{token}.ics",
        f"/meetings/{slug}/sessions/{track_session_id(track)}.ics",
    ]


def track_session_id(track) -> int:
    return db.session.scalar(select(AgendaSession.id).where(AgendaSession.track_id == track.id))


@pytest.fixture
def counts(client, build_programme, make_registration):
    """Queries per export for a meeting of `n` sessions."""

    def _counts(slug: str, n: int) -> dict[str, int]:
        meeting, track, person = build_programme(slug, n)
        token = regenerate_feed_token(make_registration(meeting))
        db.session.commit()
        urls = _export_urls(meeting, track, person, token)
        return {label: queries_for(client, url) for label, url in zip(LABELS, urls, strict=True)}

    return _counts


def test_export_queries_do_not_grow_with_the_programme(counts):
    small = counts("small-meeting", 10)
    large = counts("large-meeting", 200)
    print("queries per export, 10 sessions:", small)
    print("queries per export, 200 sessions:", large)
    assert list(small.values()) == list(large.values())
    assert max(large.values()) <= 10
