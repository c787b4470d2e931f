"""SendGrid's Event Webhook: a JSON array of events, signed with ECDSA P-256.

SendGrid signs the timestamp header followed by the raw body; the signature
(`X-Twilio-Email-Event-Webhook-Signature`, base64 DER) is checked with the verification key from
SendGrid's Mail Settings. Each event carries `sg_event_id`, the dedup key.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from marshmallow import fields, post_load

from app.addresses import normalize
from app.config import Settings
from app.events import BounceEvent, EventType, dated
from app.providers import ec_signature
from app.providers.base import (
    Accepted,
    Reply,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    require_fresh,
    require_json,
)
from app.providers.fields import Email, Instant, Text, Tolerant

NAME = "sendgrid"
SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"

# Events that say something about a recipient; processed, unsubscribe and group events do not.
KINDS = {
    "bounce": EventType.BOUNCE,
    "dropped": EventType.BOUNCE,  # refined by its reason, see _dropped
    "deferred": EventType.BOUNCE,  # a soft bounce SendGrid keeps retrying, as every ESP's
    "spamreport": EventType.COMPLAINT,
    "delivered": EventType.DELIVERY,
    "open": EventType.ENGAGEMENT,
    "click": EventType.ENGAGEMENT,
}
_HARD_OR_SOFT = {"bounce": "hard", "blocked": "soft"}
_REPLY_CODE = re.compile(r"^\s*([245]\d\d)\b")


class EventSchema(Tolerant):
    email = Email(required=True)
    timestamp = Instant()
    event = Text(required=True)
    sg_event_id = Text()
    sg_message_id = Text()
    smtp_id = Text(data_key="smtp-id")
    reason = Text()
    status = Text()
    type = Text()
    bounce_classification = Text()
    response = Text()
    sg_machine_open = fields.Boolean()

    @post_load
    def keep_json_types(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The result crosses the broker as JSON: put `smtp-id` back under its wire name."""
        if "smtp_id" in data:
            data["smtp-id"] = data.pop("smtp_id")
        return data


def schema() -> EventSchema:
    """The schema of a whole batch: SendGrid posts a JSON array of events."""
    return EventSchema(many=True)


def disabled_reason(settings: Settings) -> str | None:
    """Off without a key, and off (said once at start) with a key that is not P-256."""
    if not settings.sendgrid_public_key:
        return "the sendgrid webhook is off: set BOUNCEKEEPER_SENDGRID_PUBLIC_KEY to enable it"
    try:
        ec_signature.public_key(settings.sendgrid_public_key)
    except ec_signature.BadKeyError as exc:
        return f"the sendgrid webhook is off: BOUNCEKEEPER_SENDGRID_PUBLIC_KEY is {exc}"
    return None


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """The nonce is a digest of what was signed, not the signature: an ECDSA signature can be
    altered into another valid one, the signed bytes cannot."""
    signature, stamp = request.header(SIGNATURE_HEADER), request.header(TIMESTAMP_HEADER).strip()
    if not signature or not (stamp.isascii() and stamp.isdigit()):
        raise UnauthorizedError(f"missing {SIGNATURE_HEADER} or {TIMESTAMP_HEADER} header")
    signed = stamp.encode() + request.body
    if not ec_signature.valid(settings.sendgrid_public_key, signature, signed):
        raise UnauthorizedError(
            f"{SIGNATURE_HEADER} does not verify: wrong verification key or altered request"
        )
    window = settings.webhook_max_age_seconds
    require_fresh(int(stamp) * 1000, request, window)
    return Verified(nonce=hashlib.sha256(signed).hexdigest(), fresh_for_s=2 * window)


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """The events that concern a recipient, validated; a batch with none is answered 200."""
    require_json(request)
    events = check_schema(schema(), json_body(request.body, expect=list), NAME)
    kept = [e for e in events if e["event"] in KINDS and not e.get("sg_machine_open")]
    if not kept:
        return Reply(200, {"accepted": 0})
    return Accepted(kept, len(kept))


def parse(payload: list[dict[str, Any]], received_at_ms: int) -> list[BounceEvent]:
    """One BounceEvent per SendGrid event, dated by its `timestamp` (else by arrival)."""
    return [_event(item, received_at_ms) for item in payload]


def _event(item: dict[str, Any], received_at_ms: int) -> BounceEvent:
    kind, label = KINDS[item["event"]], item.get("type", "")
    reason = item.get("bounce_classification") or label
    if item["event"] == "dropped":
        kind, reason = _dropped(item.get("reason", ""))
    text = item.get("reason") or item.get("response", "")
    code = _REPLY_CODE.match(text)
    return BounceEvent(
        provider=NAME,
        event_type=kind,
        recipient=normalize(item["email"]),
        **dated(item.get("timestamp"), received_at_ms),
        smtp_code=code.group(1) if code else "",
        enhanced_code=item.get("status", ""),
        diagnostic=text,
        provider_reason=reason if kind is EventType.BOUNCE else "",
        bounce_type="temporary" if item["event"] == "deferred" else _HARD_OR_SOFT.get(label, ""),
        message_id=item.get("sg_message_id") or item.get("smtp-id", ""),
        provider_event_id=item.get("sg_event_id", ""),
    )


def _dropped(reason: str) -> tuple[EventType, str]:
    """SendGrid drops a message to an address already on one of its lists. A bounced or
    invalid address is a bounce, a spam-reporting one a complaint; unsubscribes and drops
    for our content or quota say nothing against the recipient."""
    label = reason.strip().lower()
    if label in ("bounced address", "invalid"):
        return EventType.BOUNCE, f"dropped: {label}"
    if label == "spam reporting address":
        return EventType.COMPLAINT, ""
    return EventType.OTHER, ""
