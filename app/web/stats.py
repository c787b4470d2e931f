"""Read API for operators watching traffic: per-day stats and recent events.

Read scope, checked by app.web.auth like the rest of the admin API.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, request

from app import stats, taxonomy
from app.addresses import InvalidAddressError, domain_of, normalize
from app.store import Store, reports
from app.web.auth import READ, authorize
from app.web.errors import fail

bp = Blueprint("stats", __name__, url_prefix="/api/v1")

MAX_EVENTS = 500


@bp.before_request
def require_read_token() -> None:
    authorize(READ)


def _store() -> Store:
    return current_app.extensions["store"]


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        fail(400, f"{name} must be an integer from {low} to {high}", {name: ["out of range"]})
    return int(raw)


@bp.get("/stats")
def get_stats() -> dict[str, Any]:
    """Applied events per day by code, category, provider, action and recipient domain."""
    days = _int_arg("days", 7, 1, stats.MAX_DAYS)
    top = _int_arg("top", 10, 1, 100)
    report = stats.collect(_store(), days, int(time.time() * 1000), top)
    return {"days": days, **stats.as_dict(report)}


@bp.get("/events")
def get_events() -> dict[str, Any]:
    """Recent events of one contact (its history) or one recipient domain (the event stream)."""
    contact, domain = request.args.get("contact"), request.args.get("domain")
    if (contact is None) == (domain is None):
        fail(
            400,
            "give exactly one of contact or domain",
            {"contact": ["exactly one of contact, domain"]},
        )
    limit = _int_arg("limit", 50, 1, MAX_EVENTS)
    try:
        address = normalize(contact if contact is not None else f"postmaster@{domain}")
    except InvalidAddressError as exc:
        fail(400, str(exc), {"contact" if contact is not None else "domain": [str(exc)]})
    if contact is not None:
        return {"contact": address, "events": _contact_events(address, limit)}
    found = reports.recent_events(_store(), domain_of(address), limit)
    return {"domain": domain_of(address), "events": [_stream_event(f) for _, f in found]}


def _category(code: int | None) -> str:
    return str(taxonomy.CODES[code].category) if code in taxonomy.CODES else ""


def _contact_events(address: str, limit: int) -> list[dict[str, Any]]:
    state = _store().contact(address)
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
    }
