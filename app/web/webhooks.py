"""`POST /webhooks/<provider>`: verify, validate, enqueue the whole batch as one task, 202.

Nothing is applied here: a request either becomes exactly one task in the broker or gets a
4xx/503 and changes nothing, so the ESP's retry is always safe.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from flask import Blueprint, current_app, request
from kombu.exceptions import OperationalError
from marshmallow import ValidationError
from redis.exceptions import RedisError

from app import providers
from app.config import ENV_NAMES, Settings
from app.queue import INGEST_TASK
from app.web.auth import shared_secret_ok
from app.web.errors import fail

bp = Blueprint("webhooks", __name__)
log = logging.getLogger("bouncekeeper.web.webhooks")

RETRY_AFTER_SECONDS = "30"


def _reject(provider: str, status: int, message: str, fields: Any = None, **kw: Any) -> None:
    log.warning("webhook %s rejected with %d: %s %s", provider, status, message, fields or "")
    fail(status, message, fields, **kw)


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dict as `data[0].contact_email` -> messages."""
    if isinstance(messages, list):
        return {prefix or "_body": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        if isinstance(key, int):
            path = f"{prefix}[{key}]"
        elif key == "_schema":
            path = prefix or "_body"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        flat.update(flatten(value, path))
    return flat


def _secret(settings: Settings, provider: str) -> str:
    return getattr(settings, f"{provider}_secret", "")


def _parse_json(provider: str, body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        _reject(provider, 400, f"body is not valid JSON: {exc}")
    if not isinstance(payload, dict):
        _reject(provider, 400, "body must be a JSON object")
    return payload


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


@bp.post("/webhooks/<provider>")
def receive(provider: str):
    received_at_ms = int(time.time() * 1000)
    settings: Settings = current_app.extensions["bouncekeeper"]
    module = providers.get(provider)
    if module is None:
        _reject(provider, 404, f"unknown provider {provider!r}")
    secret = _secret(settings, provider)
    if not secret:
        env = ENV_NAMES[f"{provider}_secret"]
        _reject(provider, 404, f"the {provider} webhook is off: set {env} to enable it")
    if not shared_secret_ok(request, secret):
        _reject(
            provider,
            401,
            "missing or wrong credentials: send the shared secret as a Bearer token or as "
            "the basic-auth password",
            headers={"WWW-Authenticate": 'Bearer realm="bouncekeeper", Basic realm="bouncekeeper"'},
        )
    if not request.is_json:
        _reject(provider, 415, f"Content-Type must be application/json, not {request.mimetype!r}")
    payload = _parse_json(provider, request.get_data(cache=False))
    try:
        validated = module.schema().load(payload)
    except ValidationError as exc:
        fields = flatten(exc.messages)
        _reject(provider, 400, f"invalid {provider} payload: " + ", ".join(fields), fields)
    _enqueue(provider, validated, received_at_ms)
    return {"accepted": len(validated["data"])}, 202


def _enqueue(provider: str, validated: dict[str, Any], received_at_ms: int) -> None:
    celery = current_app.extensions["celery"]
    try:
        celery.send_task(INGEST_TASK, args=[provider, validated, received_at_ms], retry=True)
    except (OperationalError, RedisError, OSError) as exc:
        log.error("broker unavailable, webhook %s refused with 503: %s", provider, exc)
        fail(
            503,
            "the queue is unavailable; nothing was accepted, retry later",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
