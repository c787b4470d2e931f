"""Postmark's webhooks: one record per request, told apart by `RecordType` (Bounce,
SpamComplaint, Delivery, Open, Click, SubscriptionChange).

A SubscriptionChange reports that Postmark put an address on a message stream's suppression
list (`SuppressSending: true`, with `SuppressionReason` HardBounce, SpamComplaint or
ManualSuppression) or took it off again (`false`: a reactivation). On broadcast streams it is
the only report of complaints and of hard bounces that Postmark suppressed, so it is applied:
as an ESP list change (BounceEvent.esp_list), which bouncekeeper follows, and whose
reactivation lifts only what that list alone suppressed.

Postmark signs nothing; the webhook URL carries basic-auth credentials (or a custom
`Authorization` header), checked against the shared secret.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validates_schema

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
SUBSCRIPTION_CHANGE = "SubscriptionChange"
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
    # SubscriptionChange
    suppress_sending = fields.Boolean(data_key="SuppressSending", truthy={True}, falsy={False})
    suppression_reason = Text(data_key="SuppressionReason")
    origin = Text(data_key="Origin")  # Recipient, Customer or Admin
    message_stream = Text(data_key="MessageStream")

    @validates_schema
    def has_an_address(self, data: dict[str, Any], **_: Any) -> None:
        if "email" not in data and "recipient" not in data:
            raise ValidationError("a record needs an Email or a Recipient", "Email")

    @validates_schema
    def change_says_what_and_when(self, data: dict[str, Any], **_: Any) -> None:
        """A subscription change is applied, so it must say which way and when: the time
        orders it against the other changes of its list and is part of its identity."""
        if data.get("record_type") != SUBSCRIPTION_CHANGE:
            return
        for name, key in (("suppress_sending", "SuppressSending"), ("changed_at", "ChangedAt")):
            if name not in data:
                raise ValidationError(f"a SubscriptionChange needs {key}", key)


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


# What each SuppressionReason of a SubscriptionChange is; any other reason, ManualSuppression
# (an operator in Postmark, or the recipient's unsubscribe) included, is the ESP's own choice.
_SUPPRESSION_TYPES = {
    "SpamComplaint": EventType.COMPLAINT,
    "HardBounce": EventType.BOUNCE,
}


def _subscription_change(record: dict[str, Any], received_at_ms: int) -> BounceEvent:
    """The change of the stream's suppression list, identified by stream, time and direction
    (Postmark sends no id): the same change delivered twice is applied once."""
    stream = record.get("message_stream", "")
    origin = record.get("origin", "unknown")
    suppress = record["suppress_sending"]
    if suppress:
        reason = record.get("suppression_reason", "ManualSuppression")
        event_type = _SUPPRESSION_TYPES.get(reason, EventType.SUPPRESSION)
        diagnostic = f"Postmark suppressed sending on stream {stream}: {reason} (origin {origin})"
    else:
        reason, event_type = "Reactivation", EventType.REACTIVATION
        diagnostic = f"Postmark reactivated sending on stream {stream} (origin {origin})"
    changed_at = record["changed_at"]
    return BounceEvent(
        provider=NAME,
        event_type=event_type,
        recipient=record.get("recipient") or record["email"],
        **dated(changed_at, received_at_ms),
        diagnostic=diagnostic,
        provider_reason=reason,
        bounce_type=reason if event_type is EventType.BOUNCE else "",
        message_id=record.get("message_id", ""),
        provider_event_id=f"change:{stream}:{changed_at}:{'on' if suppress else 'off'}",
        esp_list=f"{NAME}:{stream}" if stream else NAME,
    )


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """The one record; `Type` (HardBounce, SoftBounce, DnsError…) is the label, `Details` the
    receiving server's text, `ID` the bounce's identity."""
    record = payload["record"]
    if record["record_type"] == SUBSCRIPTION_CHANGE:
        return [_subscription_change(record, received_at_ms)]
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
