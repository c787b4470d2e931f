"""Amazon SES event notifications, delivered by SNS over HTTPS.

SNS posts its envelope as `text/plain`; the SES notification is the JSON text in `Message`.
A `SubscriptionConfirmation` for an allowed topic is confirmed by fetching its `SubscribeURL`;
a `Notification` becomes one event per recipient: every `bouncedRecipients` entry with its own
`status` and `diagnosticCode`, every complained and delivered recipient.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from app.addresses import normalize
from app.config import Settings
from app.events import BounceEvent, EventType, dated
from app.providers import sns
from app.providers.base import (
    Accepted,
    RejectedError,
    Reply,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    require_fresh,
)
from app.providers.fields import Email, Instant, Text, Tolerant, epoch_ms

NAME = "ses"
_REPLY_CODE = re.compile(r"^\s*(?:smtp;\s*)?([245]\d\d)\b", re.IGNORECASE)
_NEEDS = {"Bounce": "bounce", "Complaint": "complaint", "Delivery": "delivery"}


class _BouncedRecipient(Tolerant):
    emailAddress = Email(required=True)  # noqa: N815 - SES's own field names, here and below
    status = Text()
    action = Text()
    diagnosticCode = Text()  # noqa: N815


class _Bounce(Tolerant):
    bounceType = Text()  # noqa: N815
    bounceSubType = Text()  # noqa: N815
    bouncedRecipients = fields.List(  # noqa: N815
        fields.Nested(_BouncedRecipient), required=True, validate=validate.Length(min=1)
    )
    timestamp = Instant()
    feedbackId = Text()  # noqa: N815


class _ComplainedRecipient(Tolerant):
    emailAddress = Email(required=True)  # noqa: N815


class _Complaint(Tolerant):
    complainedRecipients = fields.List(  # noqa: N815
        fields.Nested(_ComplainedRecipient), required=True, validate=validate.Length(min=1)
    )
    complaintFeedbackType = Text()  # noqa: N815
    timestamp = Instant()
    feedbackId = Text()  # noqa: N815


class _Delivery(Tolerant):
    recipients = fields.List(Email(), required=True, validate=validate.Length(min=1))
    smtpResponse = Text()  # noqa: N815
    timestamp = Instant()


class _Mail(Tolerant):
    messageId = Text()  # noqa: N815
    timestamp = Instant()


class NotificationSchema(Tolerant):
    """SES notifications (`notificationType`) and event publishing (`eventType`) alike."""

    notificationType = Text()  # noqa: N815
    eventType = Text()  # noqa: N815
    mail = fields.Nested(_Mail)
    bounce = fields.Nested(_Bounce)
    complaint = fields.Nested(_Complaint)
    delivery = fields.Nested(_Delivery)

    @validates_schema
    def has_its_details(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("notificationType") or data.get("eventType")
        if not kind:
            raise ValidationError("notificationType or eventType is required", "notificationType")
        if kind in _NEEDS and _NEEDS[kind] not in data:
            raise ValidationError(f"required for a {kind} notification", _NEEDS[kind])


def topics(settings: Settings) -> set[str]:
    """The allowed topic ARNs: only these are confirmed and accepted."""
    return {arn.strip() for arn in settings.ses_topic_arns.split(",") if arn.strip()}


def disabled_reason(settings: Settings) -> str | None:
    """On when at least one topic ARN is configured."""
    if topics(settings):
        return None
    return "the ses webhook is off: set BOUNCEKEEPER_SES_TOPIC_ARNS to enable it"


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    """The topic is checked before the signature, so a request for a topic we do not follow
    never makes bouncekeeper fetch a URL it names."""
    envelope = sns_envelope(request)
    topic = envelope.get("TopicArn")
    if not isinstance(topic, str) or topic not in topics(settings):
        raise UnauthorizedError(f"TopicArn {topic!r} is not in BOUNCEKEEPER_SES_TOPIC_ARNS")
    sns.verify(envelope, settings.sns_cert_url_pattern)
    published = epoch_ms(str(envelope.get("Timestamp", "")))
    if published is None:
        raise UnauthorizedError("SNS Timestamp is not an RFC 3339 time")
    require_fresh(published, request, settings.sns_max_age_seconds)
    return Verified(nonce=str(envelope["MessageId"]), fresh_for_s=2 * settings.sns_max_age_seconds)


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """Handshakes are answered here (the web never queues them); a notification becomes one
    task carrying the validated SES JSON."""
    envelope = sns_envelope(request)
    reply = handshake(envelope, settings)
    if reply is not None:
        return reply
    notice = check_schema(NotificationSchema(), json_body(str(envelope["Message"]).encode()), NAME)
    payload = {
        "sns_message_id": envelope["MessageId"],
        "published_ms": epoch_ms(envelope["Timestamp"]),
        "notice": notice,
    }
    count = len(parse(payload, request.received_at_ms))
    return Accepted(payload, count) if count else Reply(200, {"accepted": 0})


def handshake(envelope: dict[str, Any], settings: Settings) -> Reply | None:
    """The answer to a subscription handshake (a confirmation is confirmed by fetching its
    SubscribeURL, held to SNS's hosts), or None for a notification."""
    if envelope["Type"] == "SubscriptionConfirmation":
        url = str(envelope.get("SubscribeURL", ""))
        sns.require_sns_url(url, settings.sns_cert_url_pattern, "SubscribeURL")
        sns.get(url, sns.MAX_FETCH_BYTES)
        return Reply(200, {"confirmed": envelope["TopicArn"]})
    if envelope["Type"] == "UnsubscribeConfirmation":
        return Reply(200, {"unsubscribed": envelope["TopicArn"]})
    return None


def sns_envelope(request: WebhookRequest) -> dict[str, Any]:
    """The SNS envelope posted as text/plain (or JSON), with a known `Type`; shared with the
    email webhook, which takes SES receipt-rule notifications through the same envelope."""
    if request.mimetype not in ("text/plain", "application/json"):
        raise UnsupportedMediaTypeError(
            f"Content-Type must be text/plain (as SNS sends) or application/json, "
            f"not {request.mimetype!r}"
        )
    envelope = json_body(request.body)
    if not isinstance(envelope.get("Type"), str) or envelope["Type"] not in sns.TYPES:
        expected = "must be " + ", ".join(sorted(sns.TYPES))
        raise RejectedError(
            f"unknown SNS message Type {envelope.get('Type')!r}", {"Type": [expected]}
        )
    return envelope


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One event per recipient of a Bounce, Complaint or Delivery; other kinds (Send, Open,
    DeliveryDelay...) carry none."""
    notice = payload["notice"]
    kind = notice.get("notificationType") or notice.get("eventType")
    mail = notice.get("mail", {})
    common = {
        "provider": NAME,
        "message_id": mail.get("messageId", ""),
    }
    published_ms = payload.get("published_ms")
    if kind == "Bounce":
        bounce = notice["bounce"]
        return [
            _bounce(
                bounce,
                r,
                common,
                dated(bounce.get("timestamp", published_ms), received_at_ms),
                payload,
            )
            for r in bounce["bouncedRecipients"]
        ]
    if kind == "Complaint":
        complaint = notice["complaint"]
        feedback = complaint.get("complaintFeedbackType", "")
        return [
            BounceEvent(
                **common,
                event_type=EventType.OTHER if feedback == "not-spam" else EventType.COMPLAINT,
                recipient=normalize(r["emailAddress"]),
                **dated(complaint.get("timestamp", published_ms), received_at_ms),
                provider_reason=feedback,
                provider_event_id=_event_id(complaint, payload, r["emailAddress"]),
            )
            for r in complaint["complainedRecipients"]
        ]
    if kind == "Delivery":
        delivery = notice["delivery"]
        return [
            BounceEvent(
                **common,
                event_type=EventType.DELIVERY,
                recipient=normalize(address),
                **dated(delivery.get("timestamp", published_ms), received_at_ms),
                diagnostic=delivery.get("smtpResponse", ""),
                provider_event_id=f"{mail.get('messageId') or payload['sns_message_id']}"
                f":delivery:{normalize(address)}",
            )
            for address in delivery["recipients"]
        ]
    return []


def _bounce(
    bounce: dict[str, Any],
    recipient: dict[str, Any],
    common: dict[str, Any],
    when: dict[str, Any],
    payload: dict[str, Any],
) -> BounceEvent:
    """SES's bounceType/bounceSubType are its hint; the recipient's own status and
    diagnostic decide (SES labels 5.4.4 and 5.3.0 Transient)."""
    diagnostic = recipient.get("diagnosticCode", "")
    code = _REPLY_CODE.match(diagnostic)
    return BounceEvent(
        **common,
        event_type=EventType.BOUNCE,
        recipient=normalize(recipient["emailAddress"]),
        **when,
        smtp_code=code.group(1) if code else "",
        enhanced_code=recipient.get("status", ""),
        diagnostic=diagnostic,
        provider_reason=bounce.get("bounceSubType", ""),
        bounce_type=bounce.get("bounceType", ""),
        provider_event_id=_event_id(bounce, payload, recipient["emailAddress"]),
    )


def _event_id(report: dict[str, Any], payload: dict[str, Any], address: str) -> str:
    """SES's feedbackId names one bounce or complaint report, which may list several
    recipients: the recipient completes the identity."""
    return f"{report.get('feedbackId') or payload['sns_message_id']}:{normalize(address)}"
