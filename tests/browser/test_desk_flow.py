"""The registration desk on a phone: Chromium's fake camera shows a badge's QR code, the
check-in page reads it (BarcodeDetector where the browser has one, else the vendored jsQR)
and the person shows as checked in; a scan taken offline is sent when the network returns."""

from datetime import timedelta

import pytest
import segno
from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import RoleName
from app.models_base import utcnow
from app.timezones import local_date
from app.venue.models import CheckIn
from app.venue.tokens import badge_token
from tests import factories
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _shared,
    serious_accessibility_violations,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480


def write_y4m(path, text: str, frames: int = 10) -> None:
    """A still video of a QR code (raw Y4M, 4:2:0) for Chromium's fake camera."""
    code = segno.make(text, error="m", micro=False)
    matrix = [list(row) for row in code.matrix_iter(scale=8, border=4)]
    size = len(matrix)
    top, left = (HEIGHT - size) // 2, (WIDTH - size) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # white (video range)
    for y, row in enumerate(matrix):
        offset = (top + y) * WIDTH + left
        for x, dark in enumerate(row):
            if dark:
                luma[offset + x] = 0x10  # black (video range)
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(luma)
            out.write(chroma)
            out.write(chroma)


@pytest.fixture
def camera_page(browser, tmp_path, request):
    """A phone-sized tab in a Chromium whose camera shows the file the test writes first."""
    video = tmp_path / "badge.y4m"
    request.node.camera_file = video

    def _open(token: str):
        write_y4m(video, token)
        chromium = _shared["playwright"].chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        opened.append(chromium)
        return tab

    opened: list = []
    yield _open
    for chromium in opened:
        chromium.close()


def _desk_meeting():
    today = local_date(utcnow(), "Asia/Bangkok")
    meeting = factories.make_meeting(
        "desk-browser",
        title="Desk Conference",
        first_day=today,
        last_day=today + timedelta(days=1),
        timezone="Asia/Bangkok",
    )
    desk = factories.make_user("desk@example.org", name="Desk Two")
    factories.grant_role(meeting, desk, RoleName.REGISTRATION_DESK)
    registration = factories.make_registration(meeting, delegation="Lao PDR")
    registration.person.name = "Souphanh Keomany"
    registration.person.honorific = "Ms."
    db.session.commit()
    return meeting, desk, registration


def _sign_in(tab, live_server, email):
    tab.goto(f"{live_server}/account/sign-in")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()


def _check_ins() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def test_the_desk_reads_a_badge_from_the_camera_and_checks_the_person_in(live_server, camera_page):
    from playwright.sync_api import expect

    meeting, desk, registration = _desk_meeting()
    tab = camera_page(badge_token(meeting, registration.id))
    _sign_in(tab, live_server, desk.email)
    tab.goto(f"{live_server}/meetings/{meeting.slug}/desk?desk=Desk+2")
    assert serious_accessibility_violations(tab) == []
    tab.get_by_role("button", name="Scan badges with the camera").click()
    result = tab.locator("#scan-result")
    expect(result).to_contain_text("Souphanh Keomany", timeout=30_000)
    expect(result).to_contain_text("Lao PDR")
    expect(result).to_contain_text("Checked in.")
    tab.get_by_role("button", name="Stop the camera").click()
    assert _check_ins() == 1
    # The person shows as present when the desk looks them up.
    tab.get_by_role("searchbox", name="Name").fill("Souphanh")
    tab.get_by_role("button", name="Find").click()
    expect(tab.locator(".desk-status--in")).to_contain_text("at Desk 2")


def test_a_scan_taken_offline_is_sent_when_the_network_returns(live_server, camera_page):
    from playwright.sync_api import expect

    meeting, desk, registration = _desk_meeting()
    tab = camera_page(badge_token(meeting, registration.id))
    _sign_in(tab, live_server, desk.email)
    tab.goto(f"{live_server}/meetings/{meeting.slug}/desk?desk=Desk+3")
    tab.context.set_offline(True)
    tab.get_by_role("button", name="Scan badges with the camera").click()
    expect(tab.locator("#scan-queue")).to_contain_text("waiting for the network: 1", timeout=30_000)
    expect(tab.locator("#scan-result")).to_contain_text("No network")
    tab.get_by_role("button", name="Stop the camera").click()
    assert _check_ins() == 0
    tab.context.set_offline(False)
    # The page sends on the browser's "online" event (and every 15 seconds).
    expect(tab.locator("#scan-result")).to_contain_text("Checked in.", timeout=30_000)
    expect(tab.locator("#scan-queue")).to_have_text("")
    assert _check_ins() == 1
