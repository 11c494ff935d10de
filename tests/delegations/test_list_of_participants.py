"""The list of participants PDF (A/CONF.234/RPM.1/INF/2), read back with pdftotext and
compared with the data: categories in the UN order, delegations alphabetical, head first."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory, MemberRole
from app.extensions import db
from app.meetings.models import Document, DocumentType
from app.registration.members import add_member
from app.registration.models import RegistrationStatus
from tests import factories
from tests.conftest import CSRF_META

C = AttendanceCategory
DATA = [
    # (delegation, category, [(role, honorific, name, position)])
    ("Thailand", C.MEMBER_STATE, [
        (MemberRole.ADVISER, "Ms.", "Nathee Chitsawang", "Adviser"),
        (MemberRole.HEAD, "Mr.", "Kittipong Kittayarak", "Executive Director"),
    ]),
    ("Australia", C.MEMBER_STATE, [(MemberRole.HEAD, "Ms.", "Jane Smith", "Ambassador")]),
    ("Lebanon", C.OBSERVER_STATE, [(MemberRole.HEAD, "Mr.", "Karim Haddad", "Counsellor")]),
    ("UNODC", C.UN_ENTITY, [(MemberRole.MEMBER, "Mr.", "John Brandolino", "Director")]),
    ("Japan Federation of Bar Associations", C.NGO, [
        (MemberRole.HEAD, "Mr.", "Taro Yamada", "Attorney"),
    ]),
    ("Thailand Institute of Justice", C.PROGRAMME_NETWORK_INSTITUTE, [
        (MemberRole.HEAD, "Dr.", "Phiset Sa-ardyen", "Executive Director"),
    ]),
]  # fmt: skip


@pytest.fixture
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext is not installed")
    return path


def test_the_list_of_participants_pdf_holds_the_data_in_un_order(client, sign_in, pdftotext):
    organiser = factories.make_user()
    meeting = factories.make_meeting(
        "rpm", organiser=organiser, first_day=date(2099, 3, 1), last_day=date(2099, 3, 2)
    )
    for name, category, members in DATA:
        delegation = save_delegation(meeting, name=name, category=category)
        for role, honorific, person, position in members:
            add_member(delegation, by_focal_point=False, role=role, honorific=honorific,
                       name=person, position=position)  # fmt: skip
    qatar = save_delegation(meeting, name="Qatar", category=C.OBSERVER_STATE)
    withdrawn = add_member(qatar, by_focal_point=False, name="Not Approved")
    withdrawn.status = RegistrationStatus.DECLINED
    db.session.commit()
    sign_in(organiser)
    token = CSRF_META.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post(
        "/meetings/rpm/manage/list-of-participants",
        data={"csrf_token": token, "symbol": "A/CONF.234/RPM.1/INF/2"},
    )
    assert response.status_code == 302
    document = db.session.query(Document).one()
    assert document.title == "List of participants"
    assert document.doc_type == DocumentType.INFORMATION
    assert document.url.endswith("/meetings/rpm/list-of-participants.pdf")
    # Entering it again updates the same entry.
    client.post("/meetings/rpm/manage/list-of-participants",
                data={"csrf_token": token, "symbol": "A/CONF.234/RPM.1/INF/2"})  # fmt: skip
    assert db.session.query(Document).count() == 1

    pdf = client.get("/meetings/rpm/list-of-participants.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/list-of-participants.pdf").write_bytes(pdf.data)
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert "A/CONF.234/RPM.1/INF/2" in lines[0]
    assert "Provisional list of participants" in lines
    wanted = [
        "States members",
        "Australia",
        "Ms. Jane Smith, Ambassador (Head of delegation)",
        "Thailand",
        "Mr. Kittipong Kittayarak, Executive Director (Head of delegation)",
        "Ms. Nathee Chitsawang, Adviser",
        "States represented by observers",
        "Lebanon",
        "Mr. Karim Haddad, Counsellor (Head of delegation)",
        "United Nations entities",
        "UNODC",
        "Mr. John Brandolino, Director",
    ]
    positions = [next(i for i, line in enumerate(lines) if line == w) for w in wanted]
    assert positions == sorted(positions), list(zip(wanted, positions, strict=True))
    joined = " ".join(lines)
    # Institutes before NGOs, as the UN orders them; a declined member is not listed.
    assert joined.index("Thailand Institute of Justice") < joined.index("Japan Federation")
    assert "in consultative status with the Economic and Social Council" in joined
    assert "Not Approved" not in joined and "Qatar" not in joined


def test_the_list_is_hidden_until_entered_in_the_documents(client):
    factories.make_meeting("quiet")
    db.session.commit()
    assert client.get("/meetings/quiet/list-of-participants.pdf").status_code == 404
