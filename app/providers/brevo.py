"""Brevo's transactional and marketing email webhooks: one event object per request, or an
array of them when the webhook is `batched`.

Brevo signs nothing; the webhook is created with basic auth in its URL or a bearer token
(`auth: {"type": "bearer", …}`), checked against the shared secret. Brevo sends no event id.
"""

from __future__ import annotations

from typing import Any

from app.config import Settings
from app.events import BounceEvent, EventType, dated
from app.providers import shared_secret
from app.providers.base import (
    Accepted,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    off_unless,
    require_json,
)
from app.providers.fields import Email, Instant, Text, Tolerant, one_or_many

NAME = "brevo"
# Brevo discards a webhook answered with any 5xx or any 4xx but 429, and retries a 429 (10 min,
# 1 h, 2 h, 8 h): a broker outage is answered 429 so the events come back.
RETRY_STATUS = 429

# Event names as sent (snake case; the webhook API spells them hardBounce etc.), compared
# without underscores and case. `blocked` is Brevo refusing to send to a contact on its own
# block list: recorded, never counted. Proxy opens are a privacy proxy, not the recipient.
_TYPES = {
    "hardbounce": EventType.BOUNCE,
    "softbounce": EventType.BOUNCE,
    "deferred": EventType.BOUNCE,
    "invalidemail": EventType.BOUNCE,
    "invalid": EventType.BOUNCE,
    "spam": EventType.COMPLAINT,
    "complaint": EventType.COMPLAINT,
    "delivered": EventType.DELIVERY,
    "opened": EventType.ENGAGEMENT,
    "uniqueopened": EventType.ENGAGEMENT,
    "click": EventType.ENGAGEMENT,
}


class EventSchema(Tolerant):
    event = Text(required=True)
    email = Email(required=True)
    ts_epoch = Instant()
    ts_event = Instant()
    message_id = Text(data_key="message-id")
    reason = Text()


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "brevo_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return shared_secret.verify(request, settings.brevo_secret)


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    items = one_or_many(json_body(request.body, expect=object))
    events = check_schema(EventSchema(many=True), items, NAME)
    return Accepted({"events": events}, len(events))


def _label(event: str) -> str:
    """An event name as compared: `hard_bounce`, `hardBounce` and `HARD_BOUNCE` are one."""
    return event.replace("_", "").lower()


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One BounceEvent per Brevo event; the event name is Brevo's label and hard/soft flag,
    `reason` the receiving server's text."""
    return [_event(item, received_at_ms) for item in payload["events"]]


def _occurred(item: dict[str, Any]) -> int | None:
    """`ts_epoch` is UTC milliseconds (in seconds in Brevo's own example; `Instant` reads
    both); marketing events have only `ts_event`."""
    return item.get("ts_epoch", item.get("ts_event"))


def _event(item: dict[str, Any], received_at_ms: int) -> BounceEvent:
    name = item["event"]
    event_type = _TYPES.get(_label(name), EventType.OTHER)
    return BounceEvent(
        provider=NAME,
        event_type=event_type,
        recipient=item["email"],
        **dated(_occurred(item), received_at_ms),
        diagnostic=item.get("reason", "").strip(),
        provider_reason=name,
        bounce_type=name if event_type is EventType.BOUNCE else "",
        message_id=item.get("message_id", ""),
    )
