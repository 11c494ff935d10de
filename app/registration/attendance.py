"""The attendance section of a UN report: one sentence per category of participant, with the
delegations that were represented in alphabetical order.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.registration.models import (
    AttendanceCategory,
    Registration,
    RegistrationStatus,
)


def join_names(names: list[str]) -> str:
    """ "A, B and C", as the seed reports list delegations."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def attendance_paragraphs(
    meeting: Meeting, qualifiers: dict[str, str] | None = None
) -> list[tuple[AttendanceCategory, str]]:
    """The attendance section of a UN report: one sentence per category, delegations in order.

    `qualifiers` maps a category's value to the words the secretariat adds after its noun
    ("members of the Economic and Social Commission for Asia and the Pacific", "in consultative
    status with the Economic and Social Council")."""
    qualifiers = {k: v for k, v in (qualifiers or {}).items() if v}
    rows = db.session.execute(
        select(Registration.category, Registration.delegation)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .distinct()
    ).all()
    by_category: dict[AttendanceCategory, set[str]] = {}
    for category, delegation in rows:
        by_category.setdefault(category, set()).add(delegation)
    sentences = {
        AttendanceCategory.MEMBER_STATE: lambda n, names: ngettext(
            "The following State was represented at the Meeting: %(names)s.",
            "The following States were represented at the Meeting: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.OBSERVER_STATE: lambda n, names: ngettext(
            "%(names)s was represented by an observer.",
            "%(names)s were represented by observers.",
            n,
            names=names,
        ),
        AttendanceCategory.UN_ENTITY: lambda n, names: ngettext(
            "The following entity of the United Nations system was represented by observers:"
            " %(names)s.",
            "The following entities of the United Nations system were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: lambda n, names: ngettext(
            "The following institute of the United Nations crime prevention and criminal justice"
            " programme network was represented by observers: %(names)s.",
            "The following institutes of the United Nations crime prevention and criminal justice"
            " programme network were represented by observers: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.INTERGOVERNMENTAL_ORGANISATION: lambda n, names: ngettext(
            "The following intergovernmental organization was represented by observers: %(names)s.",
            "The following intergovernmental organizations were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.NGO: lambda n, names: ngettext(
            "The following non-governmental organization was represented by observers: %(names)s.",
            "The following non-governmental organizations were represented by observers:"
            " %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.ACADEMIA: lambda n, names: ngettext(
            "The following academic institution was represented: %(names)s.",
            "The following academic institutions were represented: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.PRIVATE_SECTOR: lambda n, names: ngettext(
            "The following private-sector entity was represented: %(names)s.",
            "The following private-sector entities were represented: %(names)s.",
            n,
            names=names,
        ),
        AttendanceCategory.YOUTH: lambda n, names: ngettext(
            "Youth participants from the following delegation took part: %(names)s.",
            "Youth participants from the following delegations took part: %(names)s.",
            n,
            names=names,
        ),
    }
    out = []
    for category in AttendanceCategory:
        names = sorted(by_category.get(category, ()), key=str.casefold)
        if not names:
            continue
        qualifier = qualifiers.get(category.value)
        if qualifier and category in QUALIFIED:
            text = QUALIFIED[category](len(names), join_names(names), qualifier)
        else:
            text = sentences[category](len(names), join_names(names))
        out.append((category, text))
    return out


# The sentences with the secretariat's words after the noun, for the categories whose noun
# takes them; an observer State's and youth's sentences name the delegations first.
QUALIFIED = {
    AttendanceCategory.MEMBER_STATE: lambda n, names, q: ngettext(
        "The following State %(qualifier)s was represented at the Meeting: %(names)s.",
        "The following States %(qualifier)s were represented at the Meeting: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.UN_ENTITY: lambda n, names, q: ngettext(
        "The following entity of the United Nations system %(qualifier)s was represented by"
        " observers: %(names)s.",
        "The following entities of the United Nations system %(qualifier)s were represented by"
        " observers: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.PROGRAMME_NETWORK_INSTITUTE: lambda n, names, q: ngettext(
        "The following institute of the United Nations crime prevention and criminal justice"
        " programme network %(qualifier)s was represented by observers: %(names)s.",
        "The following institutes of the United Nations crime prevention and criminal justice"
        " programme network %(qualifier)s were represented by observers: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.INTERGOVERNMENTAL_ORGANISATION: lambda n, names, q: ngettext(
        "The following intergovernmental organization %(qualifier)s was represented by"
        " observers: %(names)s.",
        "The following intergovernmental organizations %(qualifier)s were represented by"
        " observers: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.NGO: lambda n, names, q: ngettext(
        "The following non-governmental organization %(qualifier)s was represented by"
        " observers: %(names)s.",
        "The following non-governmental organizations %(qualifier)s were represented by"
        " observers: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.ACADEMIA: lambda n, names, q: ngettext(
        "The following academic institution %(qualifier)s was represented: %(names)s.",
        "The following academic institutions %(qualifier)s were represented: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
    AttendanceCategory.PRIVATE_SECTOR: lambda n, names, q: ngettext(
        "The following private-sector entity %(qualifier)s was represented: %(names)s.",
        "The following private-sector entities %(qualifier)s were represented: %(names)s.",
        n,
        names=names,
        qualifier=q,
    ),
}
