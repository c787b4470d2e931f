"""The dashboard's contact page (search by address) and its lift form.

The page shows what bouncekeeper holds of one address: its suppression with the evidence and
its grade, its soft score and counted days, its recent history and where each sink stands with
it. The lift form posts to the same operation as `DELETE /api/v1/suppressions/<email>`
(app.operations.unsuppress); it needs the admin scope and Flask-WTF's CSRF token, because a
browser sends its basic-auth login with any form posted to this origin, also from another site.
"""

from __future__ import annotations

from typing import Any

import structlog
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app import operations, suppressions
from app.addresses import InvalidAddressError, normalize
from app.config import Settings
from app.store import Store
from app.store.sync import SyncStore
from app.sync import address_status
from app.web.auth import ADMIN
from app.web.dashboard import bp

log = structlog.get_logger("bouncekeeper.dashboard")


class LiftForm(FlaskForm):
    """Lift one suppression; `force` is needed for a spam complaint, as in the API."""

    email = HiddenField(validators=[DataRequired()])
    reason = StringField(
        "Reason", validators=[DataRequired("a reason is required"), Length(max=500)]
    )
    force = BooleanField("Lift a spam complaint too")


def _store() -> Store:
    return current_app.extensions["store"]


def page(email: str, form: LiftForm, error: str = "", status: int = 200) -> tuple[str, int]:
    """The contact page of a normalized address, with `error` above the form if any."""
    store = _store()
    settings: Settings = current_app.extensions["bouncekeeper"]
    record = store.suppression(email)
    form.email.data = email
    return render_template(
        "contact.html",
        email=email,
        suppression=suppressions.render(record) if record else None,
        contact=operations.contact(store, email, current_app.extensions["rules"].policy),
        sync=address_status(settings, SyncStore(store), email),
        form=form,
        admin=g.scope == ADMIN,
        error=error,
    ), status


@bp.get("/dashboard/contact")
def contact() -> Any:
    raw = request.args.get("email", "").strip()
    if not raw:
        return render_template("search.html", error="", given=""), 200
    try:
        email = normalize(raw)
    except InvalidAddressError as exc:
        return render_template("search.html", error=str(exc), given=raw), 400
    return page(email, LiftForm(formdata=None))


@bp.post("/dashboard/contact/lift")
def lift() -> Response | tuple[str, int]:
    form = LiftForm()
    try:
        email = normalize(form.email.data or "")
    except InvalidAddressError as exc:
        return render_template("search.html", error=str(exc), given=form.email.data), 400
    if g.scope != ADMIN:
        return _refuse(email, form, 403, "lifting a suppression needs a token with the admin scope")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return _refuse(
                email,
                form,
                400,
                "this form was not sent by this dashboard or has expired "
                f"({form.errors['csrf_token'][0].rstrip('.')}); reload the page and try again",
            )
        problems = "; ".join(f"{name}: {msgs[0]}" for name, msgs in form.errors.items())
        return _refuse(email, form, 400, problems)
    actor = f"dashboard:{g.operator}" if g.operator else "dashboard"
    try:
        done = operations.unsuppress(
            _store(),
            email,
            actor,
            form.reason.data or "",
            form.force.data,
            current_app.extensions["rules"].policy,
        )
    except operations.OperationError as exc:
        return _refuse(email, form, exc.status, exc.message)
    log.info("dashboard lift", email=done.email, actor=actor, reason=done.reason)
    flash(f"Lifted the suppression of {done.email} (reason: {done.reason}).")
    return redirect(url_for("dashboard.contact", email=done.email), code=303)


def _refuse(email: str, form: LiftForm, status: int, message: str) -> tuple[str, int]:
    """Nothing was changed: log why and show the page again with the message."""
    log.warning("dashboard lift refused", email=email, status=status, why=message)
    return page(email, form, message, status)
