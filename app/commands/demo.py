"""The demo meeting: the 2nd ACCPCJ (Bangkok, 27-28 February 2020) and the meeting that prepared it.

Everything here comes from the users' own documents (shared/seeds/accpcj-2-concept-paper.txt for
the conference, its theme, clusters and format; accpcj-1-chairs-report.txt for the people and
organisations). Only what those documents leave open is made up: exact times, rooms, and the
representatives of organisations, who are named by their organisation rather than invented.

`load_demo` builds it all in one transaction: it commits once at the end, so an error leaves
nothing half-built. Loading it again changes nothing, so the README can run it on every start.
"""

import secrets
from collections.abc import Callable
from datetime import date, datetime, time
from typing import NamedTuple

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.auth.services import create_user, find_user
from app.commands.demo_rpm import RPM_SLUG, build_rpm, remove_rpm
from app.delegations.delegations import find_by_name
from app.delegations.invitations import invite_focal_point
from app.delegations.models import MemberRole
from app.delegations.window import save_window
from app.exports.pdf import render_chairs_summary_pdf
from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.models import (
    AgendaItem,
    Document,
    DocumentType,
    Meeting,
    MeetingKind,
    MeetingRole,
    MeetingStatus,
    Office,
    Officer,
    Person,
    RoleName,
)
from app.outputs import workflow
from app.outputs.summary import issue_summary, save_summary, summary_of
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
from app.registration.members import add_member
from app.registration.models import AttendanceCategory, Registration, RegistrationStatus
from app.registration.places import take_place
from app.registration.registrations import register
from app.timezones import to_utc
from app.venue.models import CheckIn

DEMO_SLUG = "2nd-accpcj"
PREPARATORY_SLUG = "cgm-phuket-2019"
DEMO_PASSWORD = "plenary-demo-2020"
TIMEZONE = "Asia/Bangkok"
DAY_1 = date(2020, 2, 27)
DAY_2 = date(2020, 2, 28)

THEME = (
    "Promoting the ASEAN Culture of Prevention for a Collaborative and Innovative Justice for All"
)

# (role, email, account name): the organiser organises both meetings, the others the conference.
DEMO_ACCOUNTS = [
    (
        RoleName.ORGANISER,
        "organiser@plenary.demo",
        "Demo Organiser (Thailand Institute of Justice)",
    ),
    (RoleName.CHAIR, "chair@plenary.demo", "Demo Chair of the 2nd ACCPCJ"),
    (RoleName.RAPPORTEUR, "rapporteur@plenary.demo", "Demo Rapporteur, Cluster I"),
    (RoleName.PARTICIPANT, "participant@plenary.demo", "สมชาย ใจดี"),
    (RoleName.REGISTRATION_DESK, "desk@plenary.demo", "Demo Registration Desk 2"),
]

TIJ = "Thailand Institute of Justice (TIJ)"

# key: (honorific, name, position, organisation, country)
PEOPLE = {
    "chair": (
        "H.E.",
        "Minister of Justice of Thailand",
        "Minister of Justice; Chair of the 2nd ACCPCJ",
        "Ministry of Justice, Thailand",
        "Thailand",
    ),
    "kittipong": ("Dr.", "Kittipong Kittayarak", "Executive Director", TIJ, "Thailand"),
    "douglas": (
        "",
        "Jeremy Douglas",
        "Regional Representative",
        "United Nations Office on Drugs and Crime (UNODC), Regional Office for Southeast Asia"
        " and the Pacific",
        "",
    ),
    "purba": (
        "",
        "Lily Purba",
        "Chair",
        "ASEAN Commission on the Promotion and Protection of the Rights of Women and Children"
        " (ACWC)",
        "",
    ),
    "sisoulath": (
        "",
        "Phoukhong Sisoulath",
        "Chair",
        "ASEAN Intergovernmental Commission on Human Rights (AICHR)",
        "",
    ),
    "sunthornvut": (
        "",
        "Isra Sunthornvut",
        "Secretary General",
        "ASEAN Inter-Parliamentary Assembly (AIPA)",
        "",
    ),
    "interpol": (
        "",
        "Representative of INTERPOL",
        "Cybercrime Directorate",
        "International Criminal Police Organization (INTERPOL)",
        "",
    ),
    "aseanapol": (
        "",
        "Representative of ASEANAPOL",
        "ASEANAPOL Secretariat",
        "ASEAN Chiefs of National Police (ASEANAPOL)",
        "",
    ),
    "somtc": (
        "",
        "Representative of the SOMTC Working Group on Cybercrime",
        "Working Group on Cybercrime",
        "ASEAN Senior Officials Meeting on Transnational Crime (SOMTC)",
        "",
    ),
    "unafei": (
        "",
        "Representative of UNAFEI",
        "Faculty",
        "United Nations Asia and Far East Institute for the Prevention of Crime and the Treatment"
        " of Offenders (UNAFEI)",
        "Japan",
    ),
    "kic": (
        "",
        "Representative of KIC",
        "Research Fellow",
        "Korean Institute of Criminology (KIC)",
        "Republic of Korea",
    ),
    "unicri": (
        "",
        "Representative of UNICRI",
        "Programme Officer",
        "United Nations Interregional Crime and Justice Research Institute (UNICRI)",
        "",
    ),
    "rapporteur_1": ("", "Rapporteur of Cluster I", "Rapporteur", TIJ, "Thailand"),
    "rapporteur_2": ("", "Rapporteur of Cluster II", "Rapporteur", TIJ, "Thailand"),
    "rapporteur_3": ("", "Rapporteur of Cluster III", "Rapporteur", TIJ, "Thailand"),
    "facilitator": (
        "",
        "Design Thinking facilitator",
        "Facilitator, 2nd TIJ Youth Forum",
        TIJ,
        "Thailand",
    ),
    # A participant whose name is in Thai script, so exports are tried on it from the start.
    "youth": ("", "สมชาย ใจดี", "Youth Forum participant", "2nd TIJ Youth Forum", "Thailand"),
}

CLUSTERS = [
    (
        1,
        "Culture of Prevention",
        [
            "Promoting Prevention through a Culture of Good Governance and Respect",
            "Promoting Prevention through a Culture of Peace and Moderation",
        ],
        "The ASEAN Declaration on Culture of Prevention (31st ASEAN Summit, Manila, 13 November"
        " 2017) calls for a preventive mind-set at all levels. Two of its thrusts bear on"
        " cybercrime: Thrust 3, a culture of good governance (responsible citizenship, access to"
        " education and employment, preventing social ills such as crime and corruption), and"
        " Thrust 6, a culture supporting the values of moderation (literacy at all levels to"
        " prevent deliberate falsehoods and radicalization).\n\n"
        "Questions for discussion: How can digital literacy and the ASEAN Core Values on Digital"
        ' Literacy ("READI": Responsibility, Empathy, Authenticity, Discernment, Integrity)'
        " prevent people from becoming offenders or victims online? How can ASEAN sectoral bodies"
        " and the ACWC work with the private sector against cyberbullying and online sexual"
        " exploitation of children?",
        "kic",
        "rapporteur_1",
    ),
    (
        2,
        "Law and Justice",
        ["International Cooperation in Criminal Matters", "National Legislative Framework"],
        "Cyber criminals operate across jurisdictions, often within organized criminal groups,"
        " and offenders and victims are usually in different countries. The ASEAN Declaration to"
        " Prevent and Combat Cybercrime (2017) acknowledged the importance of harmonizing laws on"
        " cybercrime and electronic evidence and encouraged accession to regional and"
        " international instruments.\n\n"
        "Questions for discussion: Where do national laws on data-related, computer-related and"
        " content-related offences still differ? How can mutual legal assistance, extradition and"
        " the handling of electronic evidence be made faster between ASEAN Member States? What"
        " judicial training and digital forensics capacity is most needed?",
        "unafei",
        "rapporteur_2",
    ),
    (
        3,
        "Innovation and Collaboration",
        [
            "Promoting Capacity Building through Partnership",
            "Opportunities and Challenges of Industry 4.0",
        ],
        "Economic integration, rapidly changing technology and digital disruption have made"
        " cybercrime a major concern, and criminals are quick to adopt new tools. Collaboration"
        " between multi-sectoral stakeholders, and particularly public-private partnership on"
        " capacity building, remains a major challenge.\n\n"
        "Questions for discussion: What can partnerships with industry, academia and Dialogue"
        " Partners (such as the ASEAN Cyber Capacity Development Project) offer law enforcement"
        " and the judiciary? Which technologies of Industry 4.0 open new opportunities for"
        " prevention, and which new risks must criminal justice systems prepare for?",
        "unicri",
        "rapporteur_3",
    ),
]

# name: capacity. The seeds name no venue, so the rooms are plausible, made-up ones.
ROOMS = {
    "Plenary Hall": 400,
    "Breakout Room A": 80,
    "Breakout Room B": 80,
    "Breakout Room C": 80,
    "Youth Forum Room": 60,
}
CLUSTER_ROOMS = {1: "Breakout Room A", 2: "Breakout Room B", 3: "Breakout Room C"}
CLUSTER_CAPACITY = 60
# Cluster III is kept small so that a new user sees a full cluster with its waiting list.
CLUSTER_CAPACITIES = {3: 14}
WORKSHOP_CAPACITY = 40
# The Design Thinking workshop takes places as breakouts do, in a slot of its own.
WORKSHOP_SLOT = 3

DOCUMENTS = [
    (
        "ACCPCJ/2020/1",
        "Concept Paper of the 2nd ASEAN Conference on Crime Prevention and Criminal Justice",
        2,
    ),
    ("ACCPCJ/2020/2", "Discussion Guide for the Substantive Topics", 3),
    ("ACCPCJ/2020/3", "Draft Programme of the 2nd ACCPCJ", None),
    ("ACCPCJ/2020/4", "Concept Paper of the 2nd TIJ Youth Forum", 4),
]

AGENDA = [
    (1, "", "Opening of the Conference", ""),
    (2, "", f"Theme: “{THEME}”", ""),
    (3, "", "Substantive issue: Cybercrime", ""),
    (3, "a", "Cluster I: Culture of Prevention", ""),
    (3, "b", "Cluster II: Law and Justice", ""),
    (3, "c", "Cluster III: Innovation and Collaboration", ""),
    (4, "", "Presentations of the 2nd TIJ Youth Forum", ""),
    (
        5,
        "",
        "Chair's Summary",
        "The Chair's Summary, capturing the salient points and"
        " recommendations discussed, will be submitted to the 19th ASLOM, to be held in"
        " Myanmar in 2020, and circulated to the relevant sectoral bodies of ASEAN.",
    ),
    (6, "", "Closing of the Conference", ""),
]


class Block(NamedTuple):
    """One session of the demo programme, in Bangkok wall-clock time."""

    track: str  # "main" or "youth"
    day: date
    starts: str
    ends: str
    kind: SessionKind
    title: str
    room: str | None = "Plenary Hall"
    roles: tuple[tuple[str, SpeakerRole], ...] = ()
    agenda: tuple[int, str] | None = None
    description: str = ""
    capacity: int | None = None
    slot: int | None = None


K = SessionKind
R = SpeakerRole

# The format of section 4 of the concept paper. Breakout sessions are added per cluster below.
PROGRAMME = [
    # Day 1, main conference.
    Block(
        "main", DAY_1, "09:00", "09:45", K.OPENING_CEREMONY,
        "Opening ceremony and high-level remarks",
        roles=(("chair", R.CHAIR), ("purba", R.PRESENTER), ("sisoulath", R.PRESENTER),
               ("sunthornvut", R.PRESENTER)),
        agenda=(1, ""),
        description="The Conference is opened by the Chair, followed by high-level remarks.",
    ),
    Block(
        "main", DAY_1, "09:45", "10:30", K.KEYNOTE,
        "Keynotes: a culture of prevention for a collaborative and innovative justice for all",
        roles=(("kittipong", R.KEYNOTE_SPEAKER), ("douglas", R.KEYNOTE_SPEAKER)),
        agenda=(2, ""),
    ),
    Block("main", DAY_1, "10:30", "10:45", K.BREAK, "Coffee break", room=None),
    Block(
        "main", DAY_1, "10:45", "11:30", K.PANEL_DISCUSSION,
        "Panel discussion 1: Cybercrime in ASEAN and the culture of prevention",
        roles=(("kittipong", R.MODERATOR), ("purba", R.PANELLIST), ("aseanapol", R.PANELLIST),
               ("interpol", R.PANELLIST)),
        agenda=(3, ""),
        description="Data-related, computer-related and content-related offences in the region,"
        " and what a culture of good governance and of moderation can do to prevent them.",
    ),
    Block(
        "main", DAY_1, "11:30", "11:50", K.OPEN_DISCUSSION, "Open discussion",
        roles=(("kittipong", R.MODERATOR),), agenda=(3, ""),
    ),
    Block(
        "main", DAY_1, "11:50", "12:35", K.PANEL_DISCUSSION,
        "Panel discussion 2: International cooperation against cybercrime: laws, electronic"
        " evidence and partnerships",
        roles=(("douglas", R.MODERATOR), ("somtc", R.PANELLIST), ("unafei", R.PANELLIST),
               ("unicri", R.PANELLIST)),
        agenda=(3, ""),
        description="Harmonization of laws on cybercrime and electronic evidence, accession to"
        " regional and international instruments, and cooperation among ASEAN bodies, ASEANAPOL"
        " and INTERPOL.",
    ),
    Block(
        "main", DAY_1, "12:35", "13:00", K.OPEN_DISCUSSION, "Open discussion",
        roles=(("douglas", R.MODERATOR),), agenda=(3, ""),
    ),
    Block("main", DAY_1, "13:00", "14:00", K.BREAK, "Lunch break", room=None),
    Block("main", DAY_1, "15:30", "15:45", K.BREAK, "Coffee break", room=None),
    # Day 2, main conference.
    Block(
        "main", DAY_2, "09:00", "10:30", K.RAPPORTEUR_PRESENTATIONS,
        "Presentations of the breakout sessions by the rapporteurs",
        roles=(("chair", R.CHAIR), ("rapporteur_1", R.RAPPORTEUR),
               ("rapporteur_2", R.RAPPORTEUR), ("rapporteur_3", R.RAPPORTEUR)),
        agenda=(3, ""),
    ),
    Block("main", DAY_2, "10:30", "10:45", K.BREAK, "Coffee break", room=None),
    Block(
        "main", DAY_2, "10:45", "12:00", K.YOUTH_FORUM_PRESENTATIONS,
        "2nd TIJ Youth Forum presentations and open discussion",
        roles=(("chair", R.CHAIR), ("youth", R.PRESENTER)),
        agenda=(4, ""),
    ),
    Block("main", DAY_2, "12:00", "13:30", K.BREAK, "Lunch break", room=None),
    Block(
        "main", DAY_2, "13:30", "14:30", K.CHAIRS_SUMMARY_AND_CLOSING,
        "Chair's Summary and closing remarks",
        roles=(("chair", R.CHAIR), ("kittipong", R.PRESENTER)),
        agenda=(5, ""),
        description="The Chair delivers the Chair's Summary, to be submitted to the 19th ASLOM,"
        " before giving closing remarks.",
    ),
    # The 2nd TIJ Youth Forum, in parallel with the main conference.
    Block(
        "youth", DAY_1, "10:45", "11:15", K.OPENING_CEREMONY,
        "Opening of the 2nd TIJ Youth Forum", room="Youth Forum Room",
        roles=(("facilitator", R.MODERATOR),), agenda=(4, ""),
    ),
    Block(
        "youth", DAY_1, "11:15", "13:00", K.WORKSHOP, "Design Thinking workshop",
        room="Youth Forum Room", roles=(("facilitator", R.MODERATOR),), agenda=(4, ""),
        capacity=WORKSHOP_CAPACITY,
        slot=WORKSHOP_SLOT,
        description="Enables the youth participants to adopt an innovative and collaborative"
        " approach to the main theme, and essentially to cybercrime prevention.",
    ),
    Block(
        "youth", DAY_1, "14:00", "15:30", K.WORKSHOP, "Team work: ideas for preventing cybercrime",
        room="Youth Forum Room", roles=(("facilitator", R.MODERATOR),), agenda=(4, ""),
    ),
    Block(
        "youth", DAY_1, "15:45", "17:15", K.WORKSHOP, "Team work: prototypes and feedback",
        room="Youth Forum Room", roles=(("facilitator", R.MODERATOR),), agenda=(4, ""),
    ),
    Block(
        "youth", DAY_2, "09:00", "10:30", K.OTHER, "Preparation of the Youth Forum presentations",
        room="Youth Forum Room", roles=(("facilitator", R.MODERATOR),), agenda=(4, ""),
    ),
]  # fmt: skip

# The two afternoon breakout sessions of Day 1, each running the three clusters at once.
BREAKOUT_SLOTS = {1: (DAY_1, "14:00", "15:30"), 2: (DAY_1, "15:45", "17:15")}


def load_demo(reset: bool = False, echo: Callable[[str], None] = print) -> bool:
    """Load the demo meetings and accounts; True if they were loaded, False if already there."""
    try:
        if reset:
            _remove_demo()
        elif _find_meeting(DEMO_SLUG) is not None:
            echo("The demo meeting is loaded already; nothing changed (use --reset to reload).")
            _echo_accounts(echo)
            return False
        first_new = (db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0) + 1
        _build_demo()
        # The demo's registrations, places and reviews are not news to anyone: their notices
        # are not sent (a dev server would otherwise print a hundred of them).
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id >= first_new))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    echo(
        "Loaded the 2nd ACCPCJ (Bangkok, 27-28 February 2020) and the Consultative Group Meeting"
        " that prepared it (Phuket, 13-14 October 2019)."
    )
    _echo_accounts(echo)
    return True


def _echo_accounts(echo: Callable[[str], None]) -> None:
    echo("")
    echo(f"Demo meeting: /meetings/{DEMO_SLUG}/")
    echo(f"Second demo meeting (concluded, report public): /meetings/{RPM_SLUG}/")
    echo("")
    echo(f"{'role':<12} {'email':<26} password")
    for role, email, _name in DEMO_ACCOUNTS:
        echo(f"{role.value:<12} {email:<26} {DEMO_PASSWORD}")


def _find_meeting(slug: str) -> Meeting | None:
    return db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))


def _remove_demo() -> None:
    """Delete the demo meetings and the demo accounts (flushes, never commits)."""
    remove_rpm()
    ids = list(
        db.session.scalars(
            sa.select(Meeting.id).where(Meeting.slug.in_([DEMO_SLUG, PREPARATORY_SLUG]))
        )
    )
    if ids:
        # Sessions first: a track refuses to go while sessions still use it (ON DELETE RESTRICT).
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
    # The demo accounts and the made-up participants all live under @plenary.demo.
    db.session.execute(
        sa.delete(User)
        .where(User.email.like("%@plenary.demo"))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire_all()


def _local(day: date, clock: str) -> datetime:
    """A Bangkok wall-clock time ("09:00") as an aware UTC datetime."""
    return to_utc(datetime.combine(day, time.fromisoformat(clock)), TIMEZONE)


def _account(email: str, name: str) -> User:
    """The demo account with this email, created if it is missing."""
    return find_user(email) or create_user(email, name, DEMO_PASSWORD)


def _build_demo() -> None:
    """Add both meetings with everything in them to the session (flushes, never commits)."""
    accounts = {role: _account(email, name) for role, email, name in DEMO_ACCOUNTS}
    # The demo organiser may create meetings of their own, as a site administrator allows.
    accounts[RoleName.ORGANISER].can_create_meetings = True

    cgm = Meeting(
        slug=PREPARATORY_SLUG,
        title="Consultative Group Meeting on the 2nd ASEAN Conference on Crime Prevention and"
        " Criminal Justice",
        short_title="Consultative Group Meeting",
        kind=MeetingKind.CONSULTATIVE_MEETING,
        theme=THEME,
        substantive_issue="Cybercrime",
        city="Phuket",
        country="Thailand",
        timezone=TIMEZONE,
        first_day=date(2019, 10, 13),
        last_day=date(2019, 10, 14),
        host_body="Government of Thailand",
        convening_body=f"{TIJ}, on behalf of the Government of Thailand",
        reports_to="ASEAN Senior Law Officials Meeting (ASLOM)",
        status=MeetingStatus.CONCLUDED,
    )
    meeting = Meeting(
        slug=DEMO_SLUG,
        title="The 2nd ASEAN Conference on Crime Prevention and Criminal Justice",
        short_title="2nd ACCPCJ",
        kind=MeetingKind.CONFERENCE,
        theme=THEME,
        substantive_issue="Cybercrime",
        city="Bangkok",
        country="Thailand",
        timezone=TIMEZONE,
        first_day=DAY_1,
        last_day=DAY_2,
        host_body=f"Government of Thailand, with the {TIJ}",
        convening_body="ASEAN Senior Law Officials Meeting (ASLOM)",
        reports_to="19th ASEAN Senior Law Officials Meeting (ASLOM), Myanmar, 2020",
        status=MeetingStatus.PUBLISHED,
        prepared_by=cgm,
    )
    db.session.add_all([cgm, meeting])
    db.session.flush()

    db.session.add(
        MeetingRole(
            meeting_id=cgm.id, user_id=accounts[RoleName.ORGANISER].id, role=RoleName.ORGANISER
        )
    )
    for role, user in accounts.items():
        db.session.add(MeetingRole(meeting_id=meeting.id, user_id=user.id, role=role))

    people = {
        key: Person(
            meeting_id=meeting.id,
            honorific=honorific,
            name=name,
            position=position,
            organisation=organisation,
            country=country,
        )
        for key, (honorific, name, position, organisation, country) in PEOPLE.items()
    }
    people["chair"].user_id = accounts[RoleName.CHAIR].id
    people["rapporteur_1"].user_id = accounts[RoleName.RAPPORTEUR].id
    people["youth"].user_id = accounts[RoleName.PARTICIPANT].id
    db.session.add_all(people.values())

    main = Track(meeting_id=meeting.id, name="Main conference", kind=TrackKind.MAIN, position=0)
    youth = Track(
        meeting_id=meeting.id, name="2nd TIJ Youth Forum", kind=TrackKind.YOUTH_FORUM, position=1
    )
    rooms = {name: Room(meeting_id=meeting.id, name=name, capacity=n) for name, n in ROOMS.items()}
    db.session.add_all([main, youth, *rooms.values()])
    db.session.flush()

    agenda = _add_agenda(meeting)
    clusters = _add_clusters(meeting, people)
    _add_documents(meeting, agenda)

    db.session.add_all(
        [
            Officer(
                meeting_id=meeting.id,
                person_id=people["chair"].id,
                office=Office.CHAIR,
                elected_on=DAY_1,
            ),
            Officer(
                meeting_id=meeting.id,
                person_id=people["rapporteur_1"].id,
                office=Office.RAPPORTEUR,
                elected_on=DAY_1,
            ),
            Registration(
                meeting_id=meeting.id,
                user_id=accounts[RoleName.PARTICIPANT].id,
                person_id=people["youth"].id,
                delegation="Thailand",
                category=AttendanceCategory.YOUTH,
                status=RegistrationStatus.APPROVED,
            ),
        ]
    )

    _add_programme(meeting, {"main": main, "youth": youth}, rooms, people, clusters, agenda)
    db.session.flush()
    _add_participants(meeting, accounts[RoleName.PARTICIPANT])
    _add_delegations(meeting)
    _add_presence(meeting, accounts[RoleName.REGISTRATION_DESK])
    _add_outputs(meeting, accounts)
    # The second demo meeting: the 14th Congress's Asia-Pacific RPM, from its report (issue 12).
    build_rpm(accounts)


def _add_presence(meeting: Meeting, desk: User) -> None:
    """Who the registration desk checked in, as it would have in February 2020: most
    participants on both days, a few on the first only, some never (the desk's rule refuses
    those past days today, so the rows are written as the desk wrote them then)."""
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .order_by(Registration.id)
    ).all()
    for index, registration in enumerate(registrations):
        if index % 7 == 6:
            continue  # never came
        days = (DAY_1,) if index % 5 == 4 else (DAY_1, DAY_2)
        for day in days:
            minute = 15 + index % 40
            db.session.add(
                CheckIn(
                    meeting_id=meeting.id,
                    registration_id=registration.id,
                    day=day,
                    checked_in_at=_local(day, f"08:{minute:02d}"),
                    desk="Desk 2" if index % 2 else "Desk 1",
                    recorded_by_id=desk.id,
                    client_id="",
                )
            )
    db.session.flush()


# Delegations by attendance category, from the seeds; the people in them are made up.
PARTICIPANTS = {
    AttendanceCategory.MEMBER_STATE: [
        ("Brunei Darussalam", "Hajah Norhayati binti Ahmad"),
        ("Cambodia", "ចាន់ សុភា"),
        ("Cambodia", "Sok Dara"),
        ("Indonesia", "Dewi Kartika Sari"),
        ("Indonesia", "Bambang Hartono"),
        ("Lao People's Democratic Republic", "Khamphone Vongsay"),
        ("Malaysia", "Nurul Aisyah binti Rahman"),
        ("Myanmar", "Aung Ko Ko"),
        ("Myanmar", "Thandar Win"),
        ("Philippines", "Maria Cristina Reyes"),
        ("Philippines", "Jose Miguel Santos"),
        ("Singapore", "Tan Wei Ming"),
        ("Thailand", "ปิยะนุช ศรีสุข"),
        ("Thailand", "Somchai Wongsawat"),
        ("Thailand", "Kanokwan Chaiyaporn"),
        ("Viet Nam", "Nguyễn Thị Hồng Nhung"),
        ("Viet Nam", "Trần Quốc Bảo"),
    ],
    AttendanceCategory.OBSERVER_STATE: [
        ("Japan", "Takahashi Kenji"),
        ("Republic of Korea", "Kim Min-jun"),
        ("Australia", "Sarah Mitchell"),
        ("Timor-Leste", "José da Costa"),
    ],
    AttendanceCategory.UN_ENTITY: [
        ("UNODC", "Ana Lucía Fernández"),
        ("UNICEF", "Priya Raman"),
    ],
    AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: [
        ("Thailand Institute of Justice", "Ratchanee Boonmee"),
        ("UNAFEI", "Sato Yuki"),
        ("Korean Institute of Criminology", "Park Ji-woo"),
        ("UNICRI", "Marco Bianchi"),
    ],
    AttendanceCategory.INTERGOVERNMENTAL_ORGANISATION: [
        ("INTERPOL", "Olivier Martin"),
        ("ASEANAPOL", "Mohd Faizal bin Ismail"),
        ("ASEAN Secretariat", "Lim Siew Ling"),
    ],
    AttendanceCategory.NGO: [
        ("Asia Crime Prevention Foundation", "Hiroshi Yamamoto"),
        ("Global Alliance Against Traffic in Women", "Maya Gurung"),
    ],
    AttendanceCategory.ACADEMIA: [
        ("Chulalongkorn University", "Dr. Apinya Thongchai"),
        ("University of Cambridge", "Dr. Eleanor Hughes"),
    ],
    AttendanceCategory.PRIVATE_SECTOR: [
        ("ASEAN Business Advisory Council", "Rizal Pratama"),
    ],
    AttendanceCategory.YOUTH: [
        ("Thailand", "ณัฐวุฒิ แก้วมณี"),
        ("Viet Nam", "Lê Minh Châu"),
        ("Indonesia", "Putri Ayu Lestari"),
        ("Philippines", "Carlo Mendoza"),
        ("Cambodia", "Srey Pich"),
    ],
}


def _add_participants(meeting: Meeting, demo_participant: User) -> None:
    """Registrations across the categories, with cluster places taken as participants would.

    Each participant asks for a cluster in both breakout slots, and joins its waiting list when
    it is full; Cluster III fills up. Youth participants take the Design Thinking workshop.
    """
    sessions = db.session.scalars(
        sa.select(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.slot.is_not(None))
        .order_by(AgendaSession.slot, AgendaSession.cluster_id)
    ).all()
    breakouts = {(s.cluster.number, s.slot): s for s in sessions if s.cluster is not None}
    workshop = next(s for s in sessions if s.cluster is None)
    # Participants never sign in: one unusable password hash serves them all.
    unusable = generate_password_hash(secrets.token_hex(16))
    index = 0
    for category, members in PARTICIPANTS.items():
        for delegation, name in members:
            index += 1
            user = User(
                email=f"participant{index:02d}@plenary.demo", name=name, password_hash=unusable
            )
            db.session.add(user)
            db.session.flush()
            registration = register(meeting, user, delegation=delegation, category=category)
            if category == AttendanceCategory.YOUTH:
                take_place(registration, workshop, wait=True)
                continue
            # Cluster III is the popular one: most ask for it in one slot or the other.
            first, second = (3, 1 + index % 2) if index % 3 else (1 + index % 2, 3)
            take_place(registration, breakouts[(first, 1)], wait=True)
            take_place(registration, breakouts[(second, 2)], wait=True)
    own = db.session.scalar(
        sa.select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.user_id == demo_participant.id
        )
    )
    take_place(own, workshop, wait=True)


def _add_delegations(meeting: Meeting) -> None:
    """The delegations the registrations named, as records (issue 14): the registration window
    of the concept paper's timeline, each State's first member as its head of delegation, and
    Japan's focal point invited, with a nominee who has not claimed an account yet."""
    save_window(meeting, opens_on=date(2020, 1, 6), closes_on=date(2020, 2, 20),
                members_per_delegation=None)  # fmt: skip
    heads: set[int] = set()
    for registration in db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.delegation_id.is_not(None))
        .order_by(Registration.id)
    ):
        if registration.category.is_state and registration.delegation_id not in heads:
            heads.add(registration.delegation_id)
            registration.member_role = MemberRole.HEAD
    japan = find_by_name(meeting, "Japan")
    invite_focal_point(japan, "focal.japan@plenary.demo")
    add_member(japan, by_focal_point=False, role=MemberRole.ADVISER, honorific="Ms.",
               name="Suzuki Haruka", position="Adviser, Ministry of Justice",
               email="nominee.japan@plenary.demo", nationality="Japanese")  # fmt: skip


def _add_programme(meeting, tracks, rooms, people, clusters, agenda) -> None:
    """The sessions of PROGRAMME and the breakout sessions, with their people in roles."""

    def add(block: Block, **fields) -> None:
        session_ = AgendaSession(
            meeting_id=meeting.id,
            track_id=tracks[block.track].id,
            room_id=rooms[block.room].id if block.room else None,
            kind=block.kind,
            title=block.title,
            description=block.description,
            starts_at=_local(block.day, block.starts),
            ends_at=_local(block.day, block.ends),
            capacity=block.capacity,
            agenda_item_id=agenda[block.agenda].id if block.agenda else None,
            **{"slot": block.slot, **fields},
        )
        for position, (key, role) in enumerate(block.roles):
            session_.people.append(SessionPerson(person=people[key], role=role, position=position))
        db.session.add(session_)

    for block in PROGRAMME:
        add(block)
    cluster_people = {
        number: (moderator, rapporteur) for number, *_, moderator, rapporteur in CLUSTERS
    }
    for slot, (day, starts, ends) in BREAKOUT_SLOTS.items():
        for cluster in clusters:
            block = Block(
                "main",
                day,
                starts,
                ends,
                SessionKind.BREAKOUT,
                f"Breakout session {slot}: {cluster.label}",
                room=CLUSTER_ROOMS[cluster.number],
                roles=(
                    (cluster_people[cluster.number][0], SpeakerRole.MODERATOR),
                    (cluster_people[cluster.number][1], SpeakerRole.RAPPORTEUR),
                ),
                agenda=(3, "abc"[cluster.number - 1]),
            )
            add(block, cluster_id=cluster.id, slot=slot)


def _add_agenda(meeting: Meeting) -> dict[tuple[int, str], AgendaItem]:
    items: dict[tuple[int, str], AgendaItem] = {}
    for number, letter, title, annotation in AGENDA:
        item = AgendaItem(
            meeting_id=meeting.id,
            number=number,
            letter=letter,
            title=title,
            annotation=annotation,
            parent=items[(number, "")] if letter else None,
        )
        db.session.add(item)
        items[(number, letter)] = item
    db.session.flush()
    return items


def _add_clusters(meeting: Meeting, people: dict[str, Person]) -> list[Cluster]:
    clusters = []
    for number, title, topics, guide, moderator_key, rapporteur_key in CLUSTERS:
        cluster = Cluster(
            meeting_id=meeting.id,
            number=number,
            title=title,
            discussion_guide=guide,
            capacity=CLUSTER_CAPACITIES.get(number, CLUSTER_CAPACITY),
            moderator=people[moderator_key],
            rapporteur=people[rapporteur_key],
        )
        for position, topic in enumerate(topics):
            cluster.topics.append(ClusterTopic(position=position, title=topic))
        db.session.add(cluster)
        clusters.append(cluster)
    db.session.flush()
    return clusters


def _add_documents(meeting: Meeting, agenda: dict[tuple[int, str], AgendaItem]) -> None:
    for symbol, title, agenda_number in DOCUMENTS:
        db.session.add(
            Document(
                meeting_id=meeting.id,
                symbol=symbol,
                title=title,
                doc_type=DocumentType.GENERAL,
                agenda_item_id=agenda[(agenda_number, "")].id if agenda_number else None,
            )
        )


# Rapporteur outputs (issue 5): approved outputs for the three clusters and the youth forum, one
# output in each other state, and an issued Chair's Summary. The text is adapted from the concept
# paper's cluster topics, in the style of the seed reports.
OUTPUT_RAPPORTEURS = {
    "cluster-2": ("rapporteur2@plenary.demo", "Demo Rapporteur, Cluster II"),
    "cluster-3": ("rapporteur3@plenary.demo", "Demo Rapporteur, Cluster III"),
    "youth": ("rapporteur-youth@plenary.demo", "Demo Rapporteur, 2nd TIJ Youth Forum"),
}

APPROVED_OUTPUTS = {
    1: (
        [
            "The Meeting recognized that the ASEAN Declaration on Culture of Prevention offered a"
            " common basis for preventing cybercrime, and that a preventive mind-set had to be"
            " built at all levels of society, starting with families and schools.",
            "Participants stressed that digital literacy, grounded in the ASEAN Core Values on"
            " Digital Literacy (responsibility, empathy, authenticity, discernment and"
            " integrity), helped people avoid becoming either offenders or victims online.",
            "It was noted that cyberbullying and the online sexual exploitation of children"
            " required cooperation between ASEAN sectoral bodies, the ACWC and the private sector,"
            " including platform providers.",
        ],
        [
            "Integrate digital literacy into school curricula and community programmes across"
            " ASEAN Member States",
            "Strengthen cooperation between ASEAN sectoral bodies and the private sector to"
            " prevent cyberbullying and the online sexual exploitation of children",
            "Promote a culture of good governance and moderation online, including through"
            " campaigns against deliberate falsehoods",
        ],
    ),
    2: (
        [
            "The Meeting noted that cyber criminals operated across jurisdictions, often within"
            " organized criminal groups, and that offenders and victims were usually in different"
            " countries.",
            "Participants identified differences among national laws on data-related,"
            " computer-related and content-related offences as an obstacle to mutual legal"
            " assistance and extradition.",
            "The importance of the timely handling and exchange of electronic evidence, and of"
            " judicial training and digital forensics capacity, was emphasized.",
        ],
        [
            "Harmonize national legislation on cybercrime and electronic evidence, taking into"
            " account regional and international instruments",
            "Establish faster channels for mutual legal assistance in cybercrime cases among"
            " ASEAN Member States",
            "Enhance the training of judges, prosecutors and investigators in digital forensics",
        ],
    ),
    3: (
        [
            "The Meeting recognized that economic integration and rapidly changing technology had"
            " made cybercrime a major concern, and that criminals were quick to adopt new tools.",
            "Participants highlighted partnerships with industry, academia and Dialogue Partners"
            " as a source of capacity-building for law enforcement and the judiciary.",
        ],
        [
            "Develop public-private partnerships on capacity-building against cybercrime",
            "Assess the opportunities and risks of the technologies of Industry 4.0 for crime"
            " prevention and criminal justice",
        ],
    ),
    "youth": (
        [
            "Youth participants presented the ideas developed in the Design Thinking workshop to"
            " prevent cybercrime among young people, including peer-to-peer education and"
            " reporting tools designed with young users.",
            "The Meeting welcomed the contribution of the 2nd TIJ Youth Forum and emphasized the"
            " role of young people as agents of positive change.",
        ],
        [
            "Engage young people in the design of cybercrime prevention programmes",
            "Support peer-to-peer education on online safety in schools and universities",
        ],
    ),
}

CHAIRS_INTRODUCTION = (
    "The 2nd ASEAN Conference on Crime Prevention and Criminal Justice was held in Bangkok on 27"
    " and 28 February 2020 under the theme “" + THEME + "”, with cybercrime as its substantive"
    " issue.\n\n"
    "The Conference was hosted by the Government of Thailand, with the Thailand Institute of"
    " Justice, and brought together representatives of ASEAN Member States, the ASEAN"
    " Secretariat, United Nations entities, academia, the private sector and youth."
)
CHAIRS_CONCLUSIONS = (
    "The Chair thanked the participants for their contributions and the Government of Thailand"
    " for hosting the Conference.\n\n"
    "This Chair's Summary will be submitted to the 19th ASEAN Senior Law Officials Meeting and"
    " circulated to the relevant sectoral bodies of ASEAN."
)


def _add_outputs(meeting: Meeting, accounts: dict) -> None:
    """Rapporteur outputs in every state and an issued Chair's Summary (flushes only)."""
    chair = accounts[RoleName.CHAIR]
    users = {"cluster-1": accounts[RoleName.RAPPORTEUR]}
    for key, (email, name) in OUTPUT_RAPPORTEURS.items():
        users[key] = _account(email, name)
        db.session.add(
            MeetingRole(meeting_id=meeting.id, user_id=users[key].id, role=RoleName.RAPPORTEUR)
        )
    db.session.flush()
    sessions = {
        s.title: s
        for s in db.session.scalars(
            sa.select(AgendaSession).where(AgendaSession.meeting_id == meeting.id)
        )
    }
    clusters = {
        c.number: c
        for c in db.session.scalars(sa.select(Cluster).where(Cluster.meeting_id == meeting.id))
    }
    youth = next(s for s in sessions.values() if s.kind == SessionKind.YOUTH_FORUM_PRESENTATIONS)

    def draft(target: str, user: User, summary, recommendations):
        output = workflow.assign_rapporteur(meeting, target=target, rapporteur_id=user.id)
        workflow.save_output(
            output,
            author=user,
            base_revision=output.revision_number,
            summary=list(summary),
            recommendations=list(recommendations),
            not_negotiated=True,
        )
        return output

    for key, (summary, recommendations) in APPROVED_OUTPUTS.items():
        if key == "youth":
            target, user = f"session-{youth.id}", users["youth"]
        else:
            target, user = f"cluster-{clusters[key].id}", users[f"cluster-{key}"]
        output = draft(target, user, summary, recommendations)
        workflow.submit_output(output, user)
        workflow.approve_output(output, chair)

    # The other states, on the plenary sessions of day 1.
    plenary = sorted(
        (
            s
            for s in sessions.values()
            if s.kind in (SessionKind.KEYNOTE, SessionKind.PANEL_DISCUSSION)
        ),
        key=lambda s: s.starts_at,
    )
    if len(plenary) >= 3:
        returned = draft(
            f"session-{plenary[0].id}",
            users["cluster-1"],
            ["The keynote speaker outlined the ASEAN Culture of Prevention."],
            [],
        )
        workflow.submit_output(returned, users["cluster-1"])
        workflow.return_output(
            returned, chair, "Please add the keynote's three main messages and a recommendation."
        )
        submitted = draft(
            f"session-{plenary[1].id}",
            users["cluster-2"],
            ["The panel discussed regional cooperation against cybercrime."],
            ["Strengthen regional cooperation against cybercrime"],
        )
        workflow.submit_output(submitted, users["cluster-2"])
        draft(
            f"session-{plenary[2].id}",
            users["cluster-3"],
            ["Notes taken during the panel; to be completed."],
            [],
        )

    chairs_summary = summary_of(meeting)
    save_summary(
        chairs_summary, introduction=CHAIRS_INTRODUCTION, general_conclusions=CHAIRS_CONCLUSIONS
    )
    # Issued at the closing session, as the Chair delivered it.
    issue_summary(meeting, chair, render_chairs_summary_pdf, issued_at=_local(DAY_2, "14:00"))
