"""`/api/v1/contacts` and `/api/v1/alerts`: a contact's soft state, and domains in trouble."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from app import operations
from app.suppressions import iso
from app.web import schemas
from app.web.api import Blueprint
from app.web.auth import READ
from app.web.errors import fail
from app.web.suppressions import address, store

bp = Blueprint(
    "contacts",
    __name__,
    url_prefix="/api/v1",
    description="Soft-bounce state per contact, and sender-side alerts per recipient domain.",
)


@bp.route("/contacts/<address:email>")
class Contact(MethodView):
    @bp.auth(READ)
    @bp.response(200, schemas.ContactSchema)
    @bp.alt_response(400, response="BAD_REQUEST")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, email: str) -> dict[str, Any]:
        """The soft-bounce state: score in the window, counted days, recent history."""
        normalized = address(email)
        view = operations.contact(store(), normalized, current_app.extensions["rules"].policy)
        if view is None:
            fail(404, f"no recent events recorded for {normalized}")
        return view


@bp.route("/alerts")
class Alerts(MethodView):
    @bp.auth(READ)
    @bp.response(200, schemas.AlertsSchema)
    def get(self) -> dict[str, Any]:
        """The 100 newest sender-side alerts: the early sign of a blocklisting."""
        alerts = [
            {
                "id": entry_id,
                "domain": fields["domain"],
                "hour": iso(fields["hour"]),
                "sender_side": int(fields["sender_side"]),
                "total": int(fields["total"]),
                "code": int(fields["code"]) if fields.get("code") else None,
                "raised_at": iso(fields["at"]),
            }
            for entry_id, fields in store().alerts(count=100)
        ]
        return {"alerts": alerts}
