"""The OpenAPI 3.1 description of Plenary's public exports, served at /api/openapi.json.

Written by hand next to `programme_json.py`; the tests validate this document and check real
responses against its `Programme` schema, so the two cannot drift apart unnoticed.
"""

import copy

NULLABLE_INT = {"type": ["integer", "null"]}
UTC_TIME = {"type": "string", "format": "date-time", "pattern": "Z$"}
LOCAL_TIME = {
    "type": "string",
    "format": "date-time",
    "description": "Wall-clock time in the meeting's zone, with its UTC offset.",
}


def _object(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "required": sorted(properties),
        "additionalProperties": False,
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


SCHEMAS = {
    "Programme": _object(
        {
            "format_version": {"type": "integer", "const": 1},
            "meeting": {"$ref": "#/components/schemas/Meeting"},
            "days": {"type": "array", "items": {"$ref": "#/components/schemas/Day"}},
            "tracks": {"type": "array", "items": {"$ref": "#/components/schemas/Track"}},
            "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/Room"}},
            "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
            "clusters": {"type": "array", "items": {"$ref": "#/components/schemas/Cluster"}},
        },
        "A meeting's programme: its days with their sessions, and what the sessions refer to.",
    ),
    "Meeting": _object(
        {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "short_title": {"type": "string"},
            "kind": {"type": "string"},
            "theme": {"type": "string"},
            "venue": {"type": "string"},
            "city": {"type": "string"},
            "country": {"type": "string"},
            "timezone": {"type": "string", "description": "IANA zone, e.g. Asia/Bangkok."},
            "first_day": {"type": "string", "format": "date"},
            "last_day": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": ["draft", "published", "concluded"]},
            "url": {"type": "string", "format": "uri"},
            "ical_url": {"type": "string", "format": "uri"},
        }
    ),
    "Day": _object(
        {
            "date": {"type": "string", "format": "date", "description": "In the meeting's zone."},
            "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
        }
    ),
    "Session": _object(
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "kind": {"type": "string"},
            "kind_label": {"type": "string"},
            "description": {"type": "string"},
            "starts_at": LOCAL_TIME,
            "ends_at": LOCAL_TIME,
            "starts_at_utc": UTC_TIME,
            "ends_at_utc": UTC_TIME,
            "track_id": {"type": "integer"},
            "room_id": NULLABLE_INT,
            "cluster_id": NULLABLE_INT,
            "slot": NULLABLE_INT,
            "agenda_item": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {
                            "id": {"type": "integer"},
                            "label": {"type": "string", "examples": ["5 (a)"]},
                            "title": {"type": "string"},
                        }
                    ),
                ]
            },
            "is_cancelled": {"type": "boolean"},
            "sequence": {
                "type": "integer",
                "minimum": 0,
                "description": "Grows when the time, room or title changes (as in the feeds).",
            },
            "updated_at": UTC_TIME,
            "people": {
                "type": "array",
                "items": _object(
                    {
                        "person_id": {"type": "integer"},
                        "role": {
                            "type": "string",
                            "enum": [
                                "chair",
                                "moderator",
                                "keynote_speaker",
                                "panellist",
                                "discussant",
                                "rapporteur",
                                "presenter",
                            ],
                        },
                        "role_label": {"type": "string"},
                    }
                ),
            },
            "url": {"type": "string", "format": "uri"},
            "ical_url": {"type": "string", "format": "uri"},
        },
        "A session; ids point into `tracks`, `rooms`, `clusters` and `people`.",
    ),
    "Track": _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {
                "type": "string",
                "enum": ["main", "youth_forum", "academic_forum", "side_event"],
            },
            "position": {"type": "integer"},
        }
    ),
    "Room": _object(
        {"id": {"type": "integer"}, "name": {"type": "string"}, "capacity": NULLABLE_INT}
    ),
    "Person": _object(
        {
            "id": {"type": "integer"},
            "honorific": {"type": "string"},
            "name": {"type": "string"},
            "display_name": {"type": "string"},
            "position": {"type": "string"},
            "organisation": {"type": "string"},
            "country": {"type": "string"},
        },
        "Someone the programme names: in a session role, or moderating or reporting a cluster.",
    ),
    "Cluster": _object(
        {
            "id": {"type": "integer"},
            "number": {"type": "integer", "minimum": 1},
            "label": {"type": "string", "examples": ["Cluster I: Culture of Prevention"]},
            "title": {"type": "string"},
            "capacity": {"type": "integer", "minimum": 0},
            "discussion_guide": {"type": "string"},
            "topics": {"type": "array", "items": {"type": "string"}},
            "moderator_id": NULLABLE_INT,
            "rapporteur_id": NULLABLE_INT,
        }
    ),
}

_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


_NOT_FOUND = {"description": "No such meeting (or a draft), or no such record in it."}
_NOT_MODIFIED = {"description": "Unchanged since the ETag or date the client sent."}
_CALENDAR = {
    "description": "An iCalendar (RFC 5545) feed, times in the meeting's zone with VTIMEZONE.",
    "headers": {
        "ETag": {"schema": {"type": "string"}},
        "Last-Modified": {"schema": {"type": "string"}},
    },
    "content": {"text/calendar": {"schema": {"type": "string"}}},
}


def _feed(summary: str, *parameters: dict) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": [_SLUG, *parameters],
            "responses": {"200": _CALENDAR, "304": _NOT_MODIFIED, "404": _NOT_FOUND},
        }
    }


def openapi_document() -> dict:
    """The OpenAPI 3.1 document (a fresh dict each call)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Plenary public exports",
            "version": "1",
            "description": (
                "The published programme of a meeting as JSON and as iCalendar feeds. "
                "Drafts answer 404 to everyone but the meeting's organisers."
            ),
        },
        "paths": {
            "/meetings/{slug}/programme.json": {
                "get": {
                    "summary": "The programme of a meeting",
                    "parameters": [_SLUG],
                    "responses": {
                        "200": {
                            "description": "The programme.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Programme"}
                                }
                            },
                        },
                        "304": _NOT_MODIFIED,
                        "404": _NOT_FOUND,
                    },
                }
            },
            "/meetings/{slug}/programme.ics": _feed("The whole programme"),
            "/meetings/{slug}/tracks/{track_id}.ics": _feed(
                "One track of the programme", _id_parameter("track_id")
            ),
            "/meetings/{slug}/sessions/{session_id}.ics": _feed(
                "One session", _id_parameter("session_id")
            ),
            "/meetings/{slug}/speakers/{person_id}.ics": _feed(
                "The sessions of one speaker", _id_parameter("person_id")
            ),
            "/meetings/{slug}/agenda/{token}.ics": _feed(
                "A participant's own agenda (private)",
                {
                    "name": "token",
                    "in": "path",
                    "required": True,
                    "description": (
                        "The secret the participant creates, and may replace, on their page: "
                        "the URL is the only credential. The feed holds plenaries, confirmed "
                        "places and, for youth participants, the youth forum; a place on a "
                        "waiting list appears once it is confirmed."
                    ),
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{32,64}$"},
                },
            ),
        },
        "components": {"schemas": copy.deepcopy(SCHEMAS)},
    }
