"""SendGrid's Event Webhook: payloads as SendGrid documents them, and its ECDSA signature."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.classify import Evidence, classify
from app.config import Settings
from app.events import EventType
from app.providers import ec_signature, sendgrid

# SendGrid's own signed example (also used by Discourse's tests): key, signature, timestamp, body.
PUBLISHED_KEY = (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+"
    "2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
)
PUBLISHED_SIGNATURE = (
    "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLt"
    "EZtM="
)
PUBLISHED_BODY = (
    b'[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":'
    b'"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":'
    b'"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":'
    b'"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]\r\n'
)

BOUNCE = {
    "email": "noreply@example.com",
    "timestamp": 1461095250,
    "smtp-id": "<wrfRRvF7Q0GgwUo2CvDmEA@ismtpd0006p1sjc2.sendgrid.net>",
    "event": "bounce",
    "sg_event_id": "lC0Rc-FuQmKbnxCWxX1jRQ",
    "sg_message_id": "Lli-03HcQ5-JLybO9fXsJg.filter0077p1las1.21536.5717FC482.0",
    "reason": "550 5.1.1 The email account that you tried to reach does not exist.",
    "status": "5.1.1",
    "type": "bounce",
    "bounce_classification": "Invalid Address",
    "tls": 1,
}


def events(*items, received_at_ms=0):
    return sendgrid.parse(sendgrid.schema().load(list(items)), received_at_ms)


def test_published_signature_verifies():
    assert ec_signature.valid(PUBLISHED_KEY, PUBLISHED_SIGNATURE, b"1600112502" + PUBLISHED_BODY)
    assert not ec_signature.valid(
        PUBLISHED_KEY, PUBLISHED_SIGNATURE, b"1600112503" + PUBLISHED_BODY
    )
    assert not ec_signature.valid(PUBLISHED_KEY, "bm9wZQ==", b"1600112502" + PUBLISHED_BODY)
    assert not ec_signature.valid(PUBLISHED_KEY, "!!", b"1600112502" + PUBLISHED_BODY)


def test_key_as_pem_is_accepted_too():
    der = base64.b64decode(PUBLISHED_KEY)
    pem = serialization.load_der_public_key(der).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert ec_signature.valid(pem.decode(), PUBLISHED_SIGNATURE, b"1600112502" + PUBLISHED_BODY)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("not base64!", "not a PEM or base64 DER public key"),
        (base64.b64encode(b"junk").decode(), "not a PEM or base64 DER public key"),
        (
            base64.b64encode(
                ec.generate_private_key(ec.SECP384R1())
                .public_key()
                .public_bytes(
                    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            ).decode(),
            "not an ECDSA P-256 public key",
        ),
    ],
)
def test_a_bad_key_turns_the_webhook_off_and_says_why(key, message):
    reason = sendgrid.disabled_reason(Settings(sendgrid_public_key=key))
    assert "BOUNCEKEEPER_SENDGRID_PUBLIC_KEY" in reason
    assert message in reason


def test_bounce_keeps_status_reason_and_classification():
    [event] = events(BOUNCE)
    assert event.event_type is EventType.BOUNCE
    assert (event.recipient, event.occurred_at_ms) == ("noreply@example.com", 1461095250000)
    assert (event.smtp_code, event.enhanced_code) == ("550", "5.1.1")
    assert event.diagnostic.startswith("550 5.1.1 The email account")
    assert (event.provider_reason, event.bounce_type) == ("Invalid Address", "hard")
    assert event.event_id == "sendgrid:lC0Rc-FuQmKbnxCWxX1jRQ"
    assert event.message_id.startswith("Lli-03HcQ5")


def test_blocked_is_a_soft_label_and_a_sender_side_hint():
    blocked = {
        **BOUNCE,
        "type": "blocked",
        "status": "4.0.0",
        "reason": "unable to get mx info: failed to get IPs from PTR record",
        "bounce_classification": "",
    }
    [event] = events(blocked)
    assert (event.provider_reason, event.bounce_type, event.smtp_code) == ("blocked", "soft", "")
    verdict = classify(Evidence(provider_reason="blocked", provider="sendgrid"))
    assert verdict.matched_by == "provider:sendgrid:blocked"


@pytest.mark.parametrize(
    ("reason", "kind", "hint"),
    [
        ("Bounced Address", EventType.BOUNCE, "dropped: bounced address"),
        ("Invalid", EventType.BOUNCE, "dropped: invalid"),
        ("Spam Reporting Address", EventType.COMPLAINT, ""),
        ("Unsubscribed Address", EventType.OTHER, ""),
        ("Invalid SMTPAPI header", EventType.OTHER, ""),
    ],
)
def test_dropped_counts_only_when_it_blames_the_address(reason, kind, hint):
    dropped = {
        "email": "x@example.com",
        "timestamp": 1461095250,
        "event": "dropped",
        "reason": reason,
        "sg_event_id": "3NPOePGOTkeM_U3fgWApfg",
    }
    [event] = events(dropped)
    assert (event.event_type, event.provider_reason) == (kind, hint)


def test_dropped_bounced_address_suppresses():
    verdict = classify(Evidence(provider_reason="dropped: bounced address", provider="sendgrid"))
    assert verdict.code == 2999


def test_deferred_is_recorded_not_counted_delivered_and_engagement_reset():
    deferred = {
        "email": "recipient@example.com",
        "timestamp": 1461200990,
        "event": "deferred",
        "response": "Email was deferred due to the following reason(s): [IPs were throttled]",
        "attempt": "1",
        "sg_event_id": "b_syL5UiTvWC_Ky5L6Bs5Q",
    }
    delivered = {
        "email": "recipient@example.com",
        "timestamp": 1461095250,
        "event": "delivered",
        "response": "250 2.0.0 OK 1461095248 m143si2210036ioe.159 - gsmtp ",
        "sg_event_id": "nOSv8m0eTQ-vxvwNwt3fZQ",
    }
    spam = {**delivered, "event": "spamreport", "sg_event_id": "c2cd"}
    click = {**delivered, "event": "click", "url": "http://www.example.com", "sg_event_id": "d3"}
    kinds = [e.event_type for e in events(deferred, delivered, spam, click)]
    assert kinds == [EventType.OTHER, EventType.DELIVERY, EventType.COMPLAINT, EventType.ENGAGEMENT]
    assert events(deferred)[0].diagnostic.startswith("Email was deferred")
