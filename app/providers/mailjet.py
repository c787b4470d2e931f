"""Mailjet's event webhook: one event object per request, or an array of them when "group
events" is on. `bounce` carries Mailjet's `hard_bounce` flag and its `error` label (with
`error_related_to`); `blocked` is Mailjet refusing to send (an address it already knows as
bad, a duplicate, a template error), recorded and never counted.

Mailjet signs nothing: the event URL carries basic-auth credentials, checked against the
shared secret. Mailjet sends no event id.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields

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

NAME = "mailjet"

_TYPES = {
    "bounce": EventType.BOUNCE,
    "spam": EventType.COMPLAINT,
    "sent": EventType.DELIVERY,  # Mailjet's "sent" is the receiving server's 250
    "open": EventType.ENGAGEMENT,
    "click": EventType.ENGAGEMENT,
}


class EventSchema(Tolerant):
    event = Text(required=True)
    time = Instant()
    email = Email(required=True)
    message_id = Text(data_key="MessageID")
    hard_bounce = fields.Boolean()
    error_related_to = Text()
    error = Text()
    comment = Text()
    smtp_reply = Text()


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "mailjet_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return shared_secret.verify(request, settings.mailjet_secret)


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    items = one_or_many(json_body(request.body, expect=object))
    events = check_schema(EventSchema(many=True), items, NAME)
    return Accepted({"events": events}, len(events))


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One BounceEvent per Mailjet event; `error` is Mailjet's label, `hard_bounce` its
    hard/soft flag, `comment` (or a delivery's `smtp_reply`) the server's text."""
    return [_event(item, received_at_ms) for item in payload["events"]]


def _event(item: dict[str, Any], received_at_ms: int) -> BounceEvent:
    flag = item.get("hard_bounce")
    return BounceEvent(
        provider=NAME,
        event_type=_TYPES.get(item["event"], EventType.OTHER),
        recipient=item["email"],
        **dated(item.get("time"), received_at_ms),
        diagnostic=item.get("comment") or item.get("smtp_reply", ""),
        provider_reason=item.get("error", ""),
        bounce_type="" if flag is None else ("hard" if flag else "soft"),
        message_id=item.get("message_id", ""),
    )
