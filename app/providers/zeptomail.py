"""ZeptoMail's webhooks, in both shapes it publishes, one event per recipient.

- The bounce webhook of seed 004: `webhook_name … action … data[]`, one item per bounce.
- The Mail Agent webhook: `event_name: [...]`, `event_message[].event_data[].details[]`, for
  hard and soft bounces (`bounced_recipient`, `reason`, `diagnostic_message`), opens and
  clicks. `load` rewrites it into the first shape, so the worker has one parser.

Requests are authenticated by the `producer-signature` header (app.providers.zepto_signature)
or by the shared secret as a Bearer token or basic-auth password.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from marshmallow import fields, validate

from app.addresses import normalize
from app.config import Settings
from app.credentials import shared_secret_ok
from app.events import BounceEvent, EventType, dated
from app.providers import fastpath, zepto_agent, zepto_signature
from app.providers.base import (
    SHARED_SECRET_CHALLENGE,
    Accepted,
    Reply,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    off_unless,
    require_json,
)
from app.providers.fields import MAX_MS, Email, Text, Tolerant, Whole

NAME = "zeptomail"


class BounceDataSchema(Tolerant):
    bounce_code = Text()
    bounce_type = Text()
    bounce_extended_code = Text()
    bounce_reason = Text()
    diagnostic_message = Text()
    action_time = Whole(validate=validate.Range(min=0, max=MAX_MS))
    sending_ip = Text()
    contact_id = Whole()
    contact_email = Email(required=True)
    rcpt_domain = Text()
    rcpt_additional_data = fields.Dict()
    from_ = Text(data_key="from", attribute="from")  # loaded under its wire name: JSON-safe
    subject = Text()
    message_id = Text()
    transmission_name = Text()
    injected_time = Whole(validate=validate.Range(min=0, max=MAX_MS))
    transmission_id = Whole()
    zuid = Whole()


class WebhookSchema(Tolerant):
    webhook_name = Text()
    webhook_id = Text()
    action = Text()
    actionType = Text()  # noqa: N815 - ZeptoMail's own field name
    data = fields.List(
        fields.Nested(BounceDataSchema), required=True, validate=validate.Length(min=1)
    )


def schema() -> WebhookSchema:
    """The seed-004 shape, which the worker's parser reads."""
    return WebhookSchema()


_fast_check = fastpath.compile_schema(schema())


def disabled_reason(settings: Settings) -> str | None:
    """On when either credential is configured."""
    return off_unless(NAME, settings, "zeptomail_signing_key", "zeptomail_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """The signature when one is sent and a key is configured, else the shared secret: either
    configured credential is enough on its own, so an operator can move from one to the other
    without dropping events."""
    signature = request.header(zepto_signature.HEADER)
    refusal = None
    if signature and settings.zeptomail_signing_key:
        try:
            verified = zepto_signature.verify(request, signature, settings)
            if not verified.binds_time:
                _require_recent_events(request, settings)
            return verified
        except UnauthorizedError as exc:
            refusal = exc
    if settings.zeptomail_secret and shared_secret_ok(
        request.header("Authorization"), settings.zeptomail_secret
    ):
        return Verified()
    if refusal is not None:
        raise refusal
    raise UnauthorizedError(_missing(settings), headers=SHARED_SECRET_CHALLENGE)


def _require_recent_events(request: WebhookRequest, settings: Settings) -> None:
    """A signature over the body alone proves nothing about when it was made, so the body's own
    times must: every event dated, none older than the span its nonce is remembered for. A
    captured request sent again once the nonce is forgotten is then refused."""
    accepted = load(request, settings)
    items = accepted.payload["data"] if isinstance(accepted, Accepted) else []
    oldest_ms = request.received_at_ms - settings.dedup_ttl_seconds * 1000
    if any(item.get("action_time", -1) < oldest_ms for item in items):
        raise UnauthorizedError(
            f"{zepto_signature.HEADER} covers the body but not its ts, so every event needs an "
            f"action_time within BOUNCEKEEPER_DEDUP_TTL_SECONDS "
            f"({settings.dedup_ttl_seconds}s): sign ts and body as documented, or use the secret"
        )


def _missing(settings: Settings) -> str:
    accepted = []
    if settings.zeptomail_signing_key:
        accepted.append(f"a valid {zepto_signature.HEADER} header")
    if settings.zeptomail_secret:
        accepted.append("the shared secret as a Bearer token or as the basic-auth password")
    return "missing or wrong credentials: send " + " or ".join(accepted)


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """Either shape, validated into the seed-004 one; nothing to queue is answered 200."""
    require_json(request)
    body = json_body(request.body)
    if "event_name" in body or "event_message" in body:
        validated = zepto_agent.to_bounce_shape(check_schema(zepto_agent.schema(), body, NAME))
    else:
        validated = _fast_check(body) or check_schema(schema(), body, NAME)
    if not validated["data"]:
        return Reply(200, {"accepted": 0})
    return Accepted(validated, len(validated["data"]))


def _event_type(action: str) -> EventType:
    label = action.strip().lower()
    if "bounce" in label:
        return EventType.BOUNCE
    if "open" in label or "click" in label:
        return EventType.ENGAGEMENT
    if "spam" in label or "complain" in label or "feedback" in label:
        return EventType.COMPLAINT
    if "deliver" in label:
        return EventType.DELIVERY
    return EventType.OTHER


def item_id(action: str, item: dict[str, Any]) -> str:
    """ZeptoMail sends no event id: the item's own content is its identity, so a retried
    webhook dedups even when it lacks `action_time` and is dated by its arrival."""
    canonical = json.dumps([action, item], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(canonical.encode(), digest_size=12).hexdigest()


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """Events from a payload the schema accepted; an event without `action_time` is dated by
    when the webhook was received."""
    action = payload.get("action") or payload.get("actionType") or "bounce"
    event_type = _event_type(action)
    return [
        BounceEvent(
            provider=NAME,
            event_type=event_type,
            recipient=normalize(item["contact_email"]),
            **dated(item.get("action_time"), received_at_ms),
            smtp_code=item.get("bounce_code", ""),
            enhanced_code=item.get("bounce_extended_code", ""),
            diagnostic=item.get("diagnostic_message", ""),
            provider_reason=item.get("bounce_reason", ""),
            bounce_type=item.get("bounce_type", ""),
            message_id=item.get("message_id", ""),
            provider_event_id=item_id(action, item),
        )
        for item in payload["data"]
    ]
