"""The organiser's dashboard counts what each area above the meetings area contributes."""

from app.hooks import hook_items


def test_meeting_counts_start_at_zero(make_meeting, make_person, make_session):
    meeting = make_meeting()
    make_person(meeting)
    make_session(meeting)
    counts = dict(hook_items("meeting_counts", meeting))
    assert (
        counts["Sessions"],
        counts["People"],
        counts["Clusters"],
        counts["Registrations"],
    ) == (1, 1, 0, 0)
