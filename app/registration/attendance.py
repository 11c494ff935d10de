"""The attendance section of a UN report: one sentence per category of participant, with the
delegations that were represented in alphabetical order.

Each sentence is one translatable string (ngettext on the number of delegations, the list as
`%(names)s`), so a translator words the whole sentence with the grammar of the language; the
list itself is joined in the document's language ("A, B et C", "A وB وC", "A、B和C").

It reads the delegation records (their name and category, as the organiser or the import set
them) of the approved registrations; a registration not linked to a record (made before the
records existed and not migrated) counts under its own delegation text and category.
"""

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from sqlalchemy import select

from app.delegations.delegations import standard_qualifier
from app.delegations.models import Delegation
from app.extensions import db
from app.hooks import hook
from app.meetings.models import Meeting
from app.registration.models import (
    AttendanceCategory,
    Registration,
    RegistrationStatus,
)
from app.registration.queries import listed_category, listed_delegation, with_delegation_record


def join_names(names: list[str]) -> str:
    """ "A, B and C", as the seed reports list delegations, in the language of the document
    being written (CLDR's list patterns)."""
    if len(names) <= 1:
        return "".join(names)
    return format_list(names, locale=get_locale() or "en_GB")


def attendance_paragraphs(
    meeting: Meeting, qualifiers: dict[str, str] | None = None
) -> list[tuple[AttendanceCategory, str]]:
    """The attendance section of a UN report: one sentence per category, delegations in order.

    `qualifiers` maps a category's value to the words the secretariat adds after its noun
    ("members of the Economic and Social Commission for Asia and the Pacific", "in consultative
    status with the Economic and Social Council"), as the report outline's lead sentence sets.

    The delegations are those with an approved registration, unless an area above says which
    were present (the venue's `attendance_delegations` hook answers when the organiser chose
    "delegations with a member present"; None means "no opinion").
    """
    qualifiers = {k: v for k, v in (qualifiers or {}).items() if v}
    present = next(
        (rows for rows in hook("attendance_delegations", meeting) if rows is not None), None
    )
    if present is not None:
        rows = [(category, delegation, None) for category, delegation in present]
    else:
        rows = db.session.execute(
            with_delegation_record(
                select(listed_category, listed_delegation, Delegation.qualifier).select_from(
                    Registration
                )
            )
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status == RegistrationStatus.APPROVED,
            )
            .distinct()
        ).all()
    by_category: dict[AttendanceCategory, set[str]] = {}
    records: dict[AttendanceCategory, set[str | None]] = {}
    for category, delegation, qualifier in rows:
        by_category.setdefault(AttendanceCategory(category), set()).add(delegation)
        records.setdefault(AttendanceCategory(category), set()).add(qualifier)
    # The seed's wording when every NGO record carries the category's standard qualifier.
    ecosoc = records.get(AttendanceCategory.NGO) == {standard_qualifier(AttendanceCategory.NGO)}
    sentences = {
        # Translators: each attendance sentence is whole; %(names)s is the delegations' list,
        # already joined ("A, B and C"); the singular is for one delegation.
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
        AttendanceCategory.NGO: lambda n, names: (
            ngettext(
                "The following non-governmental organization in consultative status with the"
                " Economic and Social Council was represented by observers: %(names)s.",
                "The following non-governmental organizations in consultative status with the"
                " Economic and Social Council were represented by observers: %(names)s.",
                n,
                names=names,
            )
            if ecosoc
            else ngettext(
                "The following non-governmental organization was represented by observers:"
                " %(names)s.",
                "The following non-governmental organizations were represented by observers:"
                " %(names)s.",
                n,
                names=names,
            )
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
