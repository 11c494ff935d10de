"""The venue's pages through the test client: the desk checks people in by name, by a badge's
code and by a camera's scan (JSON), refusals are messages and record nothing; the organiser's
counts, badges and certificates; query counts that do not grow with the participants."""

import json
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Office, Officer, RoleName
from app.models_base import utcnow
from app.registration.models import AttendanceCategory, RegistrationStatus
from app.timezones import local_date
from app.venue import checkins
from app.venue.models import CheckIn
from app.venue.tokens import badge_token
from tests import factories
from tests.conftest import skip_or_fail
from tests.querycount import queries_for


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


@pytest.fixture
def desk_world(running_meeting):
    organiser = factories.make_user("org@example.org")
    desk = factories.make_user("desk@example.org")
    meeting = running_meeting(organiser=organiser, title="Second ASEAN Conference")
    factories.grant_role(meeting, desk, RoleName.REGISTRATION_DESK)
    registration = factories.make_registration(meeting, delegation="Thailand")
    registration.person.name = "Kittipong Kittayarak"
    registration.person.honorific = "Dr."
    db.session.commit()
    return meeting, organiser, desk, registration


def _scan(client, csrf_token, meeting, body):
    return client.post(
        f"/meetings/{meeting.slug}/desk/scans",
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token()},
    )


def test_a_scan_checks_in_once_and_says_so_the_second_time(client, sign_in, csrf_token, desk_world):
    meeting, _, desk, registration = desk_world
    sign_in(desk)
    token = badge_token(meeting, registration.id)
    first = _scan(
        client, csrf_token, meeting, {"token": token, "desk": "Desk 2", "client_id": "a" * 16}
    )
    assert first.status_code == 200
    assert first.json["state"] == "checked_in"
    assert first.json["name"] == "Dr. Kittipong Kittayarak"
    assert first.json["delegation"] == "Thailand"
    again = _scan(
        client, csrf_token, meeting, {"token": token, "desk": "Desk 5", "client_id": "b" * 16}
    )
    assert again.json["state"] == "already"
    assert "at Desk 2" in again.json["message"]
    resent = _scan(client, csrf_token, meeting, {"token": token, "client_id": "a" * 16})
    assert resent.json["state"] == "checked_in"
    assert _count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"token": "forged.token"},
        {"token": "x" * 1000},
        {"token": 12},
        {"token": "ok", "scanned_at": "yesterday"},
        {"token": "ok", "client_id": "<script>"},
        [],
    ],
)
def test_bad_scans_are_messages_and_record_nothing(client, sign_in, csrf_token, desk_world, body):
    meeting, _, desk, _registration = desk_world
    sign_in(desk)
    response = _scan(client, csrf_token, meeting, body)
    assert 400 <= response.status_code < 500
    assert response.json["state"] == "refused" and response.json["message"]
    assert _count() == 0


def test_another_meetings_badge_and_a_withdrawn_one_are_refused(
    client, sign_in, csrf_token, desk_world, running_meeting
):
    meeting, _, desk, registration = desk_world
    other = running_meeting()
    theirs = factories.make_registration(other)
    withdrawn = factories.make_registration(meeting, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    sign_in(desk)
    for token in (badge_token(other, theirs.id), badge_token(meeting, withdrawn.id)):
        response = _scan(client, csrf_token, meeting, {"token": token})
        assert response.status_code == 422
        assert response.json["state"] == "refused"
    # A badge of the right meeting, but a scan taken before its first day.
    early = utcnow() - timedelta(days=1)
    response = _scan(
        client,
        csrf_token,
        meeting,
        {"token": badge_token(meeting, registration.id), "scanned_at": early.timestamp() * 1000},
    )
    assert response.json["state"] == "refused" and "does not run" in response.json["message"]
    assert _count() == 0


def test_a_desk_that_is_not_signed_in_hears_so(client, desk_world):
    meeting, _, _, registration = desk_world
    response = client.post(
        f"/meetings/{meeting.slug}/desk/scans",
        data=json.dumps({"token": badge_token(meeting, registration.id)}),
        content_type="application/json",
    )
    # Without a session there is no valid CSRF token either: the page is told, nothing saved.
    assert response.status_code in (400, 401)
    assert _count() == 0


def test_find_by_name_and_check_in_without_javascript(client, sign_in, post_form, desk_world):
    meeting, _, desk, registration = desk_world
    sign_in(desk)
    page = client.get(f"/meetings/{meeting.slug}/desk?q=kittay&desk=Desk+2").get_data(as_text=True)
    assert "Kittipong Kittayarak" in page and "Thailand" in page
    assert "badges.pdf" not in page  # the desk does not print badges; the organiser does
    response = post_form(
        f"/meetings/{meeting.slug}/desk/check-in",
        {"registration_id": str(registration.id), "desk": "Desk 2", "q": "kittay"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Checked in." in page
    assert "Checked in at" in page and "at Desk 2" in page
    # By the badge's code (a hand scanner types it).
    response = post_form(
        f"/meetings/{meeting.slug}/desk/check-in",
        {"token": badge_token(meeting, registration.id)},
        follow_redirects=True,
    )
    assert "Already checked in at" in response.get_data(as_text=True)
    response = post_form(
        f"/meetings/{meeting.slug}/desk/check-in", {"token": "nonsense"}, follow_redirects=True
    )
    assert "not a badge of this meeting" in response.get_data(as_text=True)
    assert _count() == 1


def test_the_organiser_sees_counts_and_sets_attendance_from_presence(
    client, sign_in, post_form, desk_world
):
    meeting, organiser, _, registration = desk_world
    checkins.check_in(meeting, registration.id, desk="Desk 1")
    db.session.commit()
    sign_in(organiser)
    page = client.get(f"/meetings/{meeting.slug}/manage/venue").get_data(as_text=True)
    today = local_date(utcnow(), meeting.timezone)
    assert f'data-day="{today}">1<' in page
    response = post_form(
        f"/meetings/{meeting.slug}/manage/venue",
        {"attendance": "present", "check_in_per_session": "y"},
        follow_redirects=True,
    )
    assert "Venue settings saved." in response.get_data(as_text=True)
    from app.venue.queries import settings_of

    settings = settings_of(meeting)
    assert settings.attendance_from_presence and settings.check_in_per_session
    page = client.get(f"/meetings/{meeting.slug}/manage/attendance").get_data(as_text=True)
    assert "Only the delegations with at least one member checked in are listed" in page


def _pdf_pages_to_png(pdf: bytes, tmp_path, resolution=150) -> list:
    if not shutil.which("pdftoppm") or not shutil.which("zbarimg"):
        skip_or_fail("pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed")
    source = tmp_path / "badges.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(resolution), "-png", str(source), str(tmp_path / "page")],
        check=True,
    )
    return sorted(tmp_path.glob("page*.png"))


def test_a_badge_pdf_carries_a_qr_code_that_reads_back_to_its_token(
    client, sign_in, desk_world, tmp_path
):
    meeting, organiser, _, registration = desk_world
    sign_in(organiser)
    response = client.get(
        f"/meetings/{meeting.slug}/manage/venue/badges.pdf?registration={registration.id}&layout=single"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (
        round(float(box.width) / 72 * 25.4) == 105 and round(float(box.height) / 72 * 25.4) == 148
    )
    text = reader.pages[0].extract_text()
    assert (
        "Kittipong Kittayarak" in text and "Thailand" in text and "Second ASEAN Conference" in text
    )
    (png,) = _pdf_pages_to_png(response.data, tmp_path)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == badge_token(meeting, registration.id)


def test_four_badges_to_an_a4_sheet_with_names_in_asean_scripts(client, sign_in, desk_world):
    meeting, organiser, _, registration = desk_world
    names = ["ສົມພອນ ແກ້ວມະນີ", "សុខ ចាន់ថា", "အောင် ကျော်", "李明华", "Nguyễn Thị Hương", "สมชาย ใจดี"]
    for name in names:
        other = factories.make_registration(meeting, delegation="ASEAN")
        other.person.name = name
    db.session.commit()
    sign_in(organiser)
    response = client.get(f"/meetings/{meeting.slug}/manage/venue/badges.pdf")
    assert response.status_code == 200
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 2  # seven badges: four, then three
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).replace("-", ""))
    # Each script drew with a font that has its glyphs (no missing-glyph boxes).
    for family in (
        "NotoSansLao",
        "NotoSansKhmer",
        "NotoSansMyanmar",
        "NotoSansCJK",
        "NotoSansThai",
    ):
        assert any(family in f for f in fonts), (family, fonts)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Nguyễn Thị Hương" in text and "李明华" in text


def test_badges_of_a_category_with_nobody_say_so(client, sign_in, desk_world):
    meeting, organiser, _, _ = desk_world
    sign_in(organiser)
    response = client.get(
        f"/meetings/{meeting.slug}/manage/venue/badges.pdf?category=youth", follow_redirects=True
    )
    assert "there is no badge to print" in response.get_data(as_text=True)
    for bad in ("category=nonsense", "registration=abc", "registration=99999999999"):
        response = client.get(f"/meetings/{meeting.slug}/manage/venue/badges.pdf?{bad}")
        assert response.status_code == 404


def test_more_badges_than_one_pdf_holds_are_refused_with_a_message(
    client, sign_in, desk_world, monkeypatch
):
    meeting, organiser, _, _ = desk_world
    factories.make_registration(meeting, delegation="Singapore")
    factories.make_registration(meeting, delegation="Singapore")
    db.session.commit()
    from app.venue import printing, views

    monkeypatch.setattr(printing, "BADGES_PER_PDF_MAX", 2)
    monkeypatch.setattr(views, "BADGES_PER_PDF_MAX", 2)
    sign_in(organiser)
    response = client.get(f"/meetings/{meeting.slug}/manage/venue/badges.pdf")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "print at most 2 at once" in page
    response = client.get(f"/meetings/{meeting.slug}/manage/venue/badges.pdf?delegation=Singapore")
    assert response.mimetype == "application/pdf"


def test_certificates_are_for_those_present_signed_by_the_chair(client, sign_in, desk_world):
    meeting, organiser, _, registration = desk_world
    chair = factories.make_person(meeting, "Somsak Chair", honorific="H.E.")
    chair.position = "Minister of Justice"
    db.session.add(Officer(meeting_id=meeting.id, person_id=chair.id, office=Office.CHAIR))
    absent = factories.make_registration(meeting, delegation="Brunei Darussalam")
    db.session.commit()
    sign_in(registration.user)
    response = client.get(f"/meetings/{meeting.slug}/my/certificate.pdf", follow_redirects=True)
    assert "once you have been checked in" in response.get_data(as_text=True)
    checkins.check_in(meeting, registration.id)
    db.session.commit()
    assert "Download my certificate" in client.get(f"/meetings/{meeting.slug}/my").get_data(
        as_text=True
    )
    response = client.get(f"/meetings/{meeting.slug}/my/certificate.pdf")
    assert response.mimetype == "application/pdf"
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    assert "Certificate of attendance" in text
    assert "Kittipong Kittayarak" in text and "H.E. Somsak Chair" in text
    assert "Minister of Justice" in text
    sign_in(organiser)
    response = client.get(f"/meetings/{meeting.slug}/manage/venue/certificates.pdf")
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1  # the absent participant gets none
    assert absent.delegation not in reader.pages[0].extract_text()


def test_a_certificate_is_in_the_meetings_language(client, sign_in, desk_world):
    meeting, organiser, _, registration = desk_world
    meeting.language = "fr"
    checkins.check_in(meeting, registration.id)
    db.session.commit()
    sign_in(organiser)
    response = client.get(f"/meetings/{meeting.slug}/manage/venue/certificates.pdf")
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    # The catalogues are issue 17's: the dates show the certificate is rendered in French.
    from babel.dates import format_date

    assert format_date(meeting.first_day, "long", locale="fr") in text
    assert format_date(meeting.first_day, "long", locale="en") not in text


def test_desk_and_counts_pages_cost_the_same_queries_small_and_large(
    client, sign_in, running_meeting
):
    counts = {}
    for label, size in (("small", 2), ("large", 30)):
        organiser = factories.make_user()
        meeting = running_meeting(organiser=organiser)
        checkins.save_settings(meeting, check_in_per_session=True, attendance_from_presence=True)
        for i in range(size):
            registration = factories.make_registration(
                meeting,
                delegation=f"Delegation {i % 7}",
                category=list(AttendanceCategory)[i % 3],
            )
            registration.person.name = f"Participant {i}"
            if i % 2 == 0:
                checkins.check_in(meeting, registration.id, desk="Desk 1")
        db.session.commit()
        sign_in(organiser)
        counts[(label, "desk")] = queries_for(
            client, f"/meetings/{meeting.slug}/desk?q=Participant"
        )
        counts[(label, "venue")] = queries_for(client, f"/meetings/{meeting.slug}/manage/venue")
        counts[(label, "attendance")] = queries_for(
            client, f"/meetings/{meeting.slug}/manage/attendance"
        )
    for page in ("desk", "venue", "attendance"):
        assert counts[("small", page)] == counts[("large", page)], (page, counts)
