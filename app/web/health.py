"""Liveness and readiness for load balancers and process managers."""

from __future__ import annotations

import time

from flask import Blueprint, current_app
from redis.exceptions import RedisError

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Ready when both the state Redis and the broker answer; also reports beat's heartbeat."""
    checks: dict[str, str] = {}
    heartbeat_ms = None
    try:
        current_app.extensions["store"].ping()
        heartbeat_ms = current_app.extensions["store"].last_heartbeat()
        checks["redis"] = "ok"
    except RedisError as exc:
        checks["redis"] = f"unreachable: {exc}"
    timeout = current_app.extensions["bouncekeeper"].broker_timeout_seconds
    try:
        with current_app.extensions["celery"].connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        checks["broker"] = "ok"
    except Exception as exc:  # kombu raises transport-specific errors here
        checks["broker"] = f"unreachable: {exc}"
    ready = all(v == "ok" for v in checks.values())
    age = None if heartbeat_ms is None else round(time.time() - heartbeat_ms / 1000, 1)
    body = {"status": "ready" if ready else "not ready", "checks": checks, "heartbeat_age_s": age}
    return body, 200 if ready else 503
