"""What the programme asks of participants' places, which live in the area above it.

Places and waiting lists belong to the registration area, which reads sessions and clusters and
so stands above the programme. When an organiser changes a session's slot, cluster or number of
places, or a cluster's, the programme rules ask through this port; create_app plugs in the
registration area's answer (`app.registration.places.SessionPlaces`). The programme never
imports the area above it, and its rules stay testable with the real implementation plugged in.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

from flask import Flask, current_app

if TYPE_CHECKING:
    from app.programme.models import AgendaSession, Cluster

_KEY = "plenary_places"


class Clash(NamedTuple):
    """A participant who would hold places in two sessions at the same time."""

    person: str  # as printed: "Dr. Nguyễn Thị Hương"
    session_id: int
    other_session_id: int
    other_title: str


class Places(Protocol):
    """Participants' places in sessions, as the programme rules need them."""

    def held(self, session_id: int) -> int:
        """How many places (confirmed or waiting) the session holds."""

    def confirmed(self, session_ids: Iterable[int]) -> dict[int, int]:
        """Confirmed places per session, in one query."""

    def change_capacity(self, record: "AgendaSession | Cluster", capacity: int) -> None:
        """Set a session's or cluster's places: refused (a DomainError on the `capacity`
        field) below the confirmed count; a raise fills places from the waiting lists."""

    def clashes_if_moved(
        self, session_: "AgendaSession", starts_at: datetime, ends_at: datetime
    ) -> list[Clash]:
        """The participants holding a place in `session_` who would, at these times, also be
        in another session where they hold a place (of another slot), in one query."""

    def clashes(
        self, meeting_id: int, window: tuple[datetime, datetime] | None = None
    ) -> list[Clash]:
        """Every participant of the meeting who holds places in two sessions at once (in
        sessions running within `window`, when given: one day of the timetable editor)."""


def plug_places(app: Flask, implementation: Places) -> None:
    """Give the app's programme rules their view of places (create_app does this once)."""
    app.extensions[_KEY] = implementation


def places() -> Places:
    """The places implementation plugged into the current app."""
    return current_app.extensions[_KEY]
