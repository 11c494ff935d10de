"""The two shapes most organiser pages share, written once on top of app/errors.py.

A form page saves one record: on a valid POST it runs one change and commits it through
`commit_change`, then flashes what happened and redirects; otherwise it shows the form again
with its errors. A button (delete, cancel, publish) runs one change and goes back to a page,
with what happened, or why nothing did, in the flashed messages.
"""

from collections.abc import Callable

from flask import flash, redirect, render_template, request

from app.errors import commit_change


def save_form(form, save: Callable[[], tuple[str, str]], render: Callable, **commit_options):
    """The answer of a form page. `save` makes the change and returns the message to flash and
    the address to go to, both worked out before the commit expires what they read."""
    if form.validate_on_submit():
        outcome = commit_change(save, form=form, **commit_options)
        if outcome.ok:
            message, target = outcome.value
            flash(message, "success")
            return redirect(target)
    return render()


def press_button(change: Callable, back: str, *, done: str | None = None, **commit_options):
    """The answer of a button: run `change`, flash `done` (or the message `change` returns),
    and go `back`; a refusal is flashed instead."""
    outcome = commit_change(change, **commit_options)
    if outcome.ok:
        flash(done if done is not None else outcome.value, "success")
    return redirect(back)


def confirm_first(
    *,
    title: str,
    consequences: list[str],
    confirm_label: str,
    back: str,
    carry: dict[str, str] | None = None,
):
    """Before an irreversible action: the page that says what will happen and asks, unless
    this request is the answer to it (`confirmed=yes`). Works without JavaScript: the button
    that starts the action posts to the same address, which answers with this page; its own
    button posts again with `confirmed=yes` and the fields in `carry`.

    Returns the page to answer with, or None when the person has confirmed.
    """
    if request.form.get("confirmed") == "yes":
        return None
    return render_template(
        "confirm.html",
        title=title,
        consequences=consequences,
        confirm_label=confirm_label,
        back=back,
        carry=carry or {},
    )
