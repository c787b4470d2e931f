"""Postmark's webhooks: one record per request, told apart by `RecordType` (Bounce,
SpamComplaint, Delivery, Open, Click, SubscriptionChange).

Postmark signs nothing; the webhook URL carries basic-auth credentials (or a custom
`Authorization` header), checked against the shared secret.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, validates_schema

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
from app.providers.fields import Email, Instant, Text, Tolerant, Whole

NAME = "postmark"
_REPLY = re.compile(r"^(?:smtp;\s*)?([245]\d\d)\b", re.IGNORECASE)

_TYPES = {
    "Bounce": EventType.BOUNCE,
    "SpamComplaint": EventType.COMPLAINT,
    "Delivery": EventType.DELIVERY,
    "Open": EventType.ENGAGEMENT,
    "Click": EventType.ENGAGEMENT,
}


class RecordSchema(Tolerant):
    record_type = Text(data_key="RecordType", required=True)
    id = Whole(data_key="ID")
    type = Text(data_key="Type")
    type_code = Whole(data_key="TypeCode")
    message_id = Text(data_key="MessageID")
    description = Text(data_key="Description")
    details = Text(data_key="Details")
    email = Email(data_key="Email")  # the bounced or complaining address
    recipient = Email(data_key="Recipient")  # the address of deliveries, opens and clicks
    bounced_at = Instant(data_key="BouncedAt")
    delivered_at = Instant(data_key="DeliveredAt")
    received_at = Instant(data_key="ReceivedAt")
    changed_at = Instant(data_key="ChangedAt")

    @validates_schema
    def has_an_address(self, data: dict[str, Any], **_: Any) -> None:
        if "email" not in data and "recipient" not in data:
            raise ValidationError("a record needs an Email or a Recipient", "Email")


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "postmark_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return shared_secret.verify(request, settings.postmark_secret)


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    record = check_schema(RecordSchema(), json_body(request.body), NAME)
    return Accepted({"record": record}, 1)


def _event_type(record: dict[str, Any]) -> EventType:
    if record.get("type") == "SpamComplaint":  # a complaint is a bounce Type in Postmark too
        return EventType.COMPLAINT
    return _TYPES.get(record["record_type"], EventType.OTHER)


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """The one record; `Type` (HardBounce, SoftBounce, DnsError…) is the label, `Details` the
    receiving server's text, `ID` the bounce's identity."""
    record = payload["record"]
    details = record.get("details", "")
    reply = _REPLY.match(details)
    moments = ("bounced_at", "delivered_at", "received_at", "changed_at")
    moment = next((record[k] for k in moments if k in record), None)
    return [
        BounceEvent(
            provider=NAME,
            event_type=_event_type(record),
            recipient=record.get("email") or record["recipient"],
            **dated(moment, received_at_ms),
            smtp_code=reply.group(1) if reply else "",
            diagnostic=details,
            provider_reason=record.get("type", ""),
            bounce_type=record.get("type", ""),
            message_id=record.get("message_id", ""),
            provider_event_id=str(record["id"]) if "id" in record else "",
        )
    ]
