"""The second demo meeting: the Asia and Pacific Regional Preparatory Meeting for the Fourteenth
Crime Congress (Bangkok, 22–24 January 2019), loaded from its report (seeds/, a copy of
shared/seeds/rpm-14th-congress-report-2019.txt) the way its secretariat would type it into
Plenary: the outputs approved, the report's outline built, the meeting concluded and its report
adopted and public; and one draft-report addendum issued during the meeting.

`read_seed` parses the report's text (paragraphs by their numbers, each lead paragraph's
recommendations, the agenda, the officers, the annex) so the compiled PDF can be compared with
it paragraph by paragraph. Everything here flushes and never commits.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.exports.pdf import render_draft_report_pdf
from app.extensions import db
from app.meetings import document_files, documents
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
from app.models_base import utcnow
from app.outputs import adoption, drafts, outline, workflow
from app.outputs.models import PartKind
from app.outputs.summary import save_summary, summary_of
from app.programme.models import AgendaSession, SessionKind, Track, TrackKind
from app.registration.models import AttendanceCategory, Registration, RegistrationStatus
from app.timezones import to_utc

SEEDS = Path(__file__).resolve().parent / "seeds"
REPORT_SEED = SEEDS / "rpm-14th-congress-report-2019.txt"
RPM_SLUG = "14th-congress-asia-pacific-rpm"
TIMEZONE = "Asia/Bangkok"
TITLE = (
    "Asia and Pacific Regional Preparatory Meeting for the Fourteenth United Nations Congress"
    " on Crime Prevention and Criminal Justice"
)
FIRST_DAY, LAST_DAY = date(2019, 1, 22), date(2019, 1, 24)

_PARA = re.compile(r"^(\d+)\.\s+(.*)$", re.S)
_REC = re.compile(r"^\(([a-z]{1,2})\)\s+(.*)$", re.S)
_LINK = re.compile(r"\[([^\]]*)\]\(#\)")


@dataclass
class Seed:
    """The report as its text gives it."""

    contents: list[tuple[str, str]] = field(default_factory=list)  # (label, heading)
    subsections: dict[str, str] = field(default_factory=dict)  # "1" -> heading
    paragraphs: dict[int, str] = field(default_factory=dict)
    recommendations: dict[int, list[str]] = field(default_factory=dict)
    agenda: list[tuple[str, str]] = field(default_factory=list)  # ("5.", …) or ("(a)", …)
    officers: list[tuple[str, str, str]] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)


def clean(text: str) -> str:
    """The seed's text as Plenary's markup holds it: resolution links (to "#") become text."""
    return " ".join(_LINK.sub(r"\1", text).split())


def read_seed(path: Path = REPORT_SEED) -> Seed:
    """Parse the seed report: paragraphs by number, recommendations under their lead."""
    seed = Seed()
    text = path.read_text(encoding="utf-8")
    head, _sep, body = text.partition("\nI. Introduction\n")
    for line in head.splitlines():
        match = re.match(r"^((?:[IVX]+|[A-Z])\.\s)?(.+?)\t(\d*)$", line)
        if match and line.strip() and not line.startswith("\t"):
            seed.contents.append(((match[1] or "").strip(), match[2].strip()))
    body, _sep, annex = body.partition("\nAnnex\n")
    for line in annex.splitlines():
        if "\t" in line:
            symbol, title = line.split("\t", 1)
            seed.documents.append((symbol.strip(), title.strip()))
    headings = {f"{label} {h}".strip() for label, h in seed.contents} | {
        "Summary of deliberations",
        "Outcome of deliberations",
        "Proceedings",
    }
    expected, last, state = 1, None, ""
    # Two headings the extraction ran together are joined by "**" ("B. Substantive items and
    # workshops**1. Comprehensive …", "… (workshop 2)**Summary of deliberations").
    for block in (piece.strip() for line in body.split("\n") for piece in line.split("**")):
        if not block:
            continue
        para = _PARA.match(block)
        if para and int(para[1]) == expected:
            number = expected
            expected += 1
            seed.paragraphs[number] = para[2]
            last = ("para", number)
            state = "agenda" if "read as follows" in para[2] else "officers" if number == 73 else ""
            continue
        if block in headings:
            last, state = None, ""
            continue
        if state == "agenda":
            _agenda_lines(seed, [block])
            continue
        if state == "officers":
            office, _colon, person = block.lstrip("- ").partition(":")
            name, _paren, country = person.replace("*", "").strip().partition(" (")
            seed.officers.append((office.strip(), name.strip(), country.rstrip(")")))
            continue
        sub = re.match(r"^(\d)\.\s+(.*)$", block)
        if sub:
            seed.subsections[sub[1]] = sub[2]
            last = None
            continue
        rec = _REC.match(block)
        if rec and last is not None:
            lead = last[1]
            seed.recommendations.setdefault(lead, []).append(rec[2])
            last = ("rec", lead)
            continue
        # A paragraph the page break cut: it goes on the one before.
        if last and last[0] == "para":
            seed.paragraphs[last[1]] += " " + block
        elif last and last[0] == "rec":
            seed.recommendations[last[1]][-1] += " " + block
    seed.paragraphs = {n: clean(t) for n, t in seed.paragraphs.items()}
    seed.recommendations = {n: [clean(r) for r in recs] for n, recs in seed.recommendations.items()}
    return seed


def _agenda_lines(seed: Seed, lines: list[str]) -> None:
    for line in lines:
        line = line.strip()
        sub = re.match(r"^-?\s*\(([a-z])\)\s+(.*)$", line)
        item = re.match(r"^(\d+)\.\s+(.*)$", line)
        if sub:
            seed.agenda.append((f"({sub[1]})", sub[2]))
        elif item:
            seed.agenda.append((f"{item[1]}.", item[2]))
        elif line and seed.agenda:
            label, title = seed.agenda[-1]
            seed.agenda[-1] = (label, f"{title} {line}")


# The delegations of paragraphs 65–69 by category: the report lists them.
DELEGATIONS = {
    AttendanceCategory.MEMBER_STATE: (65, "The following States members of the Economic and"
                                      " Social Commission for Asia and the Pacific were"
                                      " represented at the Meeting: "),
    AttendanceCategory.OBSERVER_STATE: (66, ""),
    AttendanceCategory.UN_ENTITY: (67, "The following entities of the United Nations system"
                                   " were represented by observers: "),
    AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: (
        68,
        "The following institutes of the United Nations crime prevention and criminal justice"
        " programme network were represented by observers: ",
    ),
    AttendanceCategory.NGO: (69, "The following non-governmental organization in consultative"
                             " status with the Economic and Social Council was represented by"
                             " observers: "),
}  # fmt: skip


def _names(sentence: str, prefix: str) -> list[str]:
    """The delegations a sentence lists ("A, B and C"; "…, and D" when D has an "and")."""
    text = sentence.removeprefix(prefix).removesuffix(".")
    text = text.removesuffix(" were represented by observers")
    *names, last = text.split(", ")
    if last.startswith("and "):
        return names + [last.removeprefix("and ")]
    head, sep, tail = last.rpartition(" and ")
    return names + ([head, tail] if sep else [last])


def _local(day: date, clock: str) -> datetime:
    return to_utc(datetime.combine(day, time.fromisoformat(clock)), TIMEZONE)


# The outputs: (heading's contents label, the lead paragraph of its recommendations, its first
# summary paragraph or None, its own lead sentence when it is not the UN default).
OUTPUTS = [
    ("A", 13, 10, None),
    ("1", 26, 14, None),
    ("2", 34, 27, None),
    ("3", 44, 35, None),
    ("4", 61, 45, None),
    ("C", 62, None, True),
]


def build_rpm(accounts: dict[RoleName, User]) -> Meeting:
    """The Regional Preparatory Meeting as its report tells it, concluded, report published."""
    seed = read_seed()
    meeting = Meeting(
        slug=RPM_SLUG,
        title=TITLE,
        short_title="Asia-Pacific RPM, 14th Congress",
        kind=MeetingKind.REGIONAL_PREPARATORY_MEETING,
        theme=(
            "Advancing crime prevention, criminal justice and the rule of law: towards the"
            " achievement of the 2030 Agenda"
        ),
        venue="United Nations Conference Centre",
        city="Bangkok",
        country="Thailand",
        timezone=TIMEZONE,
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        host_body="Economic and Social Commission for Asia and the Pacific",
        convening_body="United Nations Office on Drugs and Crime",
        reports_to="Fourteenth United Nations Congress on Crime Prevention and Criminal Justice",
        status=MeetingStatus.PUBLISHED,
    )
    db.session.add(meeting)
    db.session.flush()
    for role in (RoleName.ORGANISER, RoleName.CHAIR, RoleName.RAPPORTEUR):
        db.session.add(MeetingRole(meeting_id=meeting.id, user_id=accounts[role].id, role=role))

    # Attendance: every delegation the report names, in its category, each with one
    # representative who never signs in (one unusable password hash serves them all).
    unusable = generate_password_hash(secrets.token_hex(16))
    index = 0
    for category, (number, prefix) in DELEGATIONS.items():
        for name in _names(seed.paragraphs[number], prefix):
            index += 1
            user = User(
                email=f"rpm-delegate{index:02d}@plenary.demo",
                name=f"Representative of {name}"[:200],
                password_hash=unusable,
            )
            person = Person(meeting_id=meeting.id, name=user.name, organisation=name)
            db.session.add_all([user, person])
            db.session.flush()
            db.session.add(
                Registration(
                    meeting_id=meeting.id,
                    user_id=user.id,
                    person_id=person.id,
                    delegation=name,
                    category=category,
                    status=RegistrationStatus.APPROVED,
                )
            )

    # Officers, elected at the 1st meeting.
    offices = {
        "Chair": Office.CHAIR,
        "Vice-Chair": Office.VICE_CHAIR,
        "Rapporteur": Office.RAPPORTEUR,
    }
    for office, name, country in seed.officers:
        person = Person(meeting_id=meeting.id, name=name, country=country)
        db.session.add(person)
        db.session.flush()
        db.session.add(
            Officer(
                meeting_id=meeting.id,
                person_id=person.id,
                office=offices[office],
                elected_on=FIRST_DAY,
            )
        )

    # The agenda: items 1–7, item 5 with its lettered sub-items.
    parent = None
    for label, title in seed.agenda:
        if label.startswith("("):
            item = AgendaItem(
                meeting_id=meeting.id,
                parent_id=parent.id,
                number=parent.number,
                letter=label.strip("()"),
                title=title,
            )
        else:
            item = AgendaItem(meeting_id=meeting.id, number=int(label.rstrip(".")), title=title)
            parent = item
        db.session.add(item)
        db.session.flush()

    # The documents, in the annex's order.
    docs = [
        documents.create_document(
            meeting, symbol=symbol, title=title, agenda_item_id=None, issued_on=None, url=""
        )
        for symbol, title in seed.documents
    ]

    # One plenary session per output, across the three days; the rapporteur drafts, the Chair
    # approves.
    track = Track(meeting_id=meeting.id, name="Plenary", kind=TrackKind.MAIN, position=0)
    db.session.add(track)
    db.session.flush()
    first_heading = {}
    for label, text in seed.contents:
        first_heading.setdefault(label.rstrip("."), text)
    chair, rapporteur = accounts[RoleName.CHAIR], accounts[RoleName.RAPPORTEUR]
    outputs = {}
    for index, (label, lead, first, _own) in enumerate(OUTPUTS):
        day = [FIRST_DAY, FIRST_DAY, date(2019, 1, 23), date(2019, 1, 23), LAST_DAY, LAST_DAY]
        session_ = AgendaSession(
            meeting_id=meeting.id,
            track_id=track.id,
            kind=SessionKind.PLENARY_PANEL,
            title=(seed.subsections.get(label) or first_heading[label])[:300],
            starts_at=_local(day[index], "10:00" if index % 2 == 0 else "14:30"),
            ends_at=_local(day[index], "13:00" if index % 2 == 0 else "17:30"),
        )
        db.session.add(session_)
        db.session.flush()
        output = workflow.assign_rapporteur(
            meeting, target=f"session-{session_.id}", rapporteur_id=rapporteur.id
        )
        summary = [seed.paragraphs[n] for n in range(first, lead)] if first else []
        workflow.save_output(
            output,
            author=rapporteur,
            base_revision=output.revision_number,
            summary=summary,
            recommendations=seed.recommendations[lead],
            not_negotiated=True,
        )
        workflow.submit_output(output, rapporteur)
        workflow.approve_output(output, chair)
        outputs[label] = output

    _build_outline(meeting, seed, outputs, docs)
    _issue_draft_parts(meeting, rapporteur, docs)

    # The meeting concluded; the report adopted at its 6th meeting and published.
    meeting.status = MeetingStatus.CONCLUDED
    adoption.save_title_block(
        meeting,
        symbol="A/CONF.234/RPM.1/1",
        context_line="Fourteenth United Nations Congress on Crime Prevention and Criminal Justice",
        context_when="Kyoto, Japan, 20–27 April 2020",
    )
    adoption.adopt_report(meeting, LAST_DAY)
    report = adoption.publish_report(meeting)
    report.published_at = report.published_at or utcnow()
    db.session.flush()
    return meeting


def _build_outline(meeting, seed: Seed, outputs, docs) -> None:
    """The report's outline as the seed's contents give it, with its own paragraphs."""
    headings = dict(seed.contents)
    paragraphs = seed.paragraphs
    last = [None]

    def add(kind, **fields):
        part = outline.add_part(meeting, kind=kind, after_id=last[0], from_standard=False, **fields)
        last[0] = part.id
        return part

    def heading(level, label, numbered=True):
        add(PartKind.HEADING, level=level, heading=headings.get(label, label), numbered=numbered)

    def text(first, last_number):
        add(
            PartKind.TEXT,
            body="\n\n".join(paragraphs[n] for n in range(first, last_number + 1)),
        )

    def output(label, lead_number, own_lead=False):
        fields = {"output_id": outputs[label].id}
        if own_lead:
            fields["lead"] = paragraphs[lead_number]
            fields["options"] = {"subheadings": False}
        add(PartKind.OUTPUT, **fields)

    chapter = [h for label, h in seed.contents if re.fullmatch(r"[IVX]+\.", label)]
    by_chapter, current = {}, ""
    for label, h in seed.contents:
        if re.fullmatch(r"[IVX]+\.", label):
            current = label
        elif label:
            by_chapter[(current, label.rstrip("."))] = h

    def section(letter, occurrence=0):
        return by_chapter[("II." if occurrence == 0 else "III.", letter)]

    add(PartKind.HEADING, level=1, heading=chapter[0])
    text(1, 6)
    add(PartKind.HEADING, level=1, heading=chapter[1])
    text(7, 9)
    add(PartKind.HEADING, level=2, heading=section("A"))
    output("A", 13)
    add(PartKind.HEADING, level=2, heading=section("B"))
    for number in "1234":
        add(PartKind.HEADING, level=3, heading=seed.subsections[number])
        output(number, dict((o[0], o[1]) for o in OUTPUTS)[number])
    add(PartKind.HEADING, level=2, heading=section("C"))
    output("C", 62, own_lead=True)
    text(63, 63)
    add(PartKind.HEADING, level=1, heading=chapter[2])
    add(PartKind.HEADING, level=2, heading=section("A", 1))
    add(PartKind.VENUE)
    add(PartKind.HEADING, level=2, heading=section("B", 1))
    add(
        PartKind.ATTENDANCE,
        options={
            "qualifiers": {
                "member_state": "members of the Economic and Social Commission for Asia and"
                " the Pacific",
                "ngo": "in consultative status with the Economic and Social Council",
            },
            # The secretariat's own order for the institutes, not the alphabet's.
            "texts": {"programme_network_institute": paragraphs[68]},
        },
    )
    add(PartKind.HEADING, level=2, heading=section("C", 1))
    text(70, 72)
    add(PartKind.HEADING, level=2, heading=section("D", 1))
    add(PartKind.OFFICERS, lead=paragraphs[73])
    add(PartKind.HEADING, level=2, heading=section("E", 1))
    add(PartKind.AGENDA, lead=paragraphs[74], options={"symbol": "A/CONF.234/RPM.1/L.1"})
    text(75, 75)
    add(PartKind.HEADING, level=3, heading="Proceedings", numbered=False)
    text(76, 76)
    add(PartKind.HEADING, level=2, heading=section("F", 1))
    text(77, 80)
    add(PartKind.HEADING, level=1, heading=chapter[3])
    text(81, 81)
    add(PartKind.HEADING, level=1, heading="Annex", numbered=False)
    add(PartKind.HEADING, level=2, heading="List of documents", numbered=False)
    add(PartKind.DOCUMENTS, options={"order": [d.id for d in docs]})
    # The Chair's own text stays empty: the report's paragraphs are the outline's.
    save_summary(summary_of(meeting), introduction="", general_conclusions="")


def _issue_draft_parts(meeting: Meeting, rapporteur: User, docs) -> None:
    """The draft report in parts, as the 2025 RPM's addendum prints it: L.2 on the first day,
    its addendum (chapter II's section B, "continued") on the second. The annex lists them as
    one entry ("A/CONF.234/RPM.1/L.2 and Add.1-2"), so it leaves their own entries out."""
    parts = outline.start_outline(meeting)
    headings = {p.heading: p for p in parts if p.kind == PartKind.HEADING}
    issued = []
    # Day 1: L.2 with the introduction and the main theme; day 2: its addendum, section B.
    for symbol, day, chosen in (
        ("A/CONF.234/RPM.1/L.2", date(2019, 1, 22), [parts[0].id, _section_a(parts)]),
        (
            "A/CONF.234/RPM.1/L.2/Add.1",
            date(2019, 1, 23),
            [headings["Substantive items and workshops"].id],
        ),
    ):
        draft = drafts.issue_draft_part(
            meeting,
            rapporteur,
            symbol=symbol,
            heading_ids=chosen,
            issued_on=day,
            original_language="en",
            languages=["zh", "en", "fr", "ru"],
            render_pdf=render_draft_report_pdf,
            folder=document_files.documents_folder(),
        )
        issued.append(draft.document_id)
    annex = next(p for p in parts if p.kind == PartKind.DOCUMENTS)
    outline.update_part(
        meeting,
        annex,
        options={"order": [d.id for d in docs], "omit": issued},
    )


def _section_a(parts) -> int:
    """Chapter II's section A (the main theme)."""
    chapter = 0
    for part in parts:
        if part.kind == PartKind.HEADING and part.level == 1:
            chapter += 1
        if chapter == 2 and part.kind == PartKind.HEADING and part.level == 2:
            return part.id
    raise LookupError("section II.A")


def remove_rpm() -> None:
    """Delete the demo RPM (flushes, never commits)."""
    ids = list(db.session.scalars(sa.select(Meeting.id).where(Meeting.slug == RPM_SLUG)))
    if ids:
        db.session.execute(
            sa.delete(AgendaSession)
            .where(AgendaSession.meeting_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.delete(Meeting)
            .where(Meeting.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
