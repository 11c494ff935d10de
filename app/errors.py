"""One domain error and one commit point for every area (Indico's `RH.process` is the model).

Rule modules raise `DomainError` (each area names its own subclass) when a rule is broken, with
the form field the message belongs beside. A view runs one change through `commit_change`,
which is the request's one commit: a broken rule rolls back and shows its message beside its
field; a record someone else saved meanwhile (a stale version), a lock clash or a constraint
the database caught in a race becomes the 409 page or a form error; nothing is ever half-saved.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar

from flask import abort, flash
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

T = TypeVar("T")


class DomainError(Exception):
    """A rule was broken; `message` says which, `field` names the form field it belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def messages(self) -> list[str]:
        """Everything to tell the person, first the message itself (a refusal may list why)."""
        return [self.message]


def show_error(form, error: DomainError) -> None:
    """Put a message beside the field it names, above the form when it names none, or, for a
    page without a form (a button), in the flashed messages."""
    if form is None:
        for message in error.messages():
            flash(message, "error")
        return
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def conflict(message: str | None = None) -> NoReturn:
    """The 409 page: someone else changed the record first. Nothing was saved."""
    abort(409, description=message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `commit_change` ended in: committed with the change's value, or refused."""

    ok: bool
    value: T | None = None


def commit_change(
    change: Callable[[], T],
    *,
    form: Any = None,
    duplicate: str | None = None,
    conflict_message: str | None = None,
    passthrough: tuple[type[Exception], ...] = (),
) -> Outcome[T]:
    """Run one change (a call to a rule module) and commit it: the request's one commit point.

    - a DomainError rolls back and goes beside its field (`show_error`);
    - a stale version (another save of a versioned record came first) is the 409 page,
      saying `conflict_message` when given;
    - a unique or check constraint the database caught in a race goes beside the form as
      `duplicate` when given (a name someone else took a moment ago), else it is the 409 page;
    - a lock clash, a deadlock or a serialisation failure is the 409 page ("try again").

    `change` returns what the view needs afterwards (a name for the message, an id for the
    redirect), read before the commit expires the objects. Errors of the `passthrough` kinds
    are rolled back and raised to the view, which answers them with a page of its own (the
    conflict page of a rapporteur's text shows both versions).
    """
    try:
        value = change()
        db.session.commit()
    except passthrough:
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return Outcome(False)
    except StaleDataError:
        db.session.rollback()
        conflict(conflict_message)
    except IntegrityError:
        db.session.rollback()
        if duplicate is None:
            conflict(conflict_message or _busy())
        show_error(form, DomainError(duplicate))
        return Outcome(False)
    except DBAPIError as error:
        db.session.rollback()
        if error.connection_invalidated or not _is_contention(error):
            raise
        conflict(conflict_message or _busy())
    return Outcome(True, value)


def _busy() -> str:
    return _("Someone else changed this at the same moment. Nothing was saved; please try again.")


# SQLSTATEs of PostgreSQL that mean "another transaction was in the way": lock not available,
# deadlock detected, serialization failure. SQLite says "database is locked".
_CONTENTION_STATES = {"55P03", "40P01", "40001"}


def _is_contention(error: DBAPIError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if state in _CONTENTION_STATES:
        return True
    return "database is locked" in str(error.orig)


# Each area's own kind of broken rule: the same error, named for where it comes from.


class AccountError(DomainError):
    """An account rule was broken (a taken address, a weak password)."""


class MeetingError(DomainError):
    """A meeting rule was broken: its details, agenda, officers, documents or roles."""


class ProgrammeError(DomainError):
    """A programme rule was broken: tracks, rooms, sessions, people in them, clusters."""


class DelegationError(DomainError):
    """A delegation rule was broken: its record, focal point, members, window or import."""


class RegistrationError(DomainError):
    """A registration rule was broken: registering, deciding, places and waiting lists."""


class OutputError(DomainError):
    """A rule of rapporteur outputs or the Chair's Summary was broken."""


class VenueError(DomainError):
    """A rule at the venue was broken: a badge not valid here, a day the meeting does not run."""


class MailError(DomainError):
    """A message could not be written: an address that is not one, no subject, no text."""


class CommunicationError(DomainError):
    """A message to participants could not be sent: no subject, no text, no one to send to."""


def flush_or_fail(error: DomainError) -> None:
    """Flush; a constraint that the rule's own checks missed (another request took the same
    number or name a moment ago) raises `error`, the message those checks would have given."""
    try:
        db.session.flush()
    except IntegrityError as caught:
        raise error from caught
