"""`POST /webhooks/<provider>`: verify, validate, enqueue the whole request, 202.

Nothing is applied here: a request either goes whole into the broker (as its own task, or,
when small, inside a message it shares with requests published at the same moment) or gets a
4xx/503 and changes nothing, so the ESP's retry is always safe. What differs between ESPs
(signatures, shapes, content types) lives in the provider modules; this view is the same for
all of them. The web needs the broker only: a signed request's nonce travels with it and the
worker claims it (tasks/ingest.py), so a state outage does not refuse webhooks.
"""

from __future__ import annotations

import time
import uuid
from types import ModuleType
from typing import Any, NoReturn

import structlog
from flask import Blueprint, current_app, g, request
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from app import providers
from app.config import Settings
from app.group_commit import GroupCommit
from app.providers.base import Accepted, RejectedError, Reply, Verified, WebhookRequest
from app.publisher import Publisher
from app.queue import INGEST_BATCH_TASK, INGEST_TASK, QueuedWebhook
from app.web.bodies import whole_body
from app.web.errors import fail

bp = Blueprint("webhooks", __name__)
log = structlog.get_logger("bouncekeeper.web.webhooks")

RETRY_AFTER_SECONDS = "30"
MAX_WEBHOOKS_PER_TASK = 10  # of fewer than BATCH_BELOW_EVENTS events each
# A task costs the worker about as much as applying 10 events, so a webhook with fewer goes to
# the batching task, which shares that cost among many, and shares its publish with the
# webhooks that reach this process at the same moment (docs/ARCHITECTURE.md).
BATCH_BELOW_EVENTS = 10


ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
OPENAPI_PATHS = {
    "/webhooks/<provider>": {
        "post": {
            "tags": ["webhooks"],
            "summary": "An ESP's events: verified, validated and queued whole, or refused whole.",
            "description": "Authenticated by each ESP's own scheme (a signature, a shared "
            "secret or basic auth; README, Providers), not by the API's bearer tokens. A 202 "
            "means every event in the request will be applied; any other status means none "
            "was queued, so the ESP's retry is safe.",
            "parameters": [
                {
                    "name": "provider",
                    "in": "path",
                    "required": True,
                    "description": "`zeptomail`, `ses`, `sendgrid`, `mailgun`, `postmark`, "
                    "`sparkpost`, `brevo`, `mailjet`, `generic`, `email`, … (README, Providers); "
                    "404 when unknown or not configured",
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "description": "The ESP's payload as it sends it: JSON (an object or an "
                "array of objects), Mailgun's legacy form posts, SES's SNS envelope as "
                "text/plain. At most BOUNCEKEEPER_MAX_BODY_BYTES. `email` takes one raw "
                "message: message/rfc822, a form with the field `email` (SendGrid Inbound "
                "Parse, raw) or `body-mime` (a Mailgun route), or an SNS envelope of an SES "
                "`Received` notification; its body may be twice BOUNCEKEEPER_MAIL_MAX_BYTES "
                "and 1 MiB, the message at most BOUNCEKEEPER_MAIL_MAX_BYTES.",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {"type": "object"},
                                {"type": "array", "items": {"type": "object"}},
                            ]
                        }
                    },
                    "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                    "multipart/form-data": {"schema": {"type": "object"}},
                    "text/plain": {"schema": {"type": "string"}},
                    "message/rfc822": {"schema": {"type": "string"}},
                },
            },
            "responses": {
                "202": {
                    "description": "queued: every event will be applied",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["accepted"],
                                "properties": {"accepted": {"type": "integer"}},
                            }
                        }
                    },
                },
                "200": {
                    "description": "nothing to apply (`accepted` 0: only events bouncekeeper "
                    "does not use, or for `email` a message that is no bounce: its `kind` and "
                    "why it was `ignored`), or an SNS subscription confirmed or ended",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "accepted": {"type": "integer"},
                                    "kind": {"type": "string"},
                                    "ignored": {"type": "string"},
                                    "confirmed": {"type": "string"},
                                    "unsubscribed": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                **{
                    str(status): {"description": description, "content": ERROR_BODY}
                    for status, description in (
                        (
                            400,
                            "not the ESP's payload: `fields` names what is wrong (`email`: "
                            "also a message over BOUNCEKEEPER_MAIL_MAX_PARTS or _MAX_DEPTH)",
                        ),
                        (401, "missing or wrong credentials, or a stale or replayed signature"),
                        (404, "unknown provider, or one that is not configured"),
                        (
                            413,
                            "larger than BOUNCEKEEPER_MAX_BODY_BYTES (`email`: a message over "
                            "BOUNCEKEEPER_MAIL_MAX_BYTES)",
                        ),
                        (415, "a content type the ESP does not send"),
                        (429, "Brevo's 'retry later' when the queue is unavailable"),
                        (
                            503,
                            "the queue (or SNS's certificate host) is unavailable; "
                            "Retry-After says when to retry",
                        ),
                    )
                },
            },
        }
    }
}


def _reject(
    provider: str,
    status: int,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> NoReturn:
    log.warning("webhook rejected", provider=provider, status=status, reason=message, fields=fields)
    fail(status, message, fields, headers)


@bp.post("/webhooks/<provider>")
def receive(provider: str):
    received_at_ms = int(time.time() * 1000)
    settings: Settings = current_app.extensions["bouncekeeper"]
    module = providers.get(provider)
    if module is None:
        _reject(provider, 404, f"unknown provider {provider!r}")
    off = module.disabled_reason(settings)
    if off:
        _reject(provider, 404, off)
    incoming = WebhookRequest(
        headers=request.headers,
        body=whole_body(*_body_limit(module, settings)),
        mimetype=request.mimetype,
        received_at_ms=received_at_ms,
    )
    try:
        verified = module.verify(incoming, settings)
        result = module.load(incoming, settings)
    except RejectedError as exc:
        _reject(provider, exc.status, exc.message, exc.fields, exc.headers)
    if isinstance(result, Reply):
        return result.body, result.status
    _enqueue(module, result, _guard(verified), received_at_ms)
    return {"accepted": result.count}, 202


def _body_limit(module: ModuleType, settings: Settings) -> tuple[int, str]:
    """The provider's own body limit and the setting that sets it (the email webhook's raw
    messages), else BOUNCEKEEPER_MAX_BODY_BYTES."""
    own = getattr(module, "body_limit", None)
    if own is not None:
        return own(settings)
    return settings.max_body_bytes, "BOUNCEKEEPER_MAX_BODY_BYTES"


def _guard(verified: Verified) -> list[Any] | None:
    """What the worker needs to refuse a replay: the nonce, how long to hold it, and a claim
    that names this request, so its own redelivery is not taken for a replay."""
    if not verified.nonce:
        return None
    return [verified.nonce, verified.fresh_for_s, uuid.uuid4().hex]


def _enqueue(
    module: ModuleType, accepted: Accepted, guard: list[Any] | None, received_at_ms: int
) -> None:
    """Publish the request whole, or answer that nothing was accepted."""
    provider = module.NAME
    try:
        if accepted.count < BATCH_BELOW_EVENTS:
            current_app.extensions["ingest_queue"].submit(
                QueuedWebhook(provider, accepted.payload, received_at_ms, g.request_id, guard)
            )
        else:
            current_app.extensions["publisher"].send(
                INGEST_TASK,
                [provider, accepted.payload, received_at_ms, *([guard] if guard else [])],
                f"({provider!r}, <{accepted.count} events>, {received_at_ms})",
                g.request_id,
            )
    except (OperationalError, RedisError, OSError) as exc:
        _unavailable(module, exc)


def ingest_queue(publisher: Publisher) -> GroupCommit[QueuedWebhook]:
    """Small webhooks arriving together in one process share one message (app/group_commit.py),
    which the worker batches further with other messages (tasks/batching.py). The message's
    request-id header is its first webhook's; each webhook carries its own in the args."""

    def publish(webhooks: list[QueuedWebhook]) -> None:
        publisher.send(
            INGEST_BATCH_TASK,
            [[list(webhook) for webhook in webhooks]],
            f"(<{len(webhooks)} webhooks>)",
            webhooks[0].request_id,
        )

    return GroupCommit(publish, max_items=MAX_WEBHOOKS_PER_TASK)


def _unavailable(module: ModuleType, exc: Exception) -> NoReturn:
    """503, or the status that makes this ESP send the request again (Brevo discards a
    webhook answered with any 5xx, and retries a 429): docs/OPERATIONS.md has the table."""
    status = getattr(module, "RETRY_STATUS", 503)
    log.error(
        "broker unavailable, webhook refused", provider=module.NAME, status=status, error=str(exc)
    )
    fail(
        status,
        "the queue is unavailable; nothing was accepted, retry later",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )
