"""Delegations and their members as a spreadsheet: the export's columns, and an import of the
same columns that first says what each row would do and saves only when the organiser confirms.

A row is one member of a delegation (or, with no name, the delegation alone). A member is
matched by e-mail address when the row gives one, else by name within the delegation; a
delegation by its name (any case). Everything goes through the rules of the forms, so an import
does nothing they refuse, and a second import of the same file finds every row unchanged.
`plan_import` only reads; `apply_import` flushes and never commits (the view commits once, or
nothing).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.delegations.delegations import save_delegation
from app.delegations.models import AttendanceCategory, Delegation, MemberRole
from app.errors import DelegationError, DomainError
from app.extensions import db
from app.meetings.models import Meeting
from app.registration.members import add_member, normal_email, update_member
from app.registration.models import Registration
from app.registration.registrations import LIVE
from app.spreadsheets import ERROR, NEW, UNCHANGED, UPDATE, PlanCounts

COLUMNS = (
    "Delegation", "Category", "Role", "Honorific", "Name", "Position", "Organisation",
    "E-mail", "Nationality",
)  # fmt: skip
REQUIRED = ("Delegation", "Category", "Name")
# A congress's list of participants runs to a few thousand names.
MAX_ROWS = 5_000
BOUNDS = {"Delegation": 200, "Honorific": 60, "Name": 200, "Position": 300,
          "Organisation": 300, "E-mail": 254, "Nationality": 100}  # fmt: skip


def _members(meeting: Meeting) -> list[Registration]:
    """The live members of the meeting's delegations, with their people and accounts."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.meeting_id == meeting.id,
                Registration.delegation_id.is_not(None),
                Registration.status.in_(LIVE),
            )
            .options(
                joinedload(Registration.person),
                joinedload(Registration.user),
                joinedload(Registration.delegation_record),
            )
        ).unique()
    )


def export_rows(meeting: Meeting) -> list[list]:
    """Every delegation and its live members in the import's columns, header first: by
    category in the UN order, delegations by name, head first."""
    from app.delegations.queries import delegations

    by_delegation: dict[int, list[Registration]] = {}
    for member in _members(meeting):
        by_delegation.setdefault(member.delegation_id, []).append(member)
    rows: list[list] = [list(COLUMNS)]
    for delegation in delegations(meeting):
        members = sorted(
            by_delegation.get(delegation.id, []),
            key=lambda r: (r.member_role.rank, r.list_order, r.id),
        )
        if not members:
            rows.append([delegation.name, delegation.category.value, "", "", "", "", "", "", ""])
        for m in members:
            p = m.person
            rows.append(
                [
                    delegation.name, delegation.category.value, m.member_role.value,
                    p.honorific, p.name, p.position, p.organisation, m.contact_email, p.country,
                ]
            )  # fmt: skip
    return rows


@dataclass
class RowPlan:
    line: int
    outcome: str
    delegation: str
    name: str
    message: str = ""
    member_id: int | None = None
    values: dict = field(default_factory=dict)
    category: AttendanceCategory | None = None


@dataclass
class ImportPlan(PlanCounts):
    rows: list[RowPlan]
    new_delegations: list[str]
    problem: str = ""


def _category(text: str) -> AttendanceCategory:
    folded = text.strip().casefold()
    for category in AttendanceCategory:
        if folded in (category.value, str(category.label).casefold()):
            return category
    raise DelegationError(_("Unknown category “%(category)s”.", category=text[:60]))


def _role(text: str) -> MemberRole:
    folded = text.strip().casefold()
    if not folded:
        return MemberRole.MEMBER
    for role in MemberRole:
        if folded in (role.value, str(role.label).casefold()):
            return role
    raise DelegationError(_("Unknown role “%(role)s”.", role=text[:60]))


def plan_import(meeting: Meeting, table: list[list[str]]) -> ImportPlan:
    """What importing the table would do, row by row; reads only, saves nothing."""
    plan = ImportPlan([], [])
    if not table:
        plan.problem = _("The file is empty.")
        return plan
    header = [cell.strip().casefold() for cell in table[0]]
    known = {name.casefold() for name in COLUMNS}
    unknown = [cell for cell in table[0] if cell.strip() and cell.strip().casefold() not in known]
    missing = [name for name in REQUIRED if name.casefold() not in header]
    if unknown or missing:
        plan.problem = _(
            "The first row must name the columns %(columns)s. Unknown: %(unknown)s. Missing: "
            "%(missing)s. Export the delegations to see them.",
            columns=", ".join(COLUMNS),
            unknown=", ".join(cell[:40] for cell in unknown[:5]) or "—",
            missing=", ".join(missing) or "—",
        )
        return plan
    index = {name: header.index(name.casefold()) for name in COLUMNS if name.casefold() in header}
    delegations = {
        d.name.casefold(): d
        for d in db.session.scalars(select(Delegation).where(Delegation.meeting_id == meeting.id))
    }
    members = _members(meeting)
    by_email = {m.contact_email.lower(): m for m in members if m.contact_email}
    by_name = {(m.delegation_id, m.person.name.casefold()): m for m in members}
    # Any registration of the meeting with that address (an account's, a withdrawn member's).
    taken = {
        (r.email or "").lower(): r for r in db.session.scalars(
            select(Registration).where(Registration.meeting_id == meeting.id,
                                       Registration.email != "")
        )
    }  # fmt: skip
    seen_emails: dict[str, int] = {}
    seen_members: dict[tuple[str, str], int] = {}
    file_categories: dict[str, AttendanceCategory] = {}
    new_delegations: dict[str, str] = {}
    for line, cells in enumerate(table[1:], start=2):

        def cell(name: str, cells=cells) -> str:
            at = index.get(name)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        delegation_name, name = cell("Delegation")[:200], cell("Name")[:200]
        try:
            row = _plan_row(
                cell, line, cells, delegations, by_email, by_name, taken, seen_emails,
                seen_members, file_categories,
            )  # fmt: skip
        except DomainError as error:
            plan.rows.append(RowPlan(line, ERROR, delegation_name, name, error.message))
            continue
        plan.rows.append(row)
        if row.delegation.casefold() not in delegations:
            new_delegations.setdefault(row.delegation.casefold(), row.delegation)
    plan.new_delegations = sorted(new_delegations.values(), key=str.casefold)
    return plan


def _plan_row(cell, line, cells, delegations, by_email, by_name, taken, seen_emails,
              seen_members, file_categories) -> RowPlan:  # fmt: skip
    for text in cells:
        if text.startswith("="):
            raise DelegationError(_("A formula is not accepted; type the value itself."))
    for column, bound in BOUNDS.items():
        if len(cell(column)) > bound:
            raise DelegationError(
                _("%(column)s: use at most %(limit)d characters.", column=column, limit=bound)
            )
    delegation_name = cell("Delegation")
    if not delegation_name:
        raise DelegationError(_("Name the delegation."))
    category = _category(cell("Category"))
    key = delegation_name.casefold()
    if file_categories.setdefault(key, category) != category:
        raise DelegationError(_("Another row gives this delegation another category."))
    delegation = delegations.get(key)
    name = cell("Name")
    values = {
        "role": _role(cell("Role")),
        "honorific": cell("Honorific"),
        "name": name,
        "position": cell("Position"),
        "organisation": cell("Organisation"),
        "email": normal_email(cell("E-mail")),
        "nationality": cell("Nationality"),
    }
    row = RowPlan(line, NEW, delegation_name, name, values=values, category=category)
    changed_delegation = delegation is not None and delegation.category != category
    if not name:  # the delegation alone
        if values["email"] or cell("Role") or cell("Position"):
            raise DelegationError(_("Give the member's name."))
        row.values = {}
        if delegation is None:
            return row
        row.outcome = UPDATE if changed_delegation else UNCHANGED
        row.message = _("category") if changed_delegation else ""
        return row
    email = values["email"]
    if email:
        if email in seen_emails:
            raise DelegationError(
                _("Row %(line)d has the same e-mail address.", line=seen_emails[email])
            )
        seen_emails[email] = line
    member_key = (key, name.casefold())
    if not email:
        if member_key in seen_members:
            raise DelegationError(
                _("Row %(line)d names the same person.", line=seen_members[member_key])
            )
        seen_members[member_key] = line
    member = by_email.get(email) if email else None
    if member is None and delegation is not None:
        member = by_name.get((delegation.id, name.casefold()))
    if member is None and email and email in taken:
        raise DelegationError(_("%(email)s is a participant of this meeting already.", email=email))
    if member is None:
        return row
    if delegation is None or member.delegation_id != delegation.id:
        raise DelegationError(
            _(
                "%(name)s is a member of %(delegation)s: move them on the delegation's page.",
                name=member.person.display_name,
                delegation=member.delegation,
            )
        )
    row.member_id = member.id
    differences = _differences(member, values)
    if changed_delegation:
        differences.insert(0, _("category"))
    row.outcome = UPDATE if differences else UNCHANGED
    row.message = ", ".join(differences)
    return row


def _differences(member: Registration, values: dict) -> list[str]:
    p = member.person
    labels = {
        "role": (member.member_role, _("role")),
        "honorific": (p.honorific, _("honorific")),
        "name": (p.name, _("name")),
        "position": (p.position, _("position")),
        "organisation": (p.organisation, _("organisation")),
        "nationality": (p.country, _("nationality")),
    }
    out = [label for key, (current, label) in labels.items() if current != values[key]]
    if member.user_id is None and (member.email or "") != values["email"]:
        out.append(_("e-mail"))
    return out


def apply_import(meeting: Meeting, plan: ImportPlan) -> dict[str, int]:
    """Save a plan without errors through the delegation and member rules; any refusal names
    its row and the caller rolls everything back."""
    if plan.errors:
        raise DelegationError(_("Correct the rows marked as errors, then import the file again."))
    delegations = {
        d.name.casefold(): d
        for d in db.session.scalars(select(Delegation).where(Delegation.meeting_id == meeting.id))
    }
    done = {NEW: 0, UPDATE: 0}
    for row in plan.rows:
        if row.outcome not in (NEW, UPDATE):
            continue
        try:
            key = row.delegation.casefold()
            delegation = delegations.get(key)
            if delegation is None:
                delegation = delegations[key] = save_delegation(
                    meeting, name=row.delegation, category=row.category
                )
            elif delegation.category != row.category:
                save_delegation(
                    meeting, delegation=delegation, name=delegation.name, category=row.category
                )
            if row.values:
                if row.member_id is None:
                    add_member(delegation, by_focal_point=False, **row.values)
                else:
                    member = db.session.get(Registration, row.member_id)
                    values = dict(row.values)
                    if member.user_id is not None:
                        values.pop("email")
                    update_member(member, by_focal_point=False, **values)
        except DomainError as error:
            raise DelegationError(
                _("Row %(line)d: %(message)s", line=row.line, message=error.message)
            ) from error
        done[row.outcome] += 1
    return done
