"""Our own webhook shape, for MTAs and in-house senders we have no adapter for: one event
object or an array of them, each `{"id", "event", "recipient", "time", "smtp_code",
"enhanced_code", "diagnostic"}`; `event` is bounce, complaint, delivery or deferral.

The sender signs the raw body: `X-Bouncekeeper-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256 of "<t>.<body>" with BOUNCEKEEPER_GENERIC_SECRET>`. A timestamp more than five
minutes off is refused, and each signature is accepted once. Several `v1` values may be
sent while a secret is being rotated.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from marshmallow import validate

from app.config import Settings
from app.credentials import same
from app.events import BounceEvent, EventType, dated
from app.providers.base import (
    Accepted,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    off_unless,
    require_json,
)
from app.providers.fields import Email, Instant, Text, Tolerant, one_or_many

NAME = "generic"
HEADER = "X-Bouncekeeper-Signature"
MAX_SKEW_S = 300

_TYPES = {
    "bounce": EventType.BOUNCE,
    "deferral": EventType.BOUNCE,  # a soft bounce the sender is still retrying
    "complaint": EventType.COMPLAINT,
    "delivery": EventType.DELIVERY,
}


class EventSchema(Tolerant):
    id = Text()
    event = Text(required=True, validate=validate.OneOf(sorted(_TYPES)))
    recipient = Email(required=True)
    time = Instant()
    smtp_code = Text()
    enhanced_code = Text()
    diagnostic = Text()


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "generic_secret")


def sign(body: bytes, timestamp: int, secret: str) -> str:
    """The header value a sender attaches: also what the README's recipe computes."""
    return f"t={timestamp},v1={_digest(body, str(timestamp), secret)}"


def _digest(body: bytes, timestamp: str, secret: str) -> str:
    signed = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return verify_signature(request, settings.generic_secret, "BOUNCEKEEPER_GENERIC_SECRET")


def verify_signature(request: WebhookRequest, secret: str, setting: str) -> Verified:
    """A `v1` matching the body and `t`, with `t` within five minutes of our clock; the
    signature is the nonce, remembered for as long as its `t` could still pass. Shared with
    the email webhook, which takes the same header with its own secret."""
    parts = [p.strip().partition("=") for p in request.header(HEADER).split(",")]
    stamps = [value for key, _, value in parts if key == "t"]
    given = [value for key, _, value in parts if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not given:
        raise UnauthorizedError(f"missing or malformed {HEADER}: expected t=<seconds>,v1=<hex>")
    expected = _digest(request.body, stamps[0], secret)
    if not any(same(value.lower(), expected) for value in given):
        raise UnauthorizedError(f"wrong {HEADER}: check {setting}")
    skew = request.received_at_ms // 1000 - int(stamps[0])
    if abs(skew) > MAX_SKEW_S:
        raise UnauthorizedError(f"stale {HEADER}: t is {skew} s off our clock")
    return Verified(nonce=expected, fresh_for_s=2 * MAX_SKEW_S)


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    items = one_or_many(json_body(request.body, expect=object))
    events = check_schema(EventSchema(many=True), items, NAME)
    return Accepted({"events": events}, len(events))


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One BounceEvent per event; `id` is the sender's event id and the dedup key."""
    return [
        BounceEvent(
            provider=NAME,
            event_type=_TYPES[item["event"]],
            recipient=item["recipient"],
            **dated(item.get("time"), received_at_ms),
            smtp_code=item.get("smtp_code", ""),
            enhanced_code=item.get("enhanced_code", ""),
            diagnostic=item.get("diagnostic", ""),
            bounce_type="temporary" if item["event"] == "deferral" else "",
            provider_event_id=item.get("id", ""),
        )
        for item in payload["events"]
    ]
