"""`/api/v1/contacts`, `/api/v1/alerts`, `/api/v1/sync`: a contact's soft state, domains in
trouble, and whether each sender got the list."""

from __future__ import annotations

import time
from typing import Any

import marshmallow as ma
from flask import current_app
from flask.views import MethodView

from app import operations
from app.config import Settings
from app.store.sync import SyncStore
from app.suppressions import iso
from app.sync import status as sync_status
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


class SinkStatusSchema(ma.Schema):
    cursor = ma.fields.String(allow_none=True)
    lag_entries = ma.fields.Integer()
    lag_capped = ma.fields.Boolean()
    lag_seconds = ma.fields.Float()
    last_success = ma.fields.String(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
    last_error_at = ma.fields.String(allow_none=True)
    failures_in_a_row = ma.fields.Integer()
    retry_at = ma.fields.String(allow_none=True)
    accepted = ma.fields.Integer()
    rejected = ma.fields.Integer()
    failed_entries = ma.fields.Integer()


class SyncStatusSchema(ma.Schema):
    sinks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(SinkStatusSchema))


@bp.route("/sync")
class SyncStatus(MethodView):
    @bp.auth(READ)
    @bp.response(200, SyncStatusSchema)
    def get(self) -> dict[str, Any]:
        """Per configured sink: how far behind it is, when it last succeeded and failed, and
        how many addresses it refuses; `lag_entries` is counted up to 10,000 (`lag_capped`)."""
        settings: Settings = current_app.extensions["bouncekeeper"]
        return {"sinks": sync_status(settings, SyncStore(store()), int(time.time() * 1000))}
