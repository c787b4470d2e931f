"""ZeptoMail's bounce webhook (seed 004): `webhook_name … data[]`, one event per `data` item."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from app.addresses import InvalidAddressError, normalize
from app.config import Settings
from app.credentials import shared_secret_ok
from app.events import BounceEvent, EventType
from app.providers.base import (
    SHARED_SECRET_CHALLENGE,
    Accepted,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    require_json,
)

NAME = "zeptomail"
MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


class Text(fields.String):
    """A string the ESP documents as String but may send as a number (e.g. `bounce_code: 554`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Whole(fields.Integer):
    """An integer field that refuses JSON's huge floats (`1e400`) with a 400, not a crash."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=False, **kwargs)

    def _validated(self, value: Any) -> Any:
        try:
            return super()._validated(value)
        except OverflowError as exc:
            raise self.make_error("invalid") from exc


class Email(fields.String):
    """An address, returned normalized so one contact has one key."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalize(text)
        except InvalidAddressError as exc:
            raise ValidationError(str(exc)) from exc


class _Tolerant(Schema):
    """Unknown fields are dropped, and a field sent as "" or null counts as absent: an ESP has
    no SMTP reply code for a connection timeout and says so either way."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_empty(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None and v != ""}
        return data


class BounceDataSchema(_Tolerant):
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
    from_ = Text(data_key="from")
    subject = Text()
    message_id = Text()
    transmission_name = Text()
    injected_time = Whole(validate=validate.Range(min=0, max=MAX_MS))
    transmission_id = Whole()
    zuid = Whole()


class WebhookSchema(_Tolerant):
    webhook_name = Text()
    webhook_id = Text()
    action = Text()
    actionType = Text()  # noqa: N815 - ZeptoMail's own field name
    data = fields.List(
        fields.Nested(BounceDataSchema), required=True, validate=validate.Length(min=1)
    )

    @post_load
    def keep_json_types(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The result crosses the broker as JSON: put `from` back under its wire name."""
        for item in data["data"]:
            if "from_" in item:
                item["from"] = item.pop("from_")
        return data


def schema() -> WebhookSchema:
    return WebhookSchema()


def disabled_reason(settings: Settings) -> str | None:
    if settings.zeptomail_secret:
        return None
    return "the zeptomail webhook is off: set BOUNCEKEEPER_ZEPTOMAIL_SECRET to enable it"


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    if shared_secret_ok(request.header("Authorization"), settings.zeptomail_secret):
        return Verified()
    raise UnauthorizedError(
        "missing or wrong credentials: send the shared secret as a Bearer token or as the "
        "basic-auth password",
        headers=SHARED_SECRET_CHALLENGE,
    )


def load(request: WebhookRequest, settings: Settings) -> Accepted:
    require_json(request)
    validated = check_schema(schema(), json_body(request.body), NAME)
    return Accepted(validated, len(validated["data"]))


def _event_type(action: str) -> EventType:
    label = action.strip().lower()
    if "bounce" in label:
        return EventType.BOUNCE
    if "open" in label or "click" in label:
        return EventType.ENGAGEMENT
    if "spam" in label or "complain" in label:
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
            occurred_at_ms=int(item.get("action_time", received_at_ms)),
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
