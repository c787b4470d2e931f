"""Liveness and readiness for load balancers, process managers and alerting.

`/healthz` says only that the process answers. `/readyz` says whether bouncekeeper as a whole
can do its job: the state Redis takes writes (a real write, not PING: a server out of memory
or a read-only replica still answers PING), the broker accepts connections, a worker has
sent a heartbeat recently, and the clocks agree with the state Redis's (dedup, replay windows
and event dating all compare times taken on different hosts; docs/OPERATIONS.md, Clocks).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app
from redis.exceptions import RedisError

from app.config import Settings
from app.store import Store
from app.store.faults import unavailable

bp = Blueprint("health", __name__)

READINESS = {
    "type": "object",
    "required": ["status", "checks", "heartbeat_age_s", "clock_skew_s"],
    "properties": {
        "status": {"type": "string", "enum": ["ready", "not ready"]},
        "checks": {
            "type": "object",
            "description": "redis, broker, heartbeat, clock: `ok…` or what is wrong",
            "additionalProperties": {"type": "string"},
        },
        "heartbeat_age_s": {"type": "number", "nullable": True},
        "clock_skew_s": {
            "type": "object",
            "description": "web's and worker's clock minus the state Redis's, in seconds",
            "additionalProperties": {"type": "number"},
        },
    },
}
OPENAPI_PATHS = {
    "/healthz": {
        "get": {
            "tags": ["health"],
            "summary": "Liveness: the process answers.",
            "responses": {
                "200": {
                    "description": "alive",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"status": {"type": "string", "enum": ["ok"]}},
                            }
                        }
                    },
                }
            },
        }
    },
    "/readyz": {
        "get": {
            "tags": ["health"],
            "summary": "Readiness: the state Redis takes writes, the broker connects, a "
            "worker's heartbeat is recent and the clocks agree (docs/OPERATIONS.md).",
            "responses": {
                "200": {
                    "description": "ready: every check is ok",
                    "content": {"application/json": {"schema": READINESS}},
                },
                "503": {
                    "description": "not ready: the failing checks say what is wrong",
                    "content": {"application/json": {"schema": READINESS}},
                },
            },
        }
    },
}


@bp.record_once
def _remember_start(state: Any) -> None:
    state.app.extensions.setdefault("started_at", time.monotonic())


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """200 when every check is ok, else 503; each check says what is wrong."""
    settings: Settings = current_app.extensions["bouncekeeper"]
    checks: dict[str, str] = {}
    body: dict[str, Any] = {"heartbeat_age_s": None, "clock_skew_s": {}}
    try:
        before = time.time()
        server_ms, heartbeat = _store().probe()
        local_ms = (before + time.time()) * 500  # the midpoint of the round trip, in ms
        checks["redis"] = "ok"
    except RedisError as exc:
        checks["redis"] = unavailable(exc) or f"error: {exc}"
        checks["heartbeat"] = checks["clock"] = "unknown: the state Redis did not answer"
    checks["broker"] = _broker(settings)
    if checks["redis"] == "ok":
        age_s = heartbeat.age_s(server_ms) if heartbeat else None
        body["heartbeat_age_s"] = age_s
        checks["heartbeat"] = _heartbeat_check(age_s, settings.heartbeat_max_age_seconds)
        skews = {"web": round((local_ms - server_ms) / 1000, 3)}
        if heartbeat and heartbeat.server_ms is not None:
            skews["worker"] = round((heartbeat.worker_ms - heartbeat.server_ms) / 1000, 3)
        body["clock_skew_s"] = skews
        checks["clock"] = _clock_check(skews, settings.max_clock_skew_seconds)
    ready = all(value.startswith("ok") for value in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks, **body}
    return body, 200 if ready else 503


def _store() -> Store:
    return current_app.extensions["store"]


def _broker(settings: Settings) -> str:
    try:
        with current_app.extensions["celery"].connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.broker_timeout_seconds)
    except Exception as exc:  # kombu raises transport-specific errors here
        return f"unreachable: {exc}"
    return "ok"


def _heartbeat_check(age_s: float | None, limit_s: int) -> str:
    """A fresh deployment has no heartbeat until beat and a worker have run once: that is ok
    for `limit_s` after the web started, then it is a fault like a stale one."""
    if age_s is None:
        up_s = time.monotonic() - current_app.extensions["started_at"]
        if up_s <= limit_s:
            return f"ok: no heartbeat yet (web up {up_s:.0f} s, waiting up to {limit_s} s)"
        return (
            f"no heartbeat recorded ({up_s:.0f} s after the web started): "
            "are beat and a worker running?"
        )
    if age_s > limit_s:
        return f"stale: the last heartbeat is {age_s:.0f} s old (limit {limit_s} s)"
    return "ok"


def _clock_check(skews: dict[str, float], limit_s: float) -> str:
    off = [f"{name} {skew:+.1f} s" for name, skew in skews.items() if abs(skew) > limit_s]
    if off:
        return f"skewed from the state Redis's clock: {', '.join(off)} (limit {limit_s:g} s)"
    return "ok"
