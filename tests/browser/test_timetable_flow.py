"""The timetable editor in Debian's Chromium: an organiser drags a session onto a slot where
its speaker is already booked, sees the conflict before anything is saved, drags it on to a
free slot, and the public programme and the calendar feed show the new time. The same move
by keyboard, and axe-core on the editor."""

import re

import pytest

from app.extensions import db
from app.programme.models import AgendaSession, SpeakerRole
from tests import factories
from tests.browser.conftest import serious_accessibility_violations

pytestmark = pytest.mark.browser


def _planned():
    organiser = factories.make_user("planner@example.org", name="Planner")
    meeting = factories.make_meeting("board-walk", organiser=organiser, short_title="BW")
    main = factories.make_track(meeting, "Main conference")
    hall = factories.make_room(meeting, "Plenary Hall", 300)
    annex = factories.make_room(meeting, "Annex", 40)
    speaker = factories.make_person(meeting, "Kittipong Kittayarak", honorific="Dr.")
    keynote = factories.make_session(
        meeting,
        title="Keynote on prevention",
        track=main,
        room=hall,
        starts_at=factories.local(meeting, 1, 9),
        ends_at=factories.local(meeting, 1, 10),
        people=[(speaker, SpeakerRole.KEYNOTE_SPEAKER)],
    )
    panel = factories.make_session(
        meeting,
        title="Panel on cybercrime",
        track=main,
        room=annex,
        starts_at=factories.local(meeting, 1, 11),
        ends_at=factories.local(meeting, 1, 12),
        people=[(speaker, SpeakerRole.PANELLIST)],
    )
    db.session.commit()
    return meeting, organiser, keynote, panel, annex


def _sign_in(page, live_server):
    # Tall enough for the whole day in the timetable's scroll box: a drag that nears its edge
    # scrolls it, as it should for a person, but a test wants to drop at a known point.
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.goto(f"{live_server}/account/sign-in")
    page.get_by_label("Email").fill("planner@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _drag(page, card_id: str, column_id: int, hour: str):
    """Press on the card near its top left corner and let go over `column_id` at `hour`."""
    card = page.locator(f"#{card_id}").bounding_box()
    column = page.locator(f"#col-{column_id}").bounding_box()
    row = page.locator(".timetable__hour", has_text=hour).bounding_box()
    page.mouse.move(card["x"] + 12, card["y"] + 6)
    page.mouse.down()
    page.mouse.move(card["x"] + 40, card["y"] + 30, steps=4)
    page.mouse.move(column["x"] + 20, row["y"] + 6 + 1, steps=12)
    page.mouse.up()


def _new_time_is_public(page, live_server, panel_id):
    page.goto(f"{live_server}/meetings/board-walk/programme")
    card = page.locator(f"#cell-{panel_id}")
    assert "13:00" in card.inner_text(), card.inner_text()
    feed = page.request.get(f"{live_server}/meetings/board-walk/programme.ics").text()
    event = next(block for block in feed.split("BEGIN:VEVENT") if "Panel on cybercrime" in block)
    assert re.search(r"DTSTART;TZID=Asia/Bangkok:20200227T130000", event), event
    assert "SEQUENCE:1" in event


def test_drag_onto_a_double_booked_speaker_shows_the_conflict_then_moves_on(live_server, page):
    meeting, _organiser, keynote, panel, annex = _planned()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/meetings/board-walk/manage/timetable")
    assert serious_accessibility_violations(page) == []

    # Onto 09:00, when the speaker gives the keynote: the conflict shows, nothing is saved.
    _drag(page, f"card-{panel.id}", annex.id, "09:00")
    proposal = page.locator("#board-proposal")
    proposal.wait_for(state="visible")
    assert "Kittipong Kittayarak is in two sessions at the same time" in proposal.inner_text()
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).version == 1

    # On to 13:00, free for everyone: saved at once, and the page says where it went.
    _drag(page, f"card-{panel.id}", annex.id, "13:00")
    page.wait_for_load_state()
    page.locator("#board-status", has_text="Saved: 13:00–14:00, Annex").wait_for()
    db.session.expire_all()
    moved = db.session.get(AgendaSession, panel.id)
    assert moved.version == 2 and moved.sequence == 1
    page.screenshot(path="test-artifacts/timetable-after-drag.png", full_page=True)

    _new_time_is_public(page, live_server, panel.id)
    page.goto(f"{live_server}/meetings/board-walk/manage/changes")
    assert "Panel on cybercrime" in page.inner_text("main")
    assert "Planner" in page.inner_text("main")


def test_the_same_move_by_keyboard(live_server, page):
    meeting, _organiser, keynote, panel, annex = _planned()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/meetings/board-walk/manage/timetable")
    handle = page.locator(f"#card-{panel.id} .timetable__handle")
    handle.focus()
    page.keyboard.press("Enter")
    # Up eight quarters: 09:00, where the speaker is booked. The conflict is announced.
    for _ in range(8):
        page.keyboard.press("ArrowUp")
    status = page.locator("#board-status")
    status.filter(has_text="two sessions at the same time").wait_for()
    page.keyboard.press("Enter")
    page.locator("#board-proposal").wait_for(state="visible")
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).version == 1
    # Down sixteen quarters to 13:00, then Enter: saved.
    for _ in range(16):
        page.keyboard.press("ArrowDown")
    status.filter(has_text="No conflict there").wait_for()
    page.keyboard.press("Enter")
    page.locator("#board-status", has_text="Saved: 13:00–14:00, Annex").wait_for()
    db.session.expire_all()
    assert db.session.get(AgendaSession, panel.id).version == 2
    # Focus comes back to the moved session's handle after the page reloads.
    assert page.evaluate("document.activeElement.closest('article').id") == f"card-{panel.id}"
    _new_time_is_public(page, live_server, panel.id)


def test_the_new_organiser_and_public_pages_pass_axe(live_server, page):
    meeting, _organiser, _keynote, panel, annex = _planned()
    _sign_in(page, live_server)
    for path in (
        "manage/timetable?by=track",
        "manage/changes",
        "manage/programme/import",
        "manage/copy",
        "programme/changes",
    ):
        page.goto(f"{live_server}/meetings/board-walk/{path}")
        assert serious_accessibility_violations(page) == [], path
    # The import preview, with a row in error, is a page of its own.
    page.goto(f"{live_server}/meetings/board-walk/manage/programme/import")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "programme.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"Day,Start,End,Title,Track,Room\n"
                    b"2020-02-27,11:00,10:00,Backwards,Main conference,Annex\n"
                    b"2020-02-28,09:00,10:00,Day two,Main conference,Ballroom\n"
                ),
            }
        ],
    )
    page.get_by_role("button", name="Show what the import would do").click()
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "must end after it starts" in text and "Unknown room “Ballroom”" in text
    assert serious_accessibility_violations(page) == []


def test_a_tablet_moves_a_session_by_touch(live_server, browser):
    """A finger on a tablet (touch events, as iPadOS and Android send them) drags as a mouse."""
    meeting, _organiser, _keynote, panel, annex = _planned()
    context = browser.new_context(
        viewport={"width": 1024, "height": 1366}, has_touch=True, is_mobile=True, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(f"{live_server}/account/sign-in")
        tab.get_by_label("Email").fill("planner@example.org")
        tab.get_by_label("Password").fill(factories.PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()
        tab.goto(f"{live_server}/meetings/board-walk/manage/timetable")
        card = tab.locator(f"#card-{panel.id}").bounding_box()
        row = tab.locator(".timetable__hour", has_text="14:00").bounding_box()
        cdp = context.new_cdp_session(tab)
        x, y = card["x"] + 12, card["y"] + 6

        def touch(kind, px, py):
            points = [] if kind == "touchEnd" else [{"x": px, "y": py}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", x, y)
        for step in range(1, 16):
            touch("touchMove", x, y + (row["y"] + 7 - y) * step / 15)
        touch("touchEnd", x, row["y"] + 7)
        tab.locator("#board-status", has_text="Saved: 14:00–15:00, Annex").wait_for()
        db.session.expire_all()
        moved = db.session.get(AgendaSession, panel.id)
        assert moved.starts_at == factories.local(meeting, 1, 14)
    finally:
        context.close()
