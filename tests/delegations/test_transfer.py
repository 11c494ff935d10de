"""Import and export of delegations and members: matching, idempotence, the round trip in CSV
and XLSX, a 500-row file with 10 faulty rows, and the bad files of the issue."""

import gc
import io
import warnings
from datetime import date

import pytest
from openpyxl import Workbook

from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory, Delegation, MemberRole
from app.extensions import db
from app.registration import transfer
from app.registration.members import add_member
from app.registration.models import Registration
from app.spreadsheets import SpreadsheetError, read_table
from tests import factories
from tests.conftest import CSRF_META

HEADER = list(transfer.COLUMNS)


@pytest.fixture
def meeting():
    return factories.make_meeting("rpm", first_day=date(2099, 3, 1), last_day=date(2099, 3, 2))


def _csv(rows) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plan(meeting, data, name="list.csv"):
    return transfer.plan_import(
        meeting, read_table(name, data, max_bytes=2 * 1024 * 1024, max_rows=5000, formulas=True)
    )


ROWS = [
    HEADER,
    ["Thailand", "member_state", "head", "Mr.", "Kittipong Kittayarak", "Executive Director",
     "Thailand Institute of Justice", "kk@example.th", "Thai"],
    ["Thailand", "Member State", "adviser", "Ms.", "Nathee Chitsawang", "Adviser", "", "", ""],
    ["Lebanon", "observer_state", "", "", "", "", "", "", ""],
    ["UNODC", "un_entity", "Member", "Mr.", "John Brandolino", "Director", "", "", ""],
]  # fmt: skip


def test_a_first_import_adds_and_a_second_changes_nothing(meeting):
    plan = _plan(meeting, _csv(ROWS))
    assert [row.outcome for row in plan.rows] == ["new"] * 4
    assert plan.new_delegations == ["Lebanon", "Thailand", "UNODC"]
    assert db.session.query(Delegation).count() == 0  # a plan saves nothing
    transfer.apply_import(meeting, plan)
    thailand = db.session.query(Delegation).filter_by(name="Thailand").one()
    members = db.session.query(Registration).filter_by(delegation_id=thailand.id).all()
    assert {m.person.name: m.member_role for m in members} == {
        "Kittipong Kittayarak": MemberRole.HEAD,
        "Nathee Chitsawang": MemberRole.ADVISER,
    }
    again = _plan(meeting, _csv(ROWS))
    assert [row.outcome for row in again.rows] == ["unchanged"] * 4
    assert transfer.apply_import(meeting, again) == {"new": 0, "update": 0}


def test_a_person_is_matched_by_email_else_by_name_and_updated(meeting):
    transfer.apply_import(meeting, _plan(meeting, _csv(ROWS)))
    changed = [row[:] for row in ROWS]
    changed[1][5] = "Director-General"  # position, matched by e-mail though renamed
    changed[1][4] = "Kittipong Kittayarak (Dr.)"
    changed[2][3] = "Dr."  # matched by name within Thailand
    plan = _plan(meeting, _csv(changed))
    outcomes = [(row.outcome, row.message) for row in plan.rows]
    assert outcomes[0] == ("update", "name, position")
    assert outcomes[1] == ("update", "honorific")
    transfer.apply_import(meeting, plan)
    assert db.session.query(Registration).count() == 3


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_imports_back_unchanged(meeting, kind):
    lebanon = save_delegation(meeting, name="Lebanon", category=AttendanceCategory.OBSERVER_STATE)
    add_member(lebanon, by_focal_point=False, name="Rania Haddad", role=MemberRole.HEAD,
               honorific="Ms.", position="-Ambassador", email="rania@example.lb")  # fmt: skip
    save_delegation(meeting, name="Qatar", category=AttendanceCategory.OBSERVER_STATE)
    from flask import current_app

    with current_app.test_request_context():
        from app.spreadsheets import csv_response, xlsx_response

        rows = transfer.export_rows(meeting)
        response = (csv_response if kind == "csv" else xlsx_response)(rows, f"x.{kind}")
    assert rows[1][:5] == ["Lebanon", "observer_state", "head", "Ms.", "Rania Haddad"]
    plan = _plan(meeting, response.get_data(), f"export.{kind}")
    assert plan.problem == "" and [row.outcome for row in plan.rows] == ["unchanged"] * 2


def test_500_rows_with_10_faulty_list_exactly_those_and_save_nothing(client, sign_in):
    organiser = factories.make_user()
    factories.make_meeting("big", organiser=organiser, first_day=date(2099, 3, 1),
                                     last_day=date(2099, 3, 2))  # fmt: skip
    rows = [HEADER]
    faulty = set(range(20, 520, 50))  # 10 file lines
    for line in range(2, 502):
        row = [f"Delegation {line % 40}", "member_state", "member", "", f"Person {line}",
               "", "", f"p{line}@example.org", ""]  # fmt: skip
        if line in faulty:
            kind = len(rows) % 5
            if kind == 0:
                row[1] = "martian_state"
            elif kind == 1:
                row[4] = '=HYPERLINK("http://evil")'
            elif kind == 2:
                row[7] = "p2@example.org"  # the e-mail of line 2
            elif kind == 3:
                row[2] = "emperor"
            else:
                row[7] = "not an address"
        rows.append(row)
    db.session.commit()
    sign_in(organiser)
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post(
        "/meetings/big/manage/delegations/import",
        data={"csrf_token": token, "file": (io.BytesIO(_xlsx(rows)), "list.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    listed = sorted(faulty)
    assert f"Rows with errors: {', '.join(map(str, listed))}." in page
    assert page.count('class="row--error"') == 10
    assert db.session.query(Registration).count() == 0
    assert db.session.query(Delegation).count() == 0
    assert "Import " not in page.split("Rows with errors")[1]  # no button to confirm


def test_a_clean_file_is_confirmed_then_saved(client, sign_in):
    organiser = factories.make_user()
    factories.make_meeting("clean", organiser=organiser, first_day=date(2099, 3, 1),
                           last_day=date(2099, 3, 2))  # fmt: skip
    db.session.commit()
    sign_in(organiser)
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    page = client.post(
        "/meetings/clean/manage/delegations/import",
        data={"csrf_token": token, "file": (io.BytesIO(_csv(ROWS)), "list.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Import 4 rows" in page
    assert db.session.query(Registration).count() == 0
    content = page.split('name="content" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/meetings/clean/manage/delegations/import/confirm",
        data={"csrf_token": token, "content": content, "filename": "list.csv"},
    )
    assert response.status_code == 302
    assert db.session.query(Registration).count() == 3


BAD = {
    "wrong column": (_csv([["Delegation", "Category", "Name", "Shoe size"]]), "Unknown: Shoe size"),
    "missing column": (_csv([["Delegation", "Name"]]), "Missing: Category"),
    "latin-1": ("Delegation,Category,Name\nCôte d'Ivoire,member_state,A\n".encode("latin-1"),
                "UTF-8"),
    "100,000 rows": (_csv([HEADER] + [["A", "ngo", f"P{n}"] for n in range(100_000)]),
                     "more than 5000 rows"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_a_clear_message_and_nothing_is_saved(client, sign_in, case):
    data, message = BAD[case]
    organiser = factories.make_user()
    factories.make_meeting("bad", organiser=organiser)
    db.session.commit()
    sign_in(organiser)
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    with warnings.catch_warnings():
        # The test client spools a large body to a temporary file it never closes.
        warnings.simplefilter("ignore", ResourceWarning)
        response = client.post(
            "/meetings/bad/manage/delegations/import",
            data={"csrf_token": token, "file": (io.BytesIO(data), "list.csv")},
            content_type="multipart/form-data",
        )
        status, page = response.status_code, response.get_data(as_text=True)
        response.request.input_stream.close()
        del response
        gc.collect()
    assert status == 200
    assert message in page
    assert db.session.query(Delegation).count() == 0


def test_100000_small_rows_are_refused_by_count(meeting):
    data = _csv([HEADER] + [["A", "ngo", ""] for _n in range(100_000)])
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(SpreadsheetError, match="more than 5000 rows"):
        _plan(meeting, data)
