"""Admin read API: is this address suppressed, why, and what is its soft state."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Blueprint, current_app, request

from app import operations, taxonomy
from app.addresses import InvalidAddressError, normalize
from app.config import Settings
from app.policy import MS_PER_DAY, Policy, utc_day
from app.store import Store
from app.store.sync import SyncStore
from app.web.auth import bearer_ok
from app.web.errors import fail

bp = Blueprint("admin", __name__, url_prefix="/api/v1")


@bp.before_request
def require_token() -> None:
    settings: Settings = current_app.extensions["bouncekeeper"]
    if not settings.api_token:
        fail(403, "the admin API is off: set BOUNCEKEEPER_API_TOKEN to enable it")
    if not bearer_ok(request, settings.api_token):
        fail(
            401,
            "missing or wrong bearer token",
            headers={"WWW-Authenticate": 'Bearer realm="bouncekeeper"'},
        )


def _store() -> Store:
    return current_app.extensions["store"]


def _policy() -> Policy:
    return current_app.extensions["rules"].policy


def _address(raw: str) -> str:
    try:
        return normalize(raw)
    except InvalidAddressError as exc:
        fail(400, str(exc), {"email": [str(exc)]})


def iso(ms: int | str | None) -> str | None:
    if ms in (None, ""):
        return None
    return datetime.fromtimestamp(int(ms) / 1000, UTC).isoformat(timespec="milliseconds")


def _day_iso(day: int) -> str:
    return datetime.fromtimestamp(day * MS_PER_DAY / 1000, UTC).date().isoformat()


@bp.get("/suppressions/<path:email>")
def get_suppression(email: str):
    address = _address(email)
    record = _store().suppression(address)
    if record is None:
        fail(404, f"{address} is not suppressed")
    code = int(record["code"]) if record.get("code") else None
    return {
        "email": address,
        "code": code,
        "category": record.get("category") or None,
        "meaning": taxonomy.CODES[code].meaning if code in taxonomy.CODES else None,
        "source": record["source"],
        "created_at": iso(record.get("created_at")),
        "updated_at": iso(record.get("updated_at")),
        "last_seen_at": iso(record.get("last_seen_at")),
        "hits": int(record.get("hits", 1)),
        "evidence": {
            "occurred_at": iso(record.get("occurred_at")),
            "diagnostic": record.get("diagnostic", ""),
            "matched_by": record.get("matched_by", ""),
            "provider": record.get("provider", ""),
            "message_id": record.get("message_id", ""),
            "event_id": record.get("event_id", ""),
        },
    }


@bp.delete("/suppressions/<path:email>")
def delete_suppression(email: str):
    """Body: {"reason": required, "actor": optional, "force": lifts a complaint}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        fail(400, "send a JSON object with a reason", {"reason": ["required"]})
    reason, actor = body.get("reason"), body.get("actor", "api")
    if not isinstance(reason, str) or not reason.strip():
        fail(400, "a reason is required to remove a suppression", {"reason": ["required"]})
    if not isinstance(actor, str) or not isinstance(body.get("force", False), bool):
        fail(400, "actor must be a string and force a boolean")
    try:
        done = operations.unsuppress(
            _store(), _address(email), actor, reason, body.get("force", False), _policy()
        )
    except operations.OperationError as exc:
        fail(exc.status, exc.message)
    return {"email": done.email, "removed": True, "actor": done.actor, "reason": done.reason}


@bp.get("/alerts")
def list_alerts():
    """Domains whose sender-side rejections jumped: the early sign of a blocklisting."""
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
        for entry_id, fields in _store().alerts(count=100)
    ]
    return {"alerts": alerts}


@bp.get("/contacts/<path:email>")
def get_contact(email: str):
    address = _address(email)
    store = _store()
    state = store.contact(address)
    if state is None:
        fail(404, f"no recent events recorded for {address}")
    policy = _policy()
    today = utc_day(int(time.time() * 1000))
    history = [{**entry, "at": iso(entry["at"])} for entry in state.history]
    return {
        "email": address,
        "suppressed": store.suppression(address) is not None,
        "score": sum(w for d, w in state.days.items() if d > today - policy.window_days),
        "threshold": policy.threshold,
        "window_days": policy.window_days,
        "counted": [{"day": _day_iso(d), "weight": w} for d, w in sorted(state.days.items())],
        "reset_at": iso(state.reset_at_ms or None),
        "events": state.events,
        "last": history[0] if history else None,
        "history": history,
    }


LAG_CAP = 10_000


@bp.get("/sync")
def sync_status():
    """Per configured sink: how far behind it is, when it last succeeded and failed, and how
    many addresses it refused; `lag_entries` is counted up to LAG_CAP (`lag_capped`)."""
    settings: Settings = current_app.extensions["bouncekeeper"]
    sync = SyncStore(_store())
    now_ms = int(time.time() * 1000)
    sinks = {}
    for name in settings.sink_names:
        state = sync.state(name)
        lag, oldest = sync.lag(state.cursor, LAG_CAP)
        sinks[name] = {
            "cursor": state.cursor,
            "lag_entries": lag,
            "lag_capped": lag >= LAG_CAP,
            "lag_seconds": (now_ms - int(oldest.split("-")[0])) / 1000 if oldest else 0.0,
            "last_success": iso(state.last_success or None),
            "last_error": state.last_error or None,
            "last_error_at": iso(state.last_error_at or None),
            "failures_in_a_row": state.failures,
            "retry_at": iso(state.not_before or None),
            "accepted": state.accepted,
            "rejected": state.rejected,
            "failed_entries": sync.failed_count(name),
        }
    return {"sinks": sinks}
