"""The participant's and organiser's registration pages cost the same queries at any size."""

from app.extensions import db
from app.meetings.models import RoleName
from app.registration.models import AttendanceCategory
from app.registration.places import take_place
from tests import factories
from tests.querycount import count_queries, queries_for


def _meeting(breakouts, make_registration, *, clusters, slots, participants):
    organiser = factories.make_user()
    meeting = factories.make_meeting(organiser=organiser)
    meeting, sessions, _ = breakouts(meeting, clusters=clusters, slots=slots, capacity=3)
    me = make_registration(meeting, category=AttendanceCategory.YOUTH)
    everyone = [me] + [make_registration(meeting) for _ in range(participants)]
    for i, registration in enumerate(everyone):
        for slot in range(1, slots + 1):
            take_place(registration, sessions[(1 + i % clusters, slot)], wait=True)
    factories.grant_role(meeting, me.user, RoleName.PARTICIPANT)
    db.session.commit()
    return meeting, organiser, me


def test_pages_cost_the_same_queries_small_and_large(client, sign_in, breakouts, make_registration):
    small = _meeting(breakouts, make_registration, clusters=2, slots=1, participants=3)
    large = _meeting(breakouts, make_registration, clusters=6, slots=4, participants=40)
    counts = {}
    for label, (meeting, organiser, me) in (("small", small), ("large", large)):
        sign_in(me.user)
        counts[(label, "my")] = queries_for(client, f"/meetings/{meeting.slug}/my")
        sign_in(organiser)
        for page in ("registrations", "rosters", "attendance", "registrations.csv", "rosters.csv"):
            counts[(label, page)] = queries_for(client, f"/meetings/{meeting.slug}/manage/{page}")
    for page in (
        "my",
        "registrations",
        "rosters",
        "attendance",
        "registrations.csv",
        "rosters.csv",
    ):
        assert counts[("small", page)] == counts[("large", page)], (page, counts)


def test_a_sign_up_costs_the_same_queries_small_and_large(
    client, sign_in, csrf_token, breakouts, make_registration
):
    """The busiest write a meeting has: a confirmed place and a waiting-list place."""
    counts = {}
    for label, clusters, slots, participants in (("small", 3, 3, 3), ("large", 6, 5, 40)):
        meeting, sessions, _ = _meeting_with_signups(
            breakouts, make_registration, clusters=clusters, slots=slots, participants=participants
        )
        newcomer = make_registration(meeting)
        # The newcomer holds places in the other slots, so the clash check has rows to read.
        for slot in range(3, slots + 1):
            take_place(newcomer, sessions[(2, slot)], wait=True)
        db.session.commit()
        sign_in(newcomer.user)
        for outcome, session_ in (("waiting", sessions[(1, 1)]), ("confirmed", sessions[(2, 2)])):
            url = f"/meetings/{meeting.slug}/places/{session_.id}"
            token = csrf_token()
            db.session.expire_all()
            with count_queries() as statements:
                response = client.post(url, data={"csrf_token": token, "wait": "y"})
            assert response.status_code == 302
            counts[(label, outcome)] = len(statements)
    assert counts[("small", "waiting")] == counts[("large", "waiting")], counts
    assert counts[("small", "confirmed")] == counts[("large", "confirmed")], counts
    # Account, meeting with session and registration, registration lock, the participant's
    # places, session lock, the count, the insert, and the participant's notice in the
    # outbox (app/mail: written in the same transaction).
    assert counts[("large", "confirmed")] <= 8, counts


def _meeting_with_signups(breakouts, make_registration, *, clusters, slots, participants):
    """Cluster 1 is full in slot 1, with a waiting list; cluster 2 has room everywhere."""
    meeting, sessions, by_number = breakouts(clusters=clusters, slots=slots, capacity=3)
    for i in range(participants):
        registration = make_registration(meeting)
        take_place(registration, sessions[(1, 1)], wait=True)
        for slot in range(2, slots + 1):
            take_place(registration, sessions[(3 + i % (clusters - 2), slot)], wait=True)
    db.session.commit()
    return meeting, sessions, by_number
