"""The programme spreadsheet: export, a previewed import that matches rows to sessions, and the
round trip (the same file twice changes nothing)."""

import csv
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.programme import transfer
from app.programme.models import AgendaSession, ProgrammeChange, Room, SpeakerRole
from app.spreadsheets import read_table
from tests import factories

HEADER = list(transfer.COLUMNS)


def _meeting():
    organiser = factories.make_user()
    meeting = factories.make_meeting(organiser=organiser)
    track = factories.make_track(meeting, "Main conference")
    hall = factories.make_room(meeting, "Plenary Hall")
    speaker = factories.make_person(meeting, "Kittipong Kittayarak", honorific="Dr.")
    factories.make_session(
        meeting, title="Opening", track=track, room=hall,
        starts_at=factories.local(meeting, 1, 9),
        people=[(speaker, SpeakerRole.CHAIR)],
    )  # fmt: skip
    db.session.commit()
    return meeting, organiser


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(**values):
    row = dict.fromkeys(HEADER, "")
    row.update(values)
    return [row[name] for name in HEADER]


def _plan(meeting, rows, create_missing=False):
    table = read_table("p.csv", _csv(rows), max_bytes=10**6, max_rows=1000)
    return transfer.plan_import(meeting, table, create_missing=create_missing)


def _sessions(meeting):
    return db.session.scalar(
        select(func.count())
        .select_from(AgendaSession)
        .where(AgendaSession.meeting_id == meeting.id)
    )


def test_rows_are_matched_by_id_or_by_title_on_their_day():
    meeting, organiser = _meeting()
    [opening] = db.session.scalars(select(AgendaSession)).all()
    rows = [
        HEADER,
        _row(ID=opening.id, Day="2020-02-27", Start="09:30", End="10:30", Title="Opening",
             Kind="opening_ceremony", Track="Main conference", Room="Plenary Hall",
             People="chair: Dr. Kittipong Kittayarak"),
        _row(Day="2020-02-27", Start="11:00", End="12:00", Title="Panel on cybercrime",
             Kind="Panel discussion", Track="Main conference", Room="Plenary Hall",
             People="moderator: Ms. Nguyễn Thị Hương; panellist: Dr. Kittipong Kittayarak"),
    ]  # fmt: skip
    plan = _plan(meeting, rows)
    assert [r.outcome for r in plan.rows] == ["update", "new"]
    assert "start" in plan.rows[0].message
    assert plan.new_people == ["Ms. Nguyễn Thị Hương"]
    assert _sessions(meeting) == 1  # a plan saves nothing

    transfer.apply_import(meeting, plan, actor_id=organiser.id)
    db.session.commit()
    assert _sessions(meeting) == 2
    panel = db.session.scalar(select(AgendaSession).where(AgendaSession.title.like("Panel%")))
    assert [e.person.display_name for e in panel.people] == [
        "Ms. Nguyễn Thị Hương",
        "Dr. Kittipong Kittayarak",
    ]
    # The same file again: every row unchanged, and nothing to save.
    again = _plan(meeting, rows)
    assert [r.outcome for r in again.rows] == ["unchanged", "unchanged"]
    assert again.changes == 0


def test_bad_rows_are_errors_with_a_reason_and_block_the_import():
    meeting, organiser = _meeting()
    rows = [
        HEADER,
        _row(Day="2020-02-27", Start="11:00", End="10:00", Title="Backwards",
             Track="Main conference"),
        _row(Day="2020-02-27", Start="11:00", End="12:00", Title="Somewhere",
             Track="Main conference", Room="Ballroom"),
        _row(Day="2020-03-27", Start="11:00", End="12:00", Title="Late", Track="Main conference"),
        _row(ID="999999", Day="2020-02-27", Start="11:00", End="12:00", Title="Whose?",
             Track="Main conference"),
    ]  # fmt: skip
    plan = _plan(meeting, rows)
    messages = [r.message for r in plan.rows]
    assert all(r.outcome == "error" for r in plan.rows)
    assert "must end after it starts" in messages[0]
    assert "Unknown room “Ballroom”" in messages[1]
    assert "Choose a day of the meeting" in messages[2]
    assert "ID 999999 is not a session of this meeting" in messages[3]
    try:
        transfer.apply_import(meeting, plan, actor_id=organiser.id)
    except Exception as error:  # noqa: BLE001
        assert "Correct the rows" in str(error)
    assert _sessions(meeting) == 1
    # Asked to, the import creates the room the file names.
    fixed = _plan(meeting, [HEADER, rows[2]], create_missing=True)
    assert fixed.rows[0].outcome == "new" and fixed.new_rooms == ["Ballroom"]
    transfer.apply_import(meeting, fixed, actor_id=organiser.id)
    assert db.session.scalar(select(Room).where(Room.name == "Ballroom")) is not None


def test_a_file_without_the_columns_says_which_are_missing():
    meeting, _organiser = _meeting()
    plan = _plan(meeting, [["Name", "When"], ["x", "y"]])
    assert "missing: Day, Start, End, Title, Track" in plan.problem


def test_the_export_imports_back_unchanged_as_csv_and_xlsx(client, sign_in):
    meeting, organiser = _meeting()
    sign_in(organiser)
    exported = client.get(f"/meetings/{meeting.slug}/manage/programme.csv")
    assert exported.status_code == 200
    table = read_table("p.csv", exported.data, max_bytes=10**6, max_rows=1000)
    plan = transfer.plan_import(meeting, table, create_missing=False)
    assert [r.outcome for r in plan.rows] == ["unchanged"]
    xlsx = client.get(f"/meetings/{meeting.slug}/manage/programme.xlsx")
    table = read_table("p.xlsx", xlsx.data, max_bytes=10**6, max_rows=1000)
    assert table[0] == HEADER
    plan = transfer.plan_import(meeting, table, create_missing=False)
    assert [r.outcome for r in plan.rows] == ["unchanged"]


def test_preview_then_confirm_over_http(client, sign_in, csrf_token):
    meeting, organiser = _meeting()
    sign_in(organiser)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_row(Day="2020-02-28", Start="09:00", End="10:00", Title="Day two opens",
                      Kind="keynote", Track="Main conference", Room="Plenary Hall"))  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    url = f"/meetings/{meeting.slug}/manage/programme/import"
    preview = client.post(
        url,
        data={"csrf_token": csrf_token(), "file": (io.BytesIO(buffer.getvalue()), "p.xlsx")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "New session" in page and "Import 1 row" in page
    assert _sessions(meeting) == 1  # nothing saved yet
    content = page.split('name="content" type="hidden" value="')[1].split('"')[0]
    done = client.post(
        f"{url}/confirm",
        data={"csrf_token": csrf_token(), "content": content, "filename": "p.xlsx"},
        follow_redirects=True,
    )
    assert "Imported: 1 new sessions, 0 changed." in done.get_data(as_text=True)
    assert _sessions(meeting) == 2
    assert db.session.scalar(select(func.count()).select_from(ProgrammeChange)) == 1
    # A file that is no spreadsheet: a clear message, nothing saved.
    junk = client.post(
        url,
        data={"csrf_token": csrf_token(), "file": (io.BytesIO(b"PK\x03\x04junk"), "p.xlsx")},
        content_type="multipart/form-data",
    )
    assert "could not be read" in junk.get_data(as_text=True)
