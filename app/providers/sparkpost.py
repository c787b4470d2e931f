"""SparkPost's event webhooks: a JSON array (a batch), each item `{"msys": {<class>: {...}}}`
with one event class (`message_event`, `track_event`, `gen_event`…) holding a `type`.

Only message and track events with an email recipient concern a mailbox; the other classes
(template generation, relay, A/B tests, ingest) and SMS events are dropped rather than
refused, so one of them cannot make SparkPost retry, and finally discard, a whole batch.
SparkPost validates a new webhook with `[{"msys": {}}]`, which must be accepted. SparkPost
signs nothing: the webhook is set up with basic auth (or an OAuth bearer token) carrying the
shared secret.
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
from app.providers.fields import Email, Instant, Text, Tolerant

NAME = "sparkpost"
CLASSES = ("message_event", "track_event")

_TYPES = {
    "bounce": EventType.BOUNCE,
    "out_of_band": EventType.BOUNCE,
    "delay": EventType.BOUNCE,  # a deferral: a soft bounce SparkPost keeps retrying
    "spam_complaint": EventType.COMPLAINT,
    "delivery": EventType.DELIVERY,
    "open": EventType.ENGAGEMENT,
    "initial_open": EventType.ENGAGEMENT,
    "click": EventType.ENGAGEMENT,
    "amp_open": EventType.ENGAGEMENT,
    "amp_initial_open": EventType.ENGAGEMENT,
    "amp_click": EventType.ENGAGEMENT,
}


class EventSchema(Tolerant):
    type = Text(required=True)
    event_id = Text()
    timestamp = Instant()
    rcpt_to = Email()  # absent from SMS events, which are dropped
    bounce_class = Text()
    error_code = Text()
    reason = Text()
    raw_reason = Text()
    fbtype = Text()
    message_id = Text()


class MsysSchema(Tolerant):
    message_event = fields.Nested(EventSchema)
    track_event = fields.Nested(EventSchema)


class ItemSchema(Tolerant):
    msys = fields.Nested(MsysSchema, required=True)


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "sparkpost_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return shared_secret.verify(request, settings.sparkpost_secret)


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    batch = check_schema(ItemSchema(many=True), json_body(request.body, expect=list), NAME)
    found = [item["msys"][c] for item in batch for c in CLASSES if c in item["msys"]]
    found = [event for event in found if "rcpt_to" in event]
    return Accepted({"events": found}, len(found))


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One event per message or track event; `bounce_class` is SparkPost's label and
    `event_id` its identity."""
    return [_event(item, received_at_ms) for item in payload["events"]]


def _event(item: dict[str, Any], received_at_ms: int) -> BounceEvent:
    kind = item["type"]
    return BounceEvent(
        provider=NAME,
        event_type=_TYPES.get(kind, EventType.OTHER),
        recipient=item["rcpt_to"],
        **dated(item.get("timestamp"), received_at_ms),
        smtp_code=item.get("error_code", ""),
        diagnostic=item.get("raw_reason") or item.get("reason", ""),
        provider_reason=item.get("bounce_class", ""),
        bounce_type="temporary" if kind == "delay" else "",
        message_id=item.get("message_id", ""),
        provider_event_id=item.get("event_id", ""),
    )
