"""Messages to participants and the meeting's outbox (organisers): thin views over
app/communications/messages.py."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.communications.forms import GroupMessageForm, RetryForm
from app.communications.messages import checked, preview, retry_message, send_to_group
from app.communications.models import GroupMessage
from app.communications.queries import GroupFilter
from app.errors import CommunicationError, commit_change, show_error
from app.extensions import db
from app.mail.models import MessageState, OutboxMessage
from app.meetings.access import require_manager
from app.pages import press_button
from app.permissions import allows
from app.programme.models import AgendaSession, Cluster

bp = Blueprint("communications", __name__)

# Messages listed on the outbox page at once (newest first); `?before=<id>` pages back.
OUTBOX_PAGE = 200


def _form(meeting) -> GroupMessageForm:
    form = GroupMessageForm()
    clusters = db.session.scalars(
        sa.select(Cluster).where(Cluster.meeting_id == meeting.id).order_by(Cluster.number)
    ).all()
    slots = db.session.scalars(
        sa.select(AgendaSession.slot)
        .where(AgendaSession.meeting_id == meeting.id, AgendaSession.slot.is_not(None))
        .distinct()
        .order_by(AgendaSession.slot)
    ).all()
    form.set_choices(clusters, slots)
    return form


def _chosen(form: GroupMessageForm) -> GroupFilter:
    return GroupFilter(
        status=form.status.data or "",
        category=form.category.data or "",
        delegation=form.delegation.data or "",
        cluster_id=int(form.cluster.data) if form.cluster.data else None,
        slot=int(form.slot.data) if form.slot.data else None,
        youth_forum=bool(form.youth_forum.data),
    )


@bp.route("/meetings/<slug>/manage/messages/new", methods=["GET", "POST"])
@allows("organiser")
def compose_message(slug):
    """Write to a group: choose it, see how many it reaches and how the text reads, send."""
    meeting = require_manager(slug)
    form = _form(meeting)
    shown = None
    if form.validate_on_submit():
        chosen = _chosen(form)
        if form.send.data:
            author = current_user._get_current_object()
            outcome = commit_change(
                lambda: (
                    send_to_group(
                        meeting, author, form.subject.data, form.body.data, chosen
                    ).recipients
                ),
                form=form,
            )
            if outcome.ok:
                flash(
                    ngettext(
                        "The message is on its way to %(num)d participant.",
                        "The message is on its way to %(num)d participants.",
                        outcome.value,
                    ),
                    "success",
                )
                return redirect(url_for("communications.show_outbox", slug=meeting.slug))
        else:
            try:
                subject, body = checked(form.subject.data, form.body.data)
                shown = preview(meeting, subject, body, chosen)
            except CommunicationError as error:
                show_error(form, error)
    return render_template("communications/compose.html", meeting=meeting, form=form, shown=shown)


@bp.route("/meetings/<slug>/manage/outbox")
@allows("organiser")
def show_outbox(slug):
    """Every message of the meeting with its state; a failed one can be sent again."""
    meeting = require_manager(slug)
    before = request.args.get("before", type=int)
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.meeting_id == meeting.id)
        .order_by(OutboxMessage.id.desc())
        .limit(OUTBOX_PAGE)
    )
    if before:
        query = query.where(OutboxMessage.id < before)
    messages = db.session.scalars(
        query.options(
            sa.orm.load_only(
                OutboxMessage.id,
                OutboxMessage.kind,
                OutboxMessage.recipient,
                OutboxMessage.recipient_name,
                OutboxMessage.subject,
                OutboxMessage.state,
                OutboxMessage.attempts,
                OutboxMessage.last_error,
                OutboxMessage.created_at,
                OutboxMessage.sent_at,
            )
        )
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.state, sa.func.count())
            .where(OutboxMessage.meeting_id == meeting.id)
            .group_by(OutboxMessage.state)
        ).all()
    )
    groups = db.session.scalars(
        sa.select(GroupMessage)
        .where(GroupMessage.meeting_id == meeting.id)
        .order_by(GroupMessage.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "communications/outbox.html",
        meeting=meeting,
        messages=messages,
        counts={state: counts.get(state, 0) for state in MessageState},
        groups=groups,
        retry_form=RetryForm(),
        older=messages[-1].id if len(messages) == OUTBOX_PAGE else None,
    )


@bp.route("/meetings/<slug>/manage/outbox/<int:message_id>/retry", methods=["POST"])
@allows("organiser")
def retry_outbox_message(slug, message_id):
    meeting = require_manager(slug)
    back = url_for("communications.show_outbox", slug=meeting.slug)
    if not RetryForm().validate_on_submit():
        return redirect(back)
    return press_button(
        lambda: _("“%(subject)s” is queued again.", subject=retry_message(meeting, message_id)),
        back,
    )
