"""Mailgun's webhooks: one event per request, `{"signature": {...}, "event-data": {...}}`.

Mailgun signs `timestamp + token` (not the body) with the webhook signing key, so the body is
parsed before the signature can be checked, and the token is what must never be accepted
twice. Mailgun retries a failed delivery for 8 hours with the original signature block, so a
timestamp counts as fresh for 9 hours; the token is remembered for as long.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from marshmallow import fields

from app.config import Settings
from app.credentials import same
from app.events import BounceEvent, EventType, dated
from app.providers.base import (
    Accepted,
    RejectedError,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    off_unless,
    require_json,
)
from app.providers.fields import Email, Instant, Text, Tolerant

NAME = "mailgun"
MAX_AGE_S = 9 * 3600  # Mailgun's retries span 8 hours and resend the original signature
MAX_AHEAD_S = 300  # clock skew we forgive for a timestamp from the future

# `failed` events Mailgun raises without attempting delivery: the address was already on
# its suppression list, so they say nothing new about the mailbox.
SUPPRESSED_REASONS = frozenset({"suppress-bounce", "suppress-complaint", "suppress-unsubscribe"})

_TYPES = {
    "delivered": EventType.DELIVERY,
    "complained": EventType.COMPLAINT,
    "opened": EventType.ENGAGEMENT,
    "clicked": EventType.ENGAGEMENT,
}


class DeliveryStatusSchema(Tolerant):
    code = Text()
    message = Text()
    description = Text()
    enhanced_code = Text(data_key="enhanced-code")


class HeadersSchema(Tolerant):
    message_id = Text(data_key="message-id")


class MessageSchema(Tolerant):
    headers = fields.Nested(HeadersSchema)


class EventDataSchema(Tolerant):
    id = Text()
    event = Text(required=True)
    timestamp = Instant()
    recipient = Email(required=True)
    severity = Text()
    reason = Text()
    delivery_status = fields.Nested(DeliveryStatusSchema, data_key="delivery-status")
    message = fields.Nested(MessageSchema)


class WebhookSchema(Tolerant):
    event_data = fields.Nested(EventDataSchema, data_key="event-data", required=True)


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "mailgun_signing_key")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """HMAC-SHA256 of timestamp + token with the signing key, a fresh timestamp, and the
    token as the nonce the web claims once."""
    block = _signature_block(request.body)
    timestamp, token, signature = (block.get(k) for k in ("timestamp", "token", "signature"))
    if not all(isinstance(v, str | int) and str(v) for v in (timestamp, token, signature)):
        raise UnauthorizedError("the Mailgun signature needs timestamp, token and signature")
    expected = hmac.new(
        settings.mailgun_signing_key.encode(),
        f"{timestamp}{token}".encode(),
        hashlib.sha256,
    ).hexdigest()
    if not same(str(signature).lower(), expected):
        raise UnauthorizedError("wrong Mailgun signature: check BOUNCEKEEPER_MAILGUN_SIGNING_KEY")
    age = request.received_at_ms // 1000 - _seconds(timestamp)
    if not -MAX_AHEAD_S <= age <= MAX_AGE_S:
        raise UnauthorizedError(f"stale Mailgun signature: timestamp is {age} s old")
    return Verified(nonce=str(token), fresh_for_s=MAX_AGE_S + MAX_AHEAD_S)


def _signature_block(body: bytes) -> dict[str, Any]:
    try:
        payload = json_body(body)
    except RejectedError:
        raise UnauthorizedError("no Mailgun signature: the body is not a JSON object") from None
    block = payload.get("signature")
    if not isinstance(block, dict):
        raise UnauthorizedError("no Mailgun signature in the body")
    return block


def _seconds(timestamp: str | int) -> int:
    try:
        return int(timestamp)
    except ValueError:
        raise UnauthorizedError("the Mailgun signature timestamp is not a number") from None


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    validated = check_schema(WebhookSchema(), json_body(request.body), NAME)
    return Accepted({"event": validated["event_data"]}, 1)


def _event_type(item: dict[str, Any]) -> EventType:
    if item["event"] == "failed":
        suppressed = item.get("reason", "") in SUPPRESSED_REASONS
        return EventType.OTHER if suppressed else EventType.BOUNCE
    return _TYPES.get(item["event"], EventType.OTHER)


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """The one event; Mailgun's `id` is unique only within a day, so its time goes with it
    into the dedup key."""
    item = payload["event"]
    status = item.get("delivery_status", {})
    reported = item.get("timestamp")
    diagnostic = status.get("message") or status.get("description", "")
    event_id = f"{item['id']}:{reported or ''}" if item.get("id") else ""
    return [
        BounceEvent(
            provider=NAME,
            event_type=_event_type(item),
            recipient=item["recipient"],
            **dated(reported, received_at_ms),
            smtp_code=status.get("code", ""),
            enhanced_code=status.get("enhanced_code", ""),
            diagnostic=diagnostic,
            provider_reason=item.get("reason", ""),
            bounce_type=item.get("severity", ""),
            message_id=item.get("message", {}).get("headers", {}).get("message_id", ""),
            provider_event_id=event_id,
        )
    ]
