"""Mailgun's webhooks: one event per request, `{"signature": {...}, "event-data": {...}}`.

Mailgun signs `timestamp + token` (not the body) with the webhook signing key, so the body is
parsed before the signature can be checked, and the token is what must never be accepted
twice. Mailgun retries a failed delivery for 8 hours with the original signature block, so a
timestamp counts as fresh for 9 hours; the token is remembered for as long.

Legacy webhooks (Mailgun's API v2 ones, still sent by accounts that never migrated) POST a
form instead, `application/x-www-form-urlencoded` or `multipart/form-data`: `timestamp`,
`token` and `signature` (the same HMAC) among `event` (`bounced`, `dropped`, `complained`,
`unsubscribed`, `delivered`, `opened`, `clicked`), `recipient`, `code`, `error`,
`notification`, `description`, `reason`, `Message-Id` and `message-headers`. They are
verified the same way and turned into the JSON path's event shape, so `parse` serves both.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
from typing import Any

from marshmallow import fields
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

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


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Mailgun's own codes on a legacy `dropped` event for an address already on its suppression
# lists (previously bounced, unsubscribed, complained): the JSON path's suppress-* reasons.
LEGACY_SUPPRESSED_CODES = {
    "605": "suppress-bounce",
    "606": "suppress-unsubscribe",
    "607": "suppress-complaint",
}
_ENHANCED = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")


class LegacyFormSchema(Tolerant):
    """The fields of a legacy form webhook that bouncekeeper reads (first values)."""

    event = Text(required=True)
    recipient = Email(required=True)
    code = Text()
    error = Text()  # bounced: the SMTP reply
    notification = Text()  # bounced: Mailgun's detail
    description = Text()  # dropped: why
    reason = Text()  # dropped: hardfail | old
    message_id = Text(data_key="Message-Id")
    message_id_lower = Text(data_key="message-id")
    message_headers = Text(data_key="message-headers")


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "mailgun_signing_key")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """HMAC-SHA256 of timestamp + token with the signing key, a fresh timestamp, and the
    token as the nonce the web claims once."""
    if request.mimetype in FORM_TYPES:
        block = _legacy_signature(_form(request))
    else:
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


def _form(request: WebhookRequest) -> MultiDict:
    """A legacy webhook's form fields (werkzeug's parser, as Flask's own would read them)."""
    mimetype, options = parse_options_header(request.header("Content-Type"))
    if mimetype == "multipart/form-data" and not options.get("boundary"):
        raise RejectedError("multipart/form-data body without a boundary in its Content-Type")
    body = request.body
    _, form, _ = FormDataParser().parse(io.BytesIO(body), mimetype, len(body), options)
    return form


def _legacy_signature(form: MultiDict) -> dict[str, Any]:
    """The signature fields of a legacy form. Mailgun adds the message's custom variables to
    the form after its event fields and before the signature fields, so a variable named
    `token` must not stand in for Mailgun's: its own value is the last one."""
    missing = [k for k in ("timestamp", "token", "signature") if not form.getlist(k)]
    if missing:
        raise UnauthorizedError(
            "no Mailgun signature in the legacy form webhook: it needs the fields "
            "timestamp, token and signature (missing: " + ", ".join(missing) + ")"
        )
    return {k: form.getlist(k)[-1] for k in ("timestamp", "token", "signature")}


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
    if request.mimetype in FORM_TYPES:
        return Accepted({"event": _legacy_event(_form(request))}, 1)
    require_json(request)
    validated = check_schema(WebhookSchema(), json_body(request.body), NAME)
    return Accepted({"event": validated["event_data"]}, 1)


def _legacy_event(form: MultiDict) -> dict[str, Any]:
    """A legacy form as the JSON path's validated `event-data`. Mailgun's own event fields
    are the first values (custom variables come after them). Legacy events
    carry no event id; the token, the same in every retry of the request, stands in for it,
    and the signed timestamp (the event's time there) goes with it as with the JSON path."""
    first = {key: form.get(key) for key in form}
    fields_ = check_schema(LegacyFormSchema(), first, f"{NAME} legacy form")
    kind, code = fields_["event"], fields_.get("code", "")
    signature = _legacy_signature(form)
    status = {
        "code": code if code.isdigit() else "",
        "enhanced_code": code if _ENHANCED.fullmatch(code) else "",
        "message": fields_.get("error") or fields_.get("description", ""),
        "description": fields_.get("notification", ""),
    }
    event: dict[str, Any] = {
        "id": str(signature["token"]),
        "timestamp": _seconds(signature["timestamp"]) * 1000,
        "recipient": fields_["recipient"],
        "delivery_status": {k: v for k, v in status.items() if v},
    }
    if kind == "bounced":  # Mailgun sends this legacy event for hard bounces only
        event.update(event="failed", severity="permanent", reason="bounce")
    elif kind == "dropped":
        reason = LEGACY_SUPPRESSED_CODES.get(code) or fields_.get("reason", "")
        event.update(event="failed", severity="permanent", reason=reason)
    else:
        event["event"] = kind
    message_id = _legacy_message_id(fields_)
    if message_id:
        event["message"] = {"headers": {"message_id": message_id}}
    return event


def _legacy_message_id(fields_: dict[str, Any]) -> str:
    """`Message-Id` (or `message-id`), else the header in `message-headers` (a JSON list of
    [name, value] pairs), without its angle brackets as the JSON path has it."""
    value = fields_.get("message_id") or fields_.get("message_id_lower") or ""
    if not value and fields_.get("message_headers"):
        try:
            headers = json.loads(fields_["message_headers"])
        except ValueError:
            headers = []
        for pair in headers if isinstance(headers, list) else []:
            if isinstance(pair, list) and len(pair) == 2 and str(pair[0]).lower() == "message-id":
                value = str(pair[1])
                break
    return value.strip().removeprefix("<").removesuffix(">")


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
