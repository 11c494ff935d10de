"""A meeting at a chosen scale, for benchmarks and query-budget tests (`flask generate`).

Everything is decided in Python first, from one `random.Random(seed)`, so the same seed and
sizes give the same meeting on SQLite and PostgreSQL; the rows then go in with bulk INSERTs
(RETURNING the new ids, in the order given). Cluster places are computed the way sign-ups would
fill them, one request after another: confirmed while there is room, then waiting-list
positions 1, 2, 3, … per session; `check_places` verifies that with a query afterwards.

`generate` adds to the session and flushes but never commits: the caller commits once, or
rolls back, so an interrupted run leaves no half-built meeting behind.
"""

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.exports.pdf import render_chairs_summary_pdf
from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingRole,
    MeetingStatus,
    Office,
    Officer,
    Person,
    RoleName,
)
from app.outputs.models import (
    ChairsSummary,
    IssuedSummary,
    OutputParagraph,
    OutputRevision,
    OutputStatus,
    ParagraphKind,
    RapporteurOutput,
)
from app.outputs.summary import compile_summary, ensure_issued_pdf
from app.programme.models import (
    AgendaSession,
    Cluster,
    ClusterTopic,
    Room,
    SessionKind,
    SessionPerson,
    SpeakerRole,
    Track,
    TrackKind,
)
from app.registration.models import (
    AttendanceCategory,
    ClusterPlace,
    PlaceStatus,
    Registration,
    RegistrationStatus,
)

# Every generated account signs in with this password (benchmarks and manual checks only).
PASSWORD = "generated-meeting-password"
TIMEZONE = "Asia/Tokyo"
FIRST_DAY = date(2021, 3, 7)


class ScaleError(ValueError):
    """Sizes that cannot make a meeting; the message says why."""


@dataclass(frozen=True)
class Sizes:
    days: int = 2
    rooms: int = 4
    tracks: int = 4
    sessions: int = 40
    speakers: int = 60
    clusters: int = 6
    slots: int = 3
    participants: int = 100
    places: int = 150
    outputs: int = 10
    paragraphs: int = 5
    recommendations: int = 3


PRESETS: dict[str, Sizes] = {
    "congress": Sizes(
        days=6,
        rooms=12,
        tracks=4,
        sessions=400,
        speakers=1200,
        clusters=30,
        slots=6,
        participants=5000,
        places=10000,
        outputs=100,
        paragraphs=20,
        recommendations=8,
    ),
    # The 300-session meeting of the benchmark (a large regional conference).
    "conference": Sizes(
        days=3,
        rooms=10,
        tracks=4,
        sessions=300,
        speakers=600,
        clusters=12,
        slots=3,
        participants=1000,
        places=2000,
        outputs=30,
        paragraphs=10,
        recommendations=5,
    ),
    "small": Sizes(),
}

SIZE_NAMES = [f.name for f in fields(Sizes)]


def sizes_for(preset: str | None, **overrides: int | None) -> Sizes:
    """A preset's sizes with some replaced; refuses an unknown preset or an impossible size."""
    if preset is None:
        base = Sizes()
    elif preset in PRESETS:
        base = PRESETS[preset]
    else:
        raise ScaleError(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}")
    sizes = replace(base, **{k: v for k, v in overrides.items() if v is not None})
    check_sizes(sizes)
    return sizes


def check_sizes(s: Sizes) -> None:
    for name in SIZE_NAMES:
        value = getattr(s, name)
        if value < 0:
            raise ScaleError(f"--{name} cannot be negative (got {value})")
    for name in ("days", "rooms", "tracks"):
        if getattr(s, name) < 1:
            raise ScaleError(f"--{name} must be at least 1")
    if s.tracks > 4:
        raise ScaleError("--tracks is at most 4 (main, youth forum, academic forum, side events)")
    if s.clusters and s.slots < 1:
        raise ScaleError("clusters need at least one breakout slot (--slots)")
    if s.clusters and math.ceil(s.clusters / s.slots) > s.rooms:
        raise ScaleError("more clusters meet in one slot than there are rooms")
    if s.sessions < s.clusters:
        raise ScaleError("--sessions must leave room for one breakout session per cluster")
    if s.places and not s.clusters:
        raise ScaleError("cluster places need clusters (--clusters)")
    if s.places and not s.participants:
        raise ScaleError("cluster places need participants (--participants)")
    if s.participants and s.places > s.participants * min(s.slots, s.clusters):
        raise ScaleError("more places than participants can hold (one per slot each)")
    if s.outputs > s.sessions:
        raise ScaleError("--outputs is at most one per session or cluster (--sessions)")


@dataclass
class Generated:
    meeting: Meeting
    organiser: User
    seconds: float
    counts: dict[str, int]


def _insert(model, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk INSERT; the new ids, in the order of `rows`."""
    if not rows:
        return []
    result = db.session.execute(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


WORDS = [
    "prevention",
    "justice",
    "cybercrime",
    "evidence",
    "victims",
    "youth",
    "cooperation",
    "rule",
    "law",
    "capacity",
    "data",
    "corruption",
    "trafficking",
    "courts",
    "policing",
    "community",
    "rehabilitation",
    "reform",
    "technology",
    "borders",
    "sustainable",
    "development",
    "accountability",
    "transparency",
    "training",
    "partnerships",
    "research",
]
SURNAMES = [
    "Tanaka",
    "Okafor",
    "Silva",
    "Nguyen",
    "Haddad",
    "Kowalski",
    "Mensah",
    "Ivanova",
    "Rahman",
    "Dubois",
    "Moreno",
    "Sato",
    "Ali",
    "Jensen",
    "Fischer",
    "Rossi",
    "Kim",
    "Chen",
    "Patel",
    "Castillo",
    "Ndlovu",
    "Hassan",
    "Novak",
    "Lindqvist",
    "Obi",
    "Pereira",
]
GIVEN = [
    "Aiko",
    "Chidi",
    "Ana",
    "Minh",
    "Layla",
    "Piotr",
    "Ama",
    "Olga",
    "Farid",
    "Claire",
    "Diego",
    "Yuki",
    "Omar",
    "Freja",
    "Lukas",
    "Giulia",
    "Jiwoo",
    "Wei",
    "Priya",
    "Mateo",
    "Thandi",
    "Amina",
    "Jana",
    "Erik",
    "Ngozi",
    "Joao",
]
COUNTRIES = [
    "Japan",
    "Nigeria",
    "Brazil",
    "Viet",
    "Nam",
    "Lebanon",
    "Poland",
    "Ghana",
    "Bulgaria",
    "Bangladesh",
    "France",
    "Mexico",
    "Egypt",
    "Denmark",
    "Germany",
    "Italy",
    "Kenya",
    "Chile",
    "Thailand",
    "India",
    "Austria",
]
TRACKS = [
    ("Main congress", TrackKind.MAIN),
    ("Youth forum", TrackKind.YOUTH_FORUM),
    ("Academic forum", TrackKind.ACADEMIC_FORUM),
    ("Side events", TrackKind.SIDE_EVENT),
]
KINDS = [
    SessionKind.PLENARY_PANEL,
    SessionKind.PANEL_DISCUSSION,
    SessionKind.KEYNOTE,
    SessionKind.WORKSHOP,
    SessionKind.OPEN_DISCUSSION,
    SessionKind.PLENARY_MEETING,
]
ROLES = [r for r in SpeakerRole if r != SpeakerRole.RAPPORTEUR]


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random, n: int) -> str:
    text = _phrase(rng, n)
    return text[0].upper() + text[1:] + "."


def refresh_statistics() -> None:
    """Run ANALYZE after a bulk load, and commit.

    PostgreSQL's planner chooses by table statistics; right after thousands of rows arrive it
    has none and may scan whole tables where an index lookup is right. Autovacuum gets there
    within minutes; a generated meeting is measured at once, so the generator does it itself
    (as PostgreSQL's "Populating a Database" advises). SQLite keeps its statistics the same way.
    """
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def generate(sizes: Sizes, *, seed: int = 1, slug: str | None = None) -> Generated:
    """Build a published meeting of `sizes` in the current transaction (flushes, no commit)."""
    check_sizes(sizes)
    started = time.perf_counter()
    rng = random.Random(seed)
    slug = slug or f"generated-{seed}"
    if db.session.scalar(select(Meeting.id).where(Meeting.slug == slug)) is not None:
        raise ScaleError(f"a meeting with the slug {slug!r} exists already; choose another --slug")
    s = sizes
    zone = ZoneInfo(TIMEZONE)
    counts: Counter[str] = Counter()

    meeting = Meeting(
        slug=slug,
        title=f"Generated Congress on Crime Prevention and Criminal Justice ({slug})",
        short_title=f"Generated congress {seed}",
        kind=MeetingKind.CONGRESS,
        theme="Advancing crime prevention, criminal justice and the rule of law",
        substantive_issue="Crime prevention",
        venue="Kyoto International Conference Center",
        city="Kyoto",
        country="Japan",
        timezone=TIMEZONE,
        first_day=FIRST_DAY,
        last_day=FIRST_DAY + timedelta(days=s.days - 1),
        host_body="Generated host",
        convening_body="Generated convening body",
        reports_to="Generated commission",
        status=MeetingStatus.PUBLISHED,
    )
    db.session.add(meeting)
    db.session.flush()
    mid = meeting.id

    # Accounts: an organiser, a chair, rapporteurs, and one per participant. Hashing is slow, so
    # every generated account shares one hash of PASSWORD.
    password_hash = generate_password_hash(PASSWORD)
    n_rapporteurs = max(1, min(20, s.outputs))
    user_rows = [
        {"email": f"organiser.{slug}@example.org", "name": "Generated organiser"},
        {"email": f"chair.{slug}@example.org", "name": "Generated chair"},
        *(
            {"email": f"rapporteur{n}.{slug}@example.org", "name": f"Rapporteur {n}"}
            for n in range(1, n_rapporteurs + 1)
        ),
        *(
            {
                "email": f"p{n:05d}.{slug}@example.org",
                "name": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
            }
            for n in range(1, s.participants + 1)
        ),
    ]
    for row in user_rows:
        row["password_hash"] = password_hash
    user_ids = _insert(User, user_rows)
    organiser_id, chair_id = user_ids[0], user_ids[1]
    rapporteur_ids = user_ids[2 : 2 + n_rapporteurs]
    participant_user_ids = user_ids[2 + n_rapporteurs :]
    counts["users"] = len(user_ids)
    role_rows = [
        {"meeting_id": mid, "user_id": organiser_id, "role": RoleName.ORGANISER},
        {"meeting_id": mid, "user_id": chair_id, "role": RoleName.CHAIR},
        *({"meeting_id": mid, "user_id": u, "role": RoleName.RAPPORTEUR} for u in rapporteur_ids),
    ]
    _insert(MeetingRole, role_rows)

    # Tracks, rooms, agenda.
    track_ids = _insert(
        Track,
        [
            {"meeting_id": mid, "name": name, "kind": kind, "position": n}
            for n, (name, kind) in enumerate(TRACKS[: s.tracks])
        ],
    )
    room_ids = _insert(
        Room,
        [
            {"meeting_id": mid, "name": f"Room {chr(65 + n % 26)}{n // 26 or ''}", "capacity": 400}
            for n in range(s.rooms)
        ],
    )
    item_ids = _insert(
        AgendaItem,
        [
            {"meeting_id": mid, "number": n, "title": f"Agenda item {n}: {_phrase(rng, 4)}"}
            for n in range(1, 9)
        ],
    )

    # People: speakers (no account), then one per participant.
    def person(user_id: int | None) -> dict[str, Any]:
        return {
            "meeting_id": mid,
            "user_id": user_id,
            "honorific": rng.choice(["", "Dr.", "Ms.", "Mr.", "H.E."]),
            "name": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
            "position": rng.choice(["Director", "Professor", "Judge", "Prosecutor", "Officer"]),
            "organisation": f"Institute of {_phrase(rng, 2).title()}",
            "country": rng.choice(COUNTRIES),
            "biography": _sentence(rng, 25),
        }

    speaker_ids = _insert(Person, [person(None) for _ in range(s.speakers)])
    participant_person_ids = _insert(Person, [person(u) for u in participant_user_ids])
    counts["people"] = len(speaker_ids) + len(participant_person_ids)
    if speaker_ids:
        _insert(
            Officer,
            [{"meeting_id": mid, "person_id": speaker_ids[0], "office": Office.CHAIR}],
        )

    # Clusters, each meeting once, in slot (number mod slots) + 1.
    cluster_rows = []
    for n in range(1, s.clusters + 1):
        cluster_rows.append(
            {
                "meeting_id": mid,
                "number": n,
                "title": _phrase(rng, 3).title(),
                "discussion_guide": _sentence(rng, 30),
                "capacity": 0,  # set below, once demand is known
                "moderator_id": rng.choice(speaker_ids) if speaker_ids else None,
                "rapporteur_id": rng.choice(speaker_ids) if speaker_ids else None,
            }
        )
    cluster_ids = _insert(Cluster, cluster_rows)
    _insert(
        ClusterTopic,
        [
            {"cluster_id": c, "position": p, "title": _phrase(rng, 3).title()}
            for c in cluster_ids
            for p in range(3)
        ],
    )

    # The timetable: days × blocks × rooms; breakout slots at evenly spaced times.
    blocks = max(6, math.ceil(s.sessions / (s.days * s.rooms)))
    minutes = min(90, (10 * 60) // blocks)
    times = [(d, b) for d in range(s.days) for b in range(blocks)]
    slot_time = {k: times[(k - 1) * len(times) // s.slots] for k in range(1, s.slots + 1)}

    def starts(day: int, block: int) -> datetime:
        local = datetime.combine(FIRST_DAY + timedelta(days=day), clock(8, 0), tzinfo=zone)
        return (local + timedelta(minutes=block * minutes)).astimezone(UTC)

    session_rows: list[dict[str, Any]] = []
    used: set[tuple[int, int, int]] = set()
    for index, cid in enumerate(cluster_ids):
        slot = index % s.slots + 1
        day, block = slot_time[slot]
        room = index // s.slots
        used.add((day, block, room))
        begin = starts(day, block)
        session_rows.append(
            {
                "meeting_id": mid,
                "track_id": track_ids[0],
                "room_id": room_ids[room],
                "agenda_item_id": item_ids[index % len(item_ids)],
                "cluster_id": cid,
                "slot": slot,
                "kind": SessionKind.BREAKOUT,
                "title": f"Breakout: cluster {index + 1}",
                "description": _sentence(rng, 20),
                "starts_at": begin,
                "ends_at": begin + timedelta(minutes=minutes),
            }
        )
    free = [(d, b, r) for d, b in times for r in range(s.rooms) if (d, b, r) not in used]
    for d, b, r in free[: s.sessions - len(cluster_ids)]:
        begin = starts(d, b)
        track = track_ids[min(len(track_ids) - 1, r * len(track_ids) // s.rooms)]
        session_rows.append(
            {
                "meeting_id": mid,
                "track_id": track,
                "room_id": room_ids[r],
                "agenda_item_id": rng.choice([*item_ids, None]),
                "cluster_id": None,
                "slot": None,
                "kind": rng.choice(KINDS),
                "title": _phrase(rng, 5).capitalize(),
                "description": _sentence(rng, 40),
                "starts_at": begin,
                "ends_at": begin + timedelta(minutes=minutes),
                "is_cancelled": rng.random() < 0.02,
            }
        )
    session_ids = _insert(AgendaSession, session_rows)
    breakout_ids = session_ids[: len(cluster_ids)]
    other_ids = session_ids[len(cluster_ids) :]
    counts["sessions"] = len(session_ids)

    # Speakers in 1–3 roles each (a role: a session and what they do in it).
    person_rows: list[dict[str, Any]] = []
    position: Counter[int] = Counter()
    taken: set[tuple[int, int, str]] = set()
    targets = other_ids or session_ids
    for pid in speaker_ids:
        for _ in range(rng.randint(1, 3)):
            for _attempt in range(5):
                sid, role = rng.choice(targets), rng.choice(ROLES)
                if (sid, pid, role) not in taken:
                    break
            else:
                continue
            taken.add((sid, pid, role))
            position[sid] += 1
            person_rows.append(
                {"session_id": sid, "person_id": pid, "role": role, "position": position[sid]}
            )
    _insert(SessionPerson, person_rows)
    counts["speaker_roles"] = len(person_rows)

    # Registrations, all approved; the first twentieth are youth delegates.
    categories = list(AttendanceCategory)
    registration_ids = _insert(
        Registration,
        [
            {
                "meeting_id": mid,
                "user_id": u,
                "person_id": p,
                "delegation": rng.choice(COUNTRIES),
                "category": AttendanceCategory.YOUTH
                if n < s.participants // 20
                else rng.choice(categories),
                "status": RegistrationStatus.APPROVED,
            }
            for n, (u, p) in enumerate(
                zip(participant_user_ids, participant_person_ids, strict=True)
            )
        ],
    )
    counts["registrations"] = len(registration_ids)

    # Places, as sign-ups in a random order would fill them.
    place_rows = _places(rng, s, registration_ids, breakout_ids, session_rows, cluster_rows)
    capacities = {cid: row["capacity"] for cid, row in zip(cluster_ids, cluster_rows, strict=True)}
    if cluster_ids:
        db.session.execute(
            sa.update(Cluster),
            [{"id": cid, "capacity": capacity} for cid, capacity in capacities.items()],
        )
    _insert(ClusterPlace, place_rows)
    counts["places"] = len(place_rows)
    counts["waitlisted"] = sum(1 for r in place_rows if r["status"] == PlaceStatus.WAITLISTED)

    _outputs(rng, s, meeting, cluster_ids, other_ids, rapporteur_ids, chair_id, counts)
    db.session.flush()
    organiser = db.session.get(User, organiser_id)
    return Generated(meeting, organiser, time.perf_counter() - started, dict(counts))


def _places(rng, s: Sizes, registration_ids, breakout_ids, session_rows, cluster_rows):
    """Each participant asks for places in distinct slots; fill in one random order."""
    if not s.places:
        return []
    by_slot: dict[int, list[int]] = {}
    for index in range(len(breakout_ids)):
        by_slot.setdefault(session_rows[index]["slot"], []).append(index)
    slots = sorted(by_slot)
    # Some clusters are more popular than others: that is where waiting lists form.
    weight = [rng.choice([1, 1, 2, 3]) for _ in breakout_ids]
    per_person = [s.places // s.participants] * s.participants
    for n in range(s.places % s.participants):
        per_person[n] += 1
    requests = []  # (registration index, breakout index)
    for reg, k in enumerate(per_person):
        for slot in rng.sample(slots, min(k, len(slots))):
            options = by_slot[slot]
            choice = rng.choices(options, weights=[weight[i] for i in options])[0]
            requests.append((reg, choice))
    # Shortfall when a participant asked for more slots than exist is checked in check_sizes.
    demand = Counter(i for _, i in requests)
    for index, row in enumerate(cluster_rows):
        # Room for about four in five of the average demand: popular clusters overflow.
        row["capacity"] = max(1, int(0.8 * len(requests) / max(1, len(breakout_ids))))
        row["capacity"] = min(row["capacity"], demand.get(index, 0) + 5)
    rng.shuffle(requests)
    confirmed: Counter[int] = Counter()
    waiting: Counter[int] = Counter()
    rows = []
    for reg, index in requests:
        sid = breakout_ids[index]
        row = {
            "registration_id": registration_ids[reg],
            "session_id": sid,
            "slot": session_rows[index]["slot"],
        }
        if confirmed[index] < cluster_rows[index]["capacity"]:
            confirmed[index] += 1
            row |= {"status": PlaceStatus.CONFIRMED, "waitlist_position": None}
        else:
            waiting[index] += 1
            row |= {"status": PlaceStatus.WAITLISTED, "waitlist_position": waiting[index]}
        rows.append(row)
    return rows


def _outputs(rng, s: Sizes, meeting, cluster_ids, other_ids, rapporteur_ids, chair_id, counts):
    """Approved rapporteur outputs (clusters first, then sessions), and an issued summary."""
    targets = [("cluster_id", c) for c in cluster_ids] + [("session_id", x) for x in other_ids]
    targets = targets[: s.outputs]
    output_rows = []
    texts = []
    for n, (column, target) in enumerate(targets):
        summary = [_sentence(rng, 60) for _ in range(s.paragraphs)]
        recommendations = [_sentence(rng, 25) for _ in range(s.recommendations)]
        texts.append((summary, recommendations))
        output_rows.append(
            {
                "meeting_id": meeting.id,
                "session_id": target if column == "session_id" else None,
                "cluster_id": target if column == "cluster_id" else None,
                "rapporteur_id": rapporteur_ids[n % len(rapporteur_ids)],
                "title": f"Report of {'cluster' if column == 'cluster_id' else 'session'} "
                f"{n + 1}: {_phrase(rng, 3)}",
                "status": OutputStatus.APPROVED,
                "not_negotiated": True,
                "revision_number": 3,
            }
        )
    output_ids = _insert(RapporteurOutput, output_rows)
    paragraph_rows = []
    revision_rows = []
    for oid, row, (summary, recommendations) in zip(output_ids, output_rows, texts, strict=True):
        paragraph_rows += [
            {"output_id": oid, "kind": ParagraphKind.SUMMARY, "position": p, "text": t}
            for p, t in enumerate(summary, 1)
        ]
        paragraph_rows += [
            {"output_id": oid, "kind": ParagraphKind.RECOMMENDATION, "position": p, "text": t}
            for p, t in enumerate(recommendations, 1)
        ]
        content = {
            "summary": summary,
            "recommendations": recommendations,
            "not_negotiated": True,
            "comment": "",
        }
        for number, (status, author) in enumerate(
            [
                (OutputStatus.DRAFT, row["rapporteur_id"]),
                (OutputStatus.SUBMITTED, row["rapporteur_id"]),
                (OutputStatus.APPROVED, chair_id),
            ],
            1,
        ):
            revision_rows.append(
                {
                    "output_id": oid,
                    "number": number,
                    "author_id": author,
                    "status": status,
                    "content": content,
                }
            )
    _insert(OutputParagraph, paragraph_rows)
    _insert(OutputRevision, revision_rows)
    counts["outputs"] = len(output_ids)
    counts["paragraphs"] = len(paragraph_rows)
    counts["revisions"] = len(revision_rows)
    summary = ChairsSummary(
        meeting_id=meeting.id,
        introduction="\n\n".join(_sentence(rng, 50) for _ in range(3)),
        general_conclusions="\n\n".join(_sentence(rng, 50) for _ in range(3)),
    )
    db.session.add(summary)
    db.session.flush()
    if output_ids:
        content = compile_summary(meeting, summary)
        content["number"] = 1
        content["issued_on"] = FIRST_DAY.strftime("%d %B %Y").lstrip("0")
        # The PDF is rendered after the commit (`render_issued_pdfs`), or on first download.
        db.session.add(
            IssuedSummary(summary_id=summary.id, number=1, issued_by_id=chair_id, content=content)
        )
        counts["issued_summaries"] = 1


def render_issued_pdfs(meeting_id: int) -> int:
    """Render the PDF of every issued Chair's Summary of a meeting that has none; commit.

    Apart from `generate` because it is most of the time at congress scale (hundreds of
    pages) and needs no transaction of the generator's open. Returns how many it rendered.
    """
    rendered = 0
    for issued in db.session.scalars(
        select(IssuedSummary)
        .join(ChairsSummary, ChairsSummary.id == IssuedSummary.summary_id)
        .where(ChairsSummary.meeting_id == meeting_id)
        .order_by(IssuedSummary.number)
    ):
        if ensure_issued_pdf(issued, render_chairs_summary_pdf):
            db.session.commit()
            rendered += 1
    return rendered


def check_places(meeting_id: int) -> list[str]:
    """Broken invariants of the meeting's places (empty when none): over capacity, a gap or a
    duplicate in a waiting list, or two places of one status in one slot."""
    problems = []
    sessions = db.session.execute(
        select(AgendaSession.id, sa.func.coalesce(AgendaSession.capacity, Cluster.capacity))
        .outerjoin(Cluster, Cluster.id == AgendaSession.cluster_id)
        .where(AgendaSession.meeting_id == meeting_id, AgendaSession.slot.is_not(None))
    ).all()
    capacity = dict(sessions)
    rows = db.session.execute(
        select(
            ClusterPlace.session_id,
            ClusterPlace.registration_id,
            ClusterPlace.slot,
            ClusterPlace.status,
            ClusterPlace.waitlist_position,
        ).where(ClusterPlace.session_id.in_(list(capacity) or [0]))
    ).all()
    confirmed: Counter[int] = Counter()
    positions: dict[int, list[int]] = {}
    per_slot: Counter[tuple] = Counter()
    for sid, rid, slot, status, pos in rows:
        per_slot[(rid, slot, status)] += 1
        if status == PlaceStatus.CONFIRMED:
            confirmed[sid] += 1
        else:
            positions.setdefault(sid, []).append(pos)
    for sid, n in confirmed.items():
        if capacity[sid] is not None and n > capacity[sid]:
            problems.append(f"session {sid}: {n} confirmed, capacity {capacity[sid]}")
    for sid, pos in positions.items():
        if sorted(pos) != list(range(1, len(pos) + 1)):
            problems.append(f"session {sid}: waiting list positions are not 1..{len(pos)}")
    problems += [f"registration {k[0]}: {n} places in slot {k[1]}" for k, n in per_slot.items()
                 if n > 1]  # fmt: skip
    return problems
