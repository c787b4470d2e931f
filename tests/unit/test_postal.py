import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization

from app.config import Settings
from app.events import EventType
from app.ingest import classify_event
from app.providers import postal
from app.providers.base import Accepted, RejectedError, Reply, UnauthorizedError, WebhookRequest
from tests.helpers import BASE_MS
from tests.providers import (
    POSTAL_KEY,
    POSTAL_PUBLIC_KEY,
    postal_body,
    postal_delivery_event,
    postal_failed,
    postal_message,
    postal_sign,
)

SETTINGS = Settings(postal_public_key=POSTAL_PUBLIC_KEY)


def request(body: bytes, headers: dict[str, str] | None = None) -> WebhookRequest:
    headers = postal_sign(body) if headers is None else headers
    return WebhookRequest(headers, body, "application/json", int(time.time() * 1000))


def load(event: str, payload: dict) -> list:
    accepted = postal.load(request(postal_body(event, payload)), SETTINGS)
    assert isinstance(accepted, Accepted)
    assert accepted.count == 1
    return postal.parse(json.loads(json.dumps(accepted.payload)), BASE_MS + 9)


def test_delivery_failed_is_classified_by_the_servers_reply():
    [event] = load("MessageDeliveryFailed", postal_failed("Gone@Example.com", BASE_MS))
    assert event.event_type is EventType.BOUNCE
    assert event.recipient == "gone@example.com"
    assert (event.smtp_code, event.enhanced_code) == ("550", "5.1.1")
    assert event.diagnostic.startswith("550 5.1.1 <Gone@Example.com>: Recipient address")
    assert event.provider_reason == "MessageDeliveryFailed"
    assert event.occurred_at_ms == BASE_MS
    assert classify_event(event).code == 2001


def test_delayed_is_a_soft_deferral():
    output = "451 4.7.1 Greylisted, please try again later"
    payload = postal_delivery_event(
        "MessageDelayed", "a@example.com", BASE_MS, status="SoftFail", output=output
    )
    [event] = load("MessageDelayed", payload)
    assert (event.event_type, event.bounce_type) == (EventType.BOUNCE, "temporary")
    assert classify_event(event).category.value == "temporary"


def test_a_failure_without_a_reply_keeps_postals_details():
    payload = postal_failed("a@example.com", BASE_MS, output="",
                            details="No SMTP servers were available for example.com.")  # fmt: skip
    [event] = load("MessageDeliveryFailed", payload)
    assert event.diagnostic == "No SMTP servers were available for example.com."
    assert event.smtp_code == ""


def test_bounced_is_a_bounce_of_the_original_messages_recipient():
    payload = {
        "original_message": postal_message("Sent.To@Example.com", BASE_MS),
        "bounce": postal_message("sender@example.com", BASE_MS + 1000, direction="incoming"),
    }
    [event] = load("MessageBounced", payload)
    assert (event.event_type, event.recipient) == (EventType.BOUNCE, "sent.to@example.com")
    assert event.message_id == payload["original_message"]["message_id"]


def test_sent_is_a_delivery_and_each_webhook_is_its_own_event():
    payload = postal_delivery_event("MessageSent", "a@example.com", BASE_MS)
    [one] = load("MessageSent", payload)
    [two] = load("MessageSent", payload)
    assert one.event_type is EventType.DELIVERY
    assert one.event_id != two.event_id  # two webhooks (two uuids)


@pytest.mark.parametrize("event", ["MessageHeld", "DomainDNSError", "SendLimitApproaching"])
def test_events_about_no_mailbox_are_answered_200_and_not_queued(event):
    body = postal_body(event, postal_delivery_event(event, "a@example.com", BASE_MS))
    assert postal.load(request(body), SETTINGS) == Reply(200, {"accepted": 0})


def test_an_incoming_messages_delivery_is_not_queued():
    payload = postal_failed("app@example.com", BASE_MS, direction="incoming")
    body = postal_body("MessageDeliveryFailed", payload)
    assert postal.load(request(body), SETTINGS) == Reply(200, {"accepted": 0})


def test_the_sha256_signature_alone_or_the_sha1_alone_verifies():
    body = postal_body("MessageSent", postal_delivery_event("MessageSent", "a@x.org", BASE_MS))
    both = postal_sign(body)
    for name in both:
        verified = postal.verify(request(body, {name: both[name]}), SETTINGS)
        assert verified.nonce == json.loads(body)["uuid"]


def test_a_pem_key_is_accepted_too():
    pem = POSTAL_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings = Settings(postal_public_key=pem.decode())
    assert postal.disabled_reason(settings) is None
    body = postal_body("MessageSent", postal_delivery_event("MessageSent", "a@x.org", BASE_MS))
    postal.verify(request(body), settings)


@pytest.mark.parametrize(
    "key", ["not base64!", base64.b64encode(b"not DER").decode(), "-----BEGIN PUBLIC KEY-----"]
)
def test_a_bad_key_turns_the_webhook_off_naming_the_variable(key):
    reason = postal.disabled_reason(Settings(postal_public_key=key))
    assert "BOUNCEKEEPER_POSTAL_PUBLIC_KEY" in (reason or "")


def test_a_signed_body_without_a_timestamp_is_refused():
    body = json.dumps({"event": "MessageSent", "payload": {}, "uuid": "u"}).encode()
    with pytest.raises(UnauthorizedError, match="timestamp"):
        postal.verify(request(body), SETTINGS)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timestamp": 1, "uuid": "u", "payload": {}}, "event"),
        ({"event": "MessageSent", "timestamp": 1, "payload": {}}, "uuid"),
        ({"event": "MessageSent", "timestamp": 1, "uuid": "u"}, "payload"),
        ({"event": "MessageSent", "uuid": "u", "payload": {"message": {"id": 1}}},
         "payload.message.to"),
        ({"event": "MessageSent", "uuid": "u", "payload": {"message": {"to": "nobody"}}},
         "payload.message.to"),
        ({"event": "MessageBounced", "uuid": "u", "payload": {"message": {"to": "a@x.org"}}},
         "payload.original_message.to"),
    ],
)  # fmt: skip
def test_bad_payloads_name_the_field(body, field):
    raw = json.dumps(body).encode()
    with pytest.raises(RejectedError) as caught:
        postal.load(request(raw), SETTINGS)
    assert field in caught.value.fields
