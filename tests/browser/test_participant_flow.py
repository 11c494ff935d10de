"""A participant registers, takes a cluster place, waits for a full one, sees the agenda."""

from datetime import timedelta

from app.extensions import db
from app.programme.models import SessionKind, TrackKind
from app.registration.places import take_place
from app.registration.registrations import withdraw
from tests import factories
from tests.browser.conftest import serious_accessibility_violations


def _meeting_with_two_slots(make_registration):
    meeting = factories.make_meeting("browser-conference", title="Browser Conference")
    main = factories.make_track(meeting, "Main conference", TrackKind.MAIN)
    factories.make_session(
        meeting,
        track=main,
        kind=SessionKind.OPENING_CEREMONY,
        title="Opening ceremony",
        starts_at=factories.local(meeting, 1, 9),
    )
    culture = factories.make_cluster(meeting, 1, "Culture of Prevention", capacity=20)
    law = factories.make_cluster(meeting, 2, "Law and Justice", capacity=1)
    sessions = {}
    for slot, hour in ((1, 13), (2, 15)):
        for cluster in (culture, law):
            start = factories.local(meeting, 1, hour)
            sessions[(cluster.number, slot)] = factories.make_session(
                meeting,
                track=main,
                kind=SessionKind.BREAKOUT,
                cluster_id=cluster.id,
                slot=slot,
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                title=f"Breakout session {slot}: {cluster.title}",
            )
    holder = make_registration(meeting, delegation="Singapore")
    take_place(holder, sessions[(2, 2)])
    db.session.commit()
    return meeting, sessions, holder


def test_participant_registers_joins_waits_and_sees_the_agenda(
    live_server, page, make_registration
):
    meeting, sessions, holder = _meeting_with_two_slots(make_registration)

    page.goto(f"{live_server}/account/new")
    page.get_by_label("Full name").fill("Trần Minh Anh")
    page.get_by_label("Email").fill("anh@example.org")
    page.get_by_label("Password", exact=True).fill("a long password 1")
    page.get_by_label("Repeat the password").fill("a long password 1")
    page.get_by_role("button", name="Create account").click()

    page.goto(f"{live_server}/meetings/{meeting.slug}/register")
    page.get_by_label("Delegation").fill("Viet Nam")
    page.get_by_label("Attendance category").select_option("member_state")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**/meetings/{meeting.slug}/my")
    assert "Choose your breakout clusters" in page.content()

    first = sessions[(1, 1)]
    page.locator(f"#choice-{first.id}").get_by_role("button", name="Take a place").click()
    page.wait_for_load_state()
    assert "is confirmed" in page.locator(".flashes").inner_text()

    full = sessions[(2, 2)]
    page.locator(f"#choice-{full.id}").get_by_role(
        "button", name="Join the waiting list (number 1)"
    ).click()
    page.wait_for_load_state()
    assert "number 1 on its waiting list" in page.locator(".flashes").inner_text()

    agenda = page.locator(".agenda-list")
    assert "Opening ceremony" in agenda.inner_text()
    first_row = agenda.locator(".agenda-list__item", has_text=first.title)
    assert "Confirmed" in first_row.inner_text()
    waiting_row = agenda.locator(".agenda-list__item", has_text=full.title)
    assert "Waiting list: number 1" in waiting_row.inner_text()
    assert serious_accessibility_violations(page) == []

    # The participant holding the place withdraws: the waiting participant gets it at once.
    withdraw(holder)
    db.session.commit()
    page.reload()
    waiting_row = page.locator(".agenda-list .agenda-list__item", has_text=full.title)
    assert "Confirmed" in waiting_row.inner_text()
    page.screenshot(path="test-artifacts/participant-agenda.png", full_page=True)
