"""`/api/v1/stats` and `/api/v1/events`: per-day counts and recent events, read scope."""

from __future__ import annotations

import time
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from marshmallow import validate

from app import stats, taxonomy
from app.addresses import InvalidAddressError, domain_of, normalize
from app.store import reports
from app.web.api import Blueprint
from app.web.auth import READ
from app.web.errors import fail
from app.web.suppressions import store

bp = Blueprint(
    "stats",
    __name__,
    url_prefix="/api/v1",
    description="Applied events per day, and the recent events of a contact or a domain.",
)

MAX_EVENTS = 500
Counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class StatsArgs(ma.Schema):
    days = ma.fields.Integer(load_default=7, validate=validate.Range(min=1, max=stats.MAX_DAYS))
    top = ma.fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class EventsArgs(ma.Schema):
    contact = ma.fields.String(metadata={"description": "an address: its own recent history"})
    domain = ma.fields.String(metadata={"description": "a recipient domain: the event stream"})
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_EVENTS))

    @ma.validates_schema
    def exactly_one(self, data: dict[str, Any], **_: Any) -> None:
        if ("contact" in data) == ("domain" in data):
            raise ma.ValidationError("exactly one of contact, domain", "contact")


class DomainEvents(ma.Schema):
    domain = ma.fields.String()
    events = ma.fields.Integer()


class DomainRejections(ma.Schema):
    domain = ma.fields.String()
    rejections = ma.fields.Integer()


class DaySchema(ma.Schema):
    day = ma.fields.String()
    events = ma.fields.Integer()
    by_code = Counts
    by_category = Counts
    by_provider = Counts
    by_action = Counts
    top_domains = ma.fields.List(ma.fields.Nested(DomainEvents))


class StatsSchema(ma.Schema):
    days = ma.fields.List(ma.fields.Nested(DaySchema))
    events = ma.fields.Integer()
    by_code = Counts
    by_category = Counts
    by_provider = Counts
    by_action = Counts
    top_domains = ma.fields.List(ma.fields.Nested(DomainEvents))
    top_sender_side = ma.fields.List(ma.fields.Nested(DomainRejections))


class EventSchema(ma.Schema):
    email = ma.fields.String()
    at = ma.fields.String(allow_none=True)
    code = ma.fields.Integer(allow_none=True)
    category = ma.fields.String()
    action = ma.fields.String()
    result = ma.fields.String()
    provider = ma.fields.String()
    diagnostic = ma.fields.String()
    message_id = ma.fields.String()
    time_note = ma.fields.String(
        metadata={
            "description": "why `at` is the arrival time and not the ESP's (`ahead`, "
            "`before_2000`; docs/OPERATIONS.md); empty when the ESP's time was kept"
        }
    )
    reported_at = ma.fields.Integer(
        allow_none=True, metadata={"description": "the ESP's time, epoch ms, when replaced"}
    )


class EventsSchema(ma.Schema):
    contact = ma.fields.String()
    domain = ma.fields.String()
    events = ma.fields.List(ma.fields.Nested(EventSchema))


@bp.route("/stats")
class Stats(MethodView):
    @bp.auth(READ)
    @bp.arguments(StatsArgs, location="query")
    @bp.response(200, StatsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Applied events per day by code, category, provider, action and recipient domain."""
        report = stats.collect(store(), args["days"], int(time.time() * 1000), args["top"])
        return stats.as_dict(report)


@bp.route("/events")
class Events(MethodView):
    @bp.auth(READ)
    @bp.arguments(EventsArgs, location="query")
    @bp.response(200, EventsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Recent events of one contact (its history) or one recipient domain (the stream)."""
        contact, limit = args.get("contact"), args["limit"]
        try:
            address = normalize(contact if contact is not None else f"postmaster@{args['domain']}")
        except InvalidAddressError as exc:
            fail(400, str(exc), {"contact" if contact is not None else "domain": [str(exc)]})
        if contact is not None:
            return {"contact": address, "events": _contact_events(address, limit)}
        found = reports.recent_events(store(), domain_of(address), limit)
        return {"domain": domain_of(address), "events": [_stream_event(f) for _, f in found]}


def _category(code: int | None) -> str:
    return str(taxonomy.CODES[code].category) if code in taxonomy.CODES else ""


def _contact_events(address: str, limit: int) -> list[dict[str, Any]]:
    state = store().contact(address)
    history = state.history[:limit] if state else []
    return [
        {
            **entry,
            "email": address,
            "at": stats.iso(entry["at"]),
            "category": _category(entry["code"]),
        }
        for entry in history
    ]


def _stream_event(fields: dict[str, str]) -> dict[str, Any]:
    return {
        "email": fields["email"],
        "at": stats.iso(fields["at"]),
        "code": int(fields["code"]) if fields.get("code") else None,
        "category": fields.get("category", ""),
        "action": fields.get("action", ""),
        "result": fields.get("result", ""),
        "provider": fields.get("provider", ""),
        "diagnostic": fields.get("diagnostic", ""),
        "time_note": fields.get("time_note", ""),
        "reported_at": int(fields["reported_at"]) if fields.get("reported_at") else None,
    }
