"""Where a higher area adds to a lower area's pages without the lower one importing it.

The meetings area's pages show what areas above it know: the dashboard counts sessions and
registrations, a meeting's page offers the visitor's registration and the issued Chair's
Summary. A lower template asks for a hook by name (`hook("meeting_counts", meeting)`), and each
area above registers what it adds when its blueprint is registered (`contribute`), as Indico's
template hooks do. Results come in the order the blueprints were registered (create_app
registers them from the bottom layer up).

Hooks used today:
- `meeting_counts(meeting)` -> list of (label, number) for the organiser's dashboard;
- `meeting_actions(meeting)` -> markup: buttons on a meeting's page for the visitor;
- `meeting_sections(meeting)` -> markup: sections on a meeting's page (issued documents);
- `agenda_item_uses(item)` -> list of (sentence, number): what refers to an agenda item, for
  the question asked before deleting it;
- `home_sections()` -> markup: sections of the signed-in account's home page (the meetings
  it is registered for or nominated to, the delegations it is focal point of);
- `delegation_member_counts(meeting)` -> dict of delegation id to live members, for the
  delegations list;
- `own_session_ids(meeting)` -> list of session ids: the visitor's own sessions (their agenda,
  where they speak), for the programme's "changed since you last looked" marks;
- `attendance_delegations(meeting)` -> list of (category, delegation), or None: the
  delegations the report's attendance section lists, when an area above knows better than
  the approved registrations (the venue: delegations with a member present);
- `attendance_notes(meeting)` -> list of sentences beside the attendance section (where its
  delegations come from, when not from approvals);
- `my_registration_parts(meeting, registration)` -> markup: parts of a participant's own
  page (the certificate of attendance).
- `session_changed(session, before, after)` -> None: a session's time, room, title or
  cancellation changed (the programme's change log snapshots); exports mails the people in it
  the updated event, in the same transaction;
- account messages the auth area asks the mail area to write (app/auth/recovery.py):
  `password_reset_requested(user, token)`, `email_confirmation_needed(user, token)`,
  `password_changed(user)`, `email_changed(user, old_address)`, and `account_links()` ->
  markup for the account page.
"""

from collections.abc import Callable

from flask import Blueprint, current_app

_KEY = "plenary_hooks"


def contribute(bp: Blueprint, name: str, func: Callable) -> None:
    """Add `func` to the hook `name` of every app `bp` is registered on."""

    def _register(state) -> None:
        state.app.extensions.setdefault(_KEY, {}).setdefault(name, []).append(func)

    bp.record_once(_register)


def hook(name: str, *args, **kwargs) -> list:
    """What every area contributed to the hook `name`, called with these arguments."""
    functions = current_app.extensions.get(_KEY, {}).get(name, ())
    return [func(*args, **kwargs) for func in functions]


def hook_items(name: str, *args, **kwargs) -> list:
    """A hook whose contributions are lists, joined into one list."""
    return [item for part in hook(name, *args, **kwargs) for item in part]
