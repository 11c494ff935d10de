"""The participant's and organiser's registration pages cost the same queries at any size."""

from app.extensions import db
from app.meetings.models import RoleName
from app.registration.models import AttendanceCategory
from app.registration.services import take_place
from tests import factories
from tests.querycount import queries_for


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
