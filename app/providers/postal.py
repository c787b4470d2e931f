"""Postal's webhooks: one event per request, `{"event", "timestamp", "payload", "uuid"}`.

The events that concern a recipient of an outgoing message: `MessageSent` (a delivery),
`MessageDelayed` (a soft failure Postal retries: a deferral), `MessageDeliveryFailed` (a hard
failure; `output` holds the receiving server's reply, `details` Postal's summary) and
`MessageBounced` (a bounce message came back for it: Postal sends no reply or status, so it is
classified on what little it says); `MessageLoaded` and `MessageLinkClicked` are engagement.
`MessageHeld` (Postal's own hold), `DomainDNSError`, any other event and every event about an
incoming message (its "delivery" is Postal posting it to your endpoint) are answered 200 and
not queued.

Postal signs the raw body with its RSA key: `X-Postal-Signature-256` (SHA-256, Postal 3) and
`X-Postal-Signature` (SHA-1, every version), each base64 PKCS#1 v1.5, verified with the public
key Postal shows (the `p=` of its DKIM-style record, bare base64 DER) or its PEM. The signed
body carries the request's `uuid`, the same in each of Postal's retries (2, 3, 6, 10 and 15
minutes apart) and its creation `timestamp`: the uuid is the nonce, the timestamp must be
within an hour.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from marshmallow import fields

from app.config import Settings
from app.events import BounceEvent, EventType, dated
from app.providers.base import (
    Accepted,
    RejectedError,
    Reply,
    UnauthorizedError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    require_json,
)
from app.providers.fields import Email, Instant, Text, Tolerant, Whole

NAME = "postal"
SIGNATURE_256 = "X-Postal-Signature-256"
SIGNATURE_SHA1 = "X-Postal-Signature"
MAX_AGE_S = 3600  # Postal's five retries span 36 minutes after its first attempt
MAX_AHEAD_S = 300  # clock skew we forgive for a timestamp from the future

TYPES = {
    "MessageSent": EventType.DELIVERY,
    "MessageDelayed": EventType.BOUNCE,  # a deferral: a soft bounce Postal keeps retrying
    "MessageDeliveryFailed": EventType.BOUNCE,
    "MessageBounced": EventType.BOUNCE,
    "MessageLoaded": EventType.ENGAGEMENT,
    "MessageLinkClicked": EventType.ENGAGEMENT,
}
_REPLY = re.compile(r"^\s*([245]\d\d)[\s-]")
_ENHANCED = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")


class BadKeyError(ValueError):
    """The configured text is not an RSA public key."""


@lru_cache(maxsize=8)
def public_key(text: str) -> rsa.RSAPublicKey:
    """A key as PEM or as the bare base64 of its DER form (what Postal's UI shows)."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_public_key(text.strip().encode())
        else:
            key = serialization.load_der_public_key(
                base64.b64decode("".join(text.split()), validate=True)
            )
    except (ValueError, binascii.Error, TypeError) as exc:
        raise BadKeyError(f"not a PEM or base64 DER public key: {exc}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadKeyError("not an RSA public key")
    return key


def _valid(key: rsa.RSAPublicKey, signature_b64: str, body: bytes, digest: Any) -> bool:
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
        key.verify(signature, body, padding.PKCS1v15(), digest)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


class MessageSchema(Tolerant):
    id = Whole()
    token = Text()
    direction = Text()
    message_id = Text()
    to = Email()
    timestamp = Instant()


class PayloadSchema(Tolerant):
    message = fields.Nested(MessageSchema)
    original_message = fields.Nested(MessageSchema)  # MessageBounced
    bounce = fields.Nested(MessageSchema)  # MessageBounced: the bounce message itself
    status = Text()
    details = Text()
    output = Text()
    timestamp = Instant()


class WebhookSchema(Tolerant):
    event = Text(required=True)
    timestamp = Instant()
    uuid = Text(required=True)
    payload = fields.Nested(PayloadSchema, required=True)


def disabled_reason(settings: Settings) -> str | None:
    """Off without a key, and off (said once at start) with a key that is not RSA."""
    if not settings.postal_public_key:
        return "the postal webhook is off: set BOUNCEKEEPER_POSTAL_PUBLIC_KEY to enable it"
    try:
        public_key(settings.postal_public_key)
    except BadKeyError as exc:
        return f"the postal webhook is off: BOUNCEKEEPER_POSTAL_PUBLIC_KEY is {exc}"
    return None


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """Either signature over the raw body (SHA-256 when sent, else SHA-1), a fresh
    timestamp, and the signed uuid as the nonce."""
    key = public_key(settings.postal_public_key)
    sha256, sha1 = request.header(SIGNATURE_256), request.header(SIGNATURE_SHA1)
    if not sha256 and not sha1:
        raise UnauthorizedError(f"missing {SIGNATURE_256} or {SIGNATURE_SHA1} header")
    if sha256:
        ok = _valid(key, sha256, request.body, hashes.SHA256())
    else:
        ok = _valid(key, sha1, request.body, hashes.SHA1())  # noqa: S303 - Postal's legacy
    if not ok:
        raise UnauthorizedError(
            "the Postal signature does not verify: wrong BOUNCEKEEPER_POSTAL_PUBLIC_KEY or "
            "altered request"
        )
    body = json_body(request.body)
    stamp, uuid = body.get("timestamp"), body.get("uuid")
    if isinstance(stamp, bool) or not isinstance(stamp, int | float) or not isinstance(uuid, str):
        raise UnauthorizedError("the signed Postal body needs a numeric timestamp and a uuid")
    age = request.received_at_ms // 1000 - int(stamp)
    if not -MAX_AHEAD_S <= age <= MAX_AGE_S:
        raise UnauthorizedError(f"stale Postal webhook: timestamp is {age} s old")
    return Verified(nonce=uuid, fresh_for_s=MAX_AGE_S + MAX_AHEAD_S)


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """An event about a recipient of an outgoing message, or 200 with nothing queued."""
    require_json(request)
    webhook = check_schema(WebhookSchema(), json_body(request.body), NAME)
    if webhook["event"] not in TYPES:
        return Reply(200, {"accepted": 0})
    message = _message(webhook)
    if message.get("direction", "outgoing") != "outgoing":
        return Reply(200, {"accepted": 0})
    if "to" not in message:
        part = "original_message" if webhook["event"] == "MessageBounced" else "message"
        path = f"payload.{part}.to"
        raise RejectedError(f"invalid {NAME} payload: {path}", {path: ["a recipient is required"]})
    return Accepted({"webhook": webhook}, 1)


def _message(webhook: dict[str, Any]) -> dict[str, Any]:
    payload = webhook["payload"]
    if webhook["event"] == "MessageBounced":
        return payload.get("original_message", {})
    return payload.get("message", {})


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """The one event; Postal's `output` (the receiving server's reply) is the diagnostic and
    the event name the label; the webhook's `uuid` is its identity."""
    webhook = payload["webhook"]
    kind, body = webhook["event"], webhook["payload"]
    message = _message(webhook)
    output = body.get("output", "").strip()
    if kind == "MessageBounced":
        bounce = body.get("bounce", {})
        diagnostic = f"a bounce message came back (Postal message {bounce.get('id', '?')})"
    else:
        diagnostic = output or body.get("details", "")
    reply, status = _REPLY.match(output), _ENHANCED.search(output)
    when = body.get("timestamp", webhook.get("timestamp"))
    return [
        BounceEvent(
            provider=NAME,
            event_type=TYPES[kind],
            recipient=message["to"],
            **dated(when, received_at_ms),
            smtp_code=reply.group(1) if reply else "",
            enhanced_code=status.group(1) if status else "",
            diagnostic=diagnostic,
            provider_reason=kind,
            bounce_type="temporary" if kind == "MessageDelayed" else "",
            message_id=message.get("message_id", ""),
            provider_event_id=webhook["uuid"],
        )
    ]
