"""Requests as each ESP sends them: payloads written from the ESP's documented format, and
the credentials or signature that ESP attaches."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.config import Settings
from app.providers.generic import sign
from tests.helpers import iso

# Postal's signing key: the test run's own pair; the public half as Postal's UI shows it (the
# bare base64 DER of its DKIM-style `p=` value).
POSTAL_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
POSTAL_PUBLIC_KEY = base64.b64encode(
    POSTAL_KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()

SECRETS = {
    "mailgun_signing_key": "mailgun-signing-key",
    "postmark_secret": "postmark-secret",
    "sparkpost_secret": "sparkpost-secret",
    "brevo_secret": "brevo-secret",
    "mailjet_secret": "mailjet-secret",
    "generic_secret": "generic-secret",
    "kumomta_secret": "kumomta-secret",
    "postal_public_key": POSTAL_PUBLIC_KEY,
}


def with_secrets(settings: Settings) -> Settings:
    """The test settings with every provider of this module switched on."""
    return replace(settings, **SECRETS)


Request = tuple[bytes, dict[str, str]]


@dataclass(frozen=True)
class Case:
    """One provider's requests: each builder takes recipient(s) and the event time in ms."""

    name: str
    bounce: Callable[[str, int], Request]  # a permanent 5.1.1 user-unknown bounce
    complaint: Callable[[str, int], Request] | None  # None: the provider reports none
    delivery: Callable[[str, int], Request]
    bad_credentials: dict[str, Callable[[], Request]]
    batch: Callable[[list[str], int], Request] | None = None  # None: one event per request
    signed: bool = False  # a replay of the very same request must be refused
    setting: str = ""


def post(client, provider: str, request: Request):
    body, headers = request
    return client.post(
        f"/webhooks/{provider}", data=body, headers=headers, content_type="application/json"
    )


# -- Mailgun ------------------------------------------------------------------------------
def mailgun_signature(timestamp: str, token: str, key: str = SECRETS["mailgun_signing_key"]):
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def mailgun_request(
    event_data: dict[str, Any],
    *,
    timestamp: int | None = None,
    token: str | None = None,
    key: str = SECRETS["mailgun_signing_key"],
) -> tuple[bytes, dict[str, str]]:
    """Mailgun's body: the signature block next to `event-data`; no credential header."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    token = token or secrets.token_hex(25)
    signature = {
        "timestamp": stamp,
        "token": token,
        "signature": mailgun_signature(stamp, token, key),
    }
    return json.dumps({"signature": signature, "event-data": event_data}).encode(), {}


def mailgun_legacy_form(
    event: str,
    recipient: str,
    *,
    timestamp: int | None = None,
    token: str | None = None,
    key: str = SECRETS["mailgun_signing_key"],
    variables: tuple[tuple[str, str], ...] = (),
    **fields: str,
) -> list[tuple[str, str]]:
    """A legacy (API v2) webhook's form fields, in Mailgun's order: its event fields, the
    message's custom variables, the signature fields."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    token = token or secrets.token_hex(25)
    own = [("event", event), ("recipient", recipient), ("domain", "mg.example.org")]
    own += [(name.replace("_", "-"), value) for name, value in fields.items()]
    signed = [("timestamp", stamp), ("token", token)]
    signed.append(("signature", mailgun_signature(stamp, token, key)))
    return [*own, *variables, *signed]


MAILGUN_LEGACY_BOUNCE = {
    "code": "550",
    "error": "5.1.1 The email account that you tried to reach does not exist. Please try "
    "double-checking the recipient's email address for typos or unnecessary spaces.",
    "notification": "",
    "message_headers": json.dumps(
        [
            ["Received", "by luna.mailgun.net with SMTP mgrt 8734663311733"],
            ["Message-Id", "<20130503182626.18666.16540@mg.example.org>"],
            ["To", "Alice <alice@example.com>"],
        ]
    ),
    "Message_Id": "<20130503182626.18666.16540@mg.example.org>",
    "X_Mailgun_Sid": "WyIwNzI5MCIsICJhbGljZUBleGFtcGxlLmNvbSIsICI2Il0=",
}


def mailgun_failed(
    recipient: str,
    at_s: float,
    *,
    severity: str = "permanent",
    code: int = 550,
    enhanced: str | None = "5.1.1",
    message: str = "5.1.1 The email account that you tried to reach does not exist.",
    reason: str = "bounce",
    event_id: str = "W3X4Y5Z6a7b8c9d0e1f2g3",
) -> dict[str, Any]:
    """A `failed` event as in Mailgun's webhook payload examples."""
    return {
        "event": "failed",
        "id": event_id,
        "timestamp": at_s,
        "log-level": "error" if severity == "permanent" else "warn",
        "severity": severity,
        "reason": reason,
        "recipient": recipient,
        "recipient-domain": recipient.rpartition("@")[2],
        "envelope": {"sender": "news@mg.example.org", "transport": "smtp", "targets": recipient},
        "message": {
            "headers": {
                "to": recipient,
                "message-id": "20260302090000.1.ABCDEF@mg.example.org",
                "from": "News <news@mg.example.org>",
                "subject": "Hello",
            },
            "size": 1024,
        },
        "delivery-status": {
            "tls": True,
            "mx-host": "mx.example.com",
            "attempt-no": 1,
            "description": "",
            "session-seconds": 0.4,
            "code": code,
            "message": message,
            "enhanced-code": enhanced,
        },
        "flags": {"is-authenticated": True, "is-test-mode": False},
    }


def mailgun_event(kind: str, recipient: str, at_s: float, event_id: str = "Ev3nt1d") -> dict:
    """A `delivered`, `complained`, `opened`… event: no failure details."""
    return {
        "event": kind,
        "id": event_id,
        "timestamp": at_s,
        "log-level": "info" if kind != "complained" else "warn",
        "recipient": recipient,
        "message": {"headers": {"message-id": "20260302090000.2.ABCDEF@mg.example.org"}},
    }


def _mailgun_bad() -> dict[str, Callable[[], Request]]:
    event = mailgun_event("delivered", "a@example.com", time.time())
    stale = int(time.time()) - 10 * 3600
    return {
        "wrong-key": lambda: mailgun_request(event, key="not-the-key"),
        "stale": lambda: mailgun_request(event, timestamp=stale),
        "missing": lambda: (json.dumps({"event-data": event}).encode(), {}),
        "tampered": lambda: _tampered(mailgun_request(event)),
    }


def _tampered(request: Request) -> Request:
    body = json.loads(request[0])
    body["signature"]["token"] += "x"
    return json.dumps(body).encode(), request[1]


MAILGUN = Case(
    name="mailgun",
    bounce=lambda email, at_ms: mailgun_request(mailgun_failed(email, at_ms / 1000)),
    complaint=lambda email, at_ms: mailgun_request(
        mailgun_event("complained", email, at_ms / 1000)
    ),
    delivery=lambda email, at_ms: mailgun_request(mailgun_event("delivered", email, at_ms / 1000)),
    bad_credentials=_mailgun_bad(),
    signed=True,
    setting="BOUNCEKEEPER_MAILGUN_SIGNING_KEY",
)


# -- shared-secret providers --------------------------------------------------------------
def basic(password: str, user: str = "webhook") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def shared_secret_bad(
    make: Callable[[dict[str, str]], Request],
) -> dict[str, Callable[[], Request]]:
    """The credential mistakes every shared-secret provider must refuse."""
    return {
        "missing": lambda: make({}),
        "wrong-password": lambda: make(basic("wrong")),
        "wrong-bearer": lambda: make({"Authorization": "Bearer wrong"}),
        "not-base64": lambda: make({"Authorization": "Basic !!!"}),
        "other-scheme": lambda: make({"Authorization": "Token " + "x"}),
    }


def as_json(payload: Any, headers: dict[str, str]) -> Request:
    return json.dumps(payload).encode(), headers


# -- Postmark -----------------------------------------------------------------------------
POSTMARK_AUTH = basic(SECRETS["postmark_secret"])


def postmark_bounce(
    email: str,
    at_ms: int,
    *,
    kind: str = "HardBounce",
    type_code: int = 1,
    details: str = "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    bounce_id: int = 4323372036,
) -> dict[str, Any]:
    """A bounce webhook record as in Postmark's bounce webhook documentation."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": bounce_id,
        "Type": kind,
        "TypeCode": type_code,
        "Name": "Hard bounce",
        "Tag": "Invitation",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"a_key": "a_value"},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": details,
        "Email": email,
        "From": "sender@example.com",
        "BouncedAt": iso(at_ms),
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Test subject",
        "Content": "Return-Path:...",
    }


def postmark_complaint(email: str, at_ms: int) -> dict[str, Any]:
    return {
        **postmark_bounce(email, at_ms, kind="SpamComplaint", type_code=512, bounce_id=4323372037),
        "RecordType": "SpamComplaint",
        "Name": "Spam complaint",
        "Details": "Test spam complaint details",
    }


def postmark_delivery(email: str, at_ms: int) -> dict[str, Any]:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": email,
        "Tag": "welcome-email",
        "DeliveredAt": iso(at_ms),
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }


def postmark_subscription_change(
    email: str,
    at_ms: int,
    *,
    suppress: bool = True,
    reason: str = "HardBounce",
    origin: str = "Recipient",
    stream: str = "broadcast",
) -> dict[str, Any]:
    """A SubscriptionChange record as in Postmark's subscription change webhook documentation:
    a reactivation (`suppress=False`) has no reason, tag or message id and empty metadata."""
    return {
        "RecordType": "SubscriptionChange",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483" if suppress else None,
        "ServerID": 123456,
        "MessageStream": stream,
        "ChangedAt": iso(at_ms).replace("+00:00", "071Z"),  # Postmark sends microseconds
        "Recipient": email,
        "Origin": origin,
        "SuppressSending": suppress,
        "SuppressionReason": reason if suppress else None,
        "Tag": "my-tag" if suppress else None,
        "Metadata": {"example": "value"} if suppress else {},
    }


POSTMARK = Case(
    name="postmark",
    bounce=lambda email, at_ms: as_json(postmark_bounce(email, at_ms), POSTMARK_AUTH),
    complaint=lambda email, at_ms: as_json(postmark_complaint(email, at_ms), POSTMARK_AUTH),
    delivery=lambda email, at_ms: as_json(postmark_delivery(email, at_ms), POSTMARK_AUTH),
    bad_credentials=shared_secret_bad(
        lambda headers: as_json(postmark_bounce("a@example.com", 0), headers)
    ),
    setting="BOUNCEKEEPER_POSTMARK_SECRET",
)


# -- SparkPost ----------------------------------------------------------------------------
_EVENT_IDS = itertools.count(92356927693813856)
SPARKPOST_AUTH = basic(SECRETS["sparkpost_secret"], user="sparkpost")


def sparkpost_event(kind: str, email: str, at_ms: int, event_id: str = "", **fields: Any) -> dict:
    """A `message_event` as in SparkPost's webhook event reference (numbers sent as strings)."""
    event = {
        "type": kind,
        "event_id": event_id or str(next(_EVENT_IDS)),
        "timestamp": str(at_ms // 1000),
        "message_id": "000443ee14578172be22",
        "transmission_id": "65832150921904138",
        "customer_id": "1",
        "campaign_id": "Example Campaign Name",
        "rcpt_to": email.lower(),
        "raw_rcpt_to": email,
        "rcpt_meta": {"customKey": "customValue"},
        "rcpt_tags": ["male", "US"],
        "friendly_from": "sender@example.com",
        "sending_ip": "127.0.0.1",
        "subject": "Summer deals are here!",
    }
    return {**event, **fields}


def sparkpost_bounce(email: str, at_ms: int, **fields: Any) -> dict:
    details = {
        "bounce_class": "10",
        "error_code": "550",
        "reason": "550 5.1.1 ...@... Recipient address rejected: ...",
        "raw_reason": f"550 5.1.1 <{email}>: Recipient address rejected: User unknown",
    }
    return sparkpost_event("bounce", email, at_ms, **{**details, **fields})


def sparkpost_batch(events: list[dict], headers: dict[str, str] = SPARKPOST_AUTH) -> Request:
    """SparkPost's body: an array of `{"msys": {"<class>": event}}`."""
    return as_json([{"msys": {"message_event": event}} for event in events], headers)


SPARKPOST = Case(
    name="sparkpost",
    bounce=lambda email, at_ms: sparkpost_batch([sparkpost_bounce(email, at_ms)]),
    complaint=lambda email, at_ms: sparkpost_batch(
        [sparkpost_event("spam_complaint", email, at_ms, fbtype="abuse", report_by="fbl.example")]
    ),
    delivery=lambda email, at_ms: sparkpost_batch([sparkpost_event("delivery", email, at_ms)]),
    batch=lambda emails, at_ms: sparkpost_batch([sparkpost_bounce(e, at_ms) for e in emails]),
    bad_credentials=shared_secret_bad(
        lambda headers: sparkpost_batch([sparkpost_bounce("a@example.com", 0)], headers)
    ),
    setting="BOUNCEKEEPER_SPARKPOST_SECRET",
)


# -- Brevo --------------------------------------------------------------------------------
BREVO_AUTH = {"Authorization": f"Bearer {SECRETS['brevo_secret']}"}


def brevo_event(kind: str, email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    """A transactional webhook event as in Brevo's transactional webhooks reference."""
    return {
        "event": kind,
        "email": email,
        "id": 123456,  # the webhook's id, not the event's
        "date": "2026-03-02 10:00:00",  # CET: not used
        "ts": at_ms // 1000,
        "message-id": "<202603020900.12345678901@smtp-relay.mailin.fr>",
        "ts_event": at_ms // 1000,
        "subject": "My first Transactional",
        "tag": "",
        "sending_ip": "185.41.28.109",
        "ts_epoch": at_ms,
        "tags": ["transac_messages"],
        **fields,
    }


def brevo_hard_bounce(email: str, at_ms: int) -> dict[str, Any]:
    reason = " RecipientError: 550 5.1.1 <{}>: Recipient address rejected: User unknown"
    return brevo_event("hard_bounce", email, at_ms, reason=reason.format(email))


BREVO = Case(
    name="brevo",
    bounce=lambda email, at_ms: as_json(brevo_hard_bounce(email, at_ms), BREVO_AUTH),
    complaint=lambda email, at_ms: as_json(brevo_event("spam", email, at_ms), BREVO_AUTH),
    delivery=lambda email, at_ms: as_json(brevo_event("delivered", email, at_ms), BREVO_AUTH),
    batch=lambda emails, at_ms: as_json([brevo_hard_bounce(e, at_ms) for e in emails], BREVO_AUTH),
    bad_credentials=shared_secret_bad(
        lambda headers: as_json(brevo_hard_bounce("a@example.com", 0), headers)
    ),
    setting="BOUNCEKEEPER_BREVO_SECRET",
)


# -- Mailjet ------------------------------------------------------------------------------
MAILJET_AUTH = basic(SECRETS["mailjet_secret"], user="mailjet")


def mailjet_event(kind: str, email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    """An event as in Mailjet's event API (webhook) documentation."""
    return {
        "event": kind,
        "time": at_ms // 1000,
        "MessageID": 19421777835146490,
        "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j",
        "email": email,
        "mj_campaign_id": 7257,
        "mj_contact_id": 4,
        "customcampaign": "",
        "CustomID": "helloworld",
        "Payload": "",
        **fields,
    }


def mailjet_bounce(email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    details = {
        "blocked": False,
        "hard_bounce": True,
        "error_related_to": "recipient",
        "error": "user unknown",
        "comment": f"550 5.1.1 <{email}>: Recipient address rejected: User unknown",
    }
    return mailjet_event("bounce", email, at_ms, **{**details, **fields})


MAILJET = Case(
    name="mailjet",
    bounce=lambda email, at_ms: as_json(mailjet_bounce(email, at_ms), MAILJET_AUTH),
    complaint=lambda email, at_ms: as_json(
        mailjet_event("spam", email, at_ms, source="JMRPP"), MAILJET_AUTH
    ),
    delivery=lambda email, at_ms: as_json(
        mailjet_event(
            "sent",
            email,
            at_ms,
            smtp_reply="sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)",
        ),
        MAILJET_AUTH,
    ),
    batch=lambda emails, at_ms: as_json([mailjet_bounce(e, at_ms) for e in emails], MAILJET_AUTH),
    bad_credentials=shared_secret_bad(
        lambda headers: as_json(mailjet_bounce("a@example.com", 0), headers)
    ),
    setting="BOUNCEKEEPER_MAILJET_SECRET",
)


# -- generic ------------------------------------------------------------------------------
def generic_request(
    payload: Any, *, at_s: int | None = None, secret: str = SECRETS["generic_secret"]
) -> Request:
    """Our documented shape, signed as the README's recipe does."""
    body = json.dumps(payload).encode()
    stamp = int(time.time()) if at_s is None else at_s
    return body, {"X-Bouncekeeper-Signature": sign(body, stamp, secret)}


def generic_event(kind: str, email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    event = {"id": f"{kind}-{email}-{at_ms}", "event": kind, "recipient": email, "time": iso(at_ms)}
    return {**event, **fields}


def generic_bounce(email: str, at_ms: int) -> dict[str, Any]:
    return generic_event(
        "bounce", email, at_ms, smtp_code="550", enhanced_code="5.1.1",
        diagnostic=f"550 5.1.1 <{email}>: Recipient address rejected: User unknown",
    )  # fmt: skip


def _generic_bad() -> dict[str, Callable[[], Request]]:
    payload = [generic_bounce("a@example.com", 0)]
    body, headers = generic_request(payload)
    return {
        "wrong-secret": lambda: generic_request(payload, secret="wrong"),
        "stale": lambda: generic_request(payload, at_s=int(time.time()) - 301),
        "future": lambda: generic_request(payload, at_s=int(time.time()) + 301),
        "missing": lambda: (body, {}),
        "no-v1": lambda: (body, {"X-Bouncekeeper-Signature": f"t={int(time.time())}"}),
        "tampered-body": lambda: (body.replace(b"5.1.1", b"4.2.2"), headers),
    }


GENERIC = Case(
    name="generic",
    bounce=lambda email, at_ms: generic_request(generic_bounce(email, at_ms)),
    complaint=lambda email, at_ms: generic_request(generic_event("complaint", email, at_ms)),
    delivery=lambda email, at_ms: generic_request(generic_event("delivery", email, at_ms)),
    batch=lambda emails, at_ms: generic_request([generic_bounce(e, at_ms) for e in emails]),
    bad_credentials=_generic_bad(),
    signed=True,
    setting="BOUNCEKEEPER_GENERIC_SECRET",
)

# -- KumoMTA ------------------------------------------------------------------------------
KUMOMTA_AUTH = {"Authorization": f"Bearer {SECRETS['kumomta_secret']}"}
_KUMO_IDS = itertools.count(0x1D98076ABBBC11ED940250EBF67F93BD)


def kumo_record(
    kind: str,
    recipient: str | list[str],
    at_ms: int,
    *,
    code: int = 250,
    enhanced: tuple[int, int, int] | None = (2, 0, 0),
    content: str = "OK ids=8a5475ccbbc611eda12250ebf67f93bd",
    classification: str = "Uncategorized",
    **fields: Any,
) -> dict[str, Any]:
    """A log record as in KumoMTA's docs/reference/log_record.md (its every field)."""
    parts = ("class", "subject", "detail")
    enhanced_code = None if enhanced is None else dict(zip(parts, enhanced, strict=True))
    record = {
        "type": kind,
        "id": f"{next(_KUMO_IDS):032x}",
        "sender": "user@sender.example.com",
        "recipient": recipient,
        "queue": "campaign:tenant@domain",
        "site": "source2->(alt1|alt2|alt3|alt4)?.gmail-smtp-in.l.google.com.",
        "size": 1047,
        "response": {
            "code": code,
            "enhanced_code": enhanced_code,
            "content": content,
            "command": ".",
        },
        "peer_address": {"name": "gmail-smtp-in.l.google.com.", "addr": "142.251.2.27"},
        "timestamp": at_ms // 1000,
        "event_time": iso(at_ms).replace("+00:00", "Z"),
        "created": at_ms // 1000 - 5,
        "created_time": iso(at_ms - 5000).replace("+00:00", "Z"),
        "num_attempts": 0,
        "bounce_classification": classification,
        "egress_pool": "pool0",
        "egress_source": "source2",
        "source_address": {"address": "10.0.0.1:53210", "protocol": None, "server": None},
        "feedback_report": None,
        "meta": {},
        "headers": {},
        "delivery_protocol": "ESMTP",
        "reception_protocol": "ESMTP",
        "nodeid": "557f3ad4-2c8c-11ee-976e-782d7e12e173",
        "tls_cipher": "TLS_AES_256_GCM_SHA384",
        "tls_protocol_version": "TLSv1.3",
        "tls_peer_subject_name": ["C=US", "ST=CA", "CN=mx.example.com"],
        "session_id": "9bcd689e-23d9-41b7-a015-63a1382f8b57",
    }
    return {**record, **fields}


def kumo_bounce(recipient: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    """A permanent failure: a RCPT TO refused with 5.1.1, as KumoMTA logs it."""
    reply = {
        "code": 550,
        "enhanced": (5, 1, 1),
        "content": "The email account that you tried to reach does not exist.",
        "classification": "InvalidRecipient",
    }
    return kumo_record("Bounce", recipient, at_ms, **{**reply, **fields})


def kumo_feedback(recipient: str, at_ms: int, **report: Any) -> dict[str, Any]:
    """A Feedback record: an ARF report KumoMTA received on its feedback-loop address, the
    complaining address in the report (the record's own recipient is the loop's mailbox)."""
    feedback = {
        "feedback_type": "abuse",
        "user_agent": "SomeGenerator/1.0",
        "version": 1,
        "arrival_date": iso(at_ms).replace("+00:00", "Z"),
        "incidents": None,
        "original_envelope_id": None,
        "original_mail_from": "<somesender@example.net>",
        "reporting_mta": {"mta_type": "dns", "name": "mail.example.com"},
        "source_ip": "192.0.2.1",
        "authentication_results": ["mail.example.com; spf=fail smtp.mail=somesender@example.com"],
        "original_rcpto_to": [f"<{recipient}>"],
        "reported_domain": ["example.net"],
        "reported_uri": [],
        "extensions": {},
        "original_message": "From: <somesender@example.net>\r\nTo: <Undisclosed Recipients>\r\n",
        "supplemental_trace": None,
        **report,
    }
    return kumo_record(
        "Feedback", "fbl@sender.example.com", at_ms, code=250, content="",
        feedback_report=feedback, reception_protocol="ESMTP",
    )  # fmt: skip


KUMOMTA = Case(
    name="kumomta",
    bounce=lambda email, at_ms: as_json(kumo_bounce(email, at_ms), KUMOMTA_AUTH),
    complaint=lambda email, at_ms: as_json(kumo_feedback(email, at_ms), KUMOMTA_AUTH),
    delivery=lambda email, at_ms: as_json(kumo_record("Delivery", email, at_ms), KUMOMTA_AUTH),
    batch=lambda emails, at_ms: as_json([kumo_bounce(e, at_ms) for e in emails], KUMOMTA_AUTH),
    bad_credentials=shared_secret_bad(
        lambda headers: as_json(kumo_bounce("a@example.com", 0), headers)
    ),
    setting="BOUNCEKEEPER_KUMOMTA_SECRET",
)

# -- Postal -------------------------------------------------------------------------------
_POSTAL_IDS = itertools.count(1)


def postal_sign(body: bytes, key: rsa.RSAPrivateKey = POSTAL_KEY) -> dict[str, str]:
    """Postal's headers: base64 RSA signatures of the raw body, SHA-1 and SHA-256."""

    def sign(digest: hashes.HashAlgorithm) -> str:
        return base64.b64encode(key.sign(body, padding.PKCS1v15(), digest)).decode()

    return {
        "X-Postal-Signature": sign(hashes.SHA1()),  # noqa: S303 - what Postal sends
        "X-Postal-Signature-256": sign(hashes.SHA256()),
    }


def postal_message(email: str, at_ms: int, direction: str = "outgoing") -> dict[str, Any]:
    """A message's `webhook_hash` as Postal builds it (lib/postal/message_db/message.rb)."""
    number = next(_POSTAL_IDS)
    return {
        "id": number,
        "token": f"tok{number:05d}",
        "direction": direction,
        "message_id": f"{number:08x}-2c8c-11ee@rp.postal.example.com",
        "to": email,
        "from": "sender@example.com",
        "subject": "Welcome",
        "timestamp": at_ms / 1000,
        "spam_status": "NotChecked",
        "tag": None,
    }


def postal_body(event: str, payload: dict[str, Any], *, at_s: float | None = None) -> bytes:
    """The webhook body as Postal's WebhookDeliveryService generates it (Ruby's compact JSON)."""
    body = {
        "event": event,
        "timestamp": time.time() if at_s is None else at_s,
        "payload": payload,
        "uuid": secrets.token_hex(16),
    }
    return json.dumps(body, separators=(",", ":")).encode()


def postal_delivery_event(
    event: str,
    email: str,
    at_ms: int,
    *,
    status: str = "Sent",
    details: str = "Message for {to} accepted by mx.example.com (192.0.2.25)",
    output: str = "250 2.0.0 OK 1700000000 a1b2c3 - gsmtp",
    direction: str = "outgoing",
) -> dict[str, Any]:
    """A delivery's `webhook_hash` (lib/postal/message_db/delivery.rb)."""
    return {
        "message": postal_message(email, at_ms, direction),
        "status": status,
        "details": details.format(to=email),
        "output": output,
        "sent_with_ssl": True,
        "timestamp": at_ms / 1000,
        "time": 0.42,
    }


def postal_failed(email: str, at_ms: int, **fields: Any) -> dict[str, Any]:
    failure = {
        "status": "HardFail",
        "details": "Permanent SMTP delivery error when sending to mx.example.com (192.0.2.25)",
        "output": f"550 5.1.1 <{email}>: Recipient address rejected: User unknown",
    }
    return postal_delivery_event("MessageDeliveryFailed", email, at_ms, **{**failure, **fields})


def postal_request(event: str, payload: dict[str, Any], **options: Any) -> Request:
    body = postal_body(event, payload, **options)
    return body, postal_sign(body)


def _postal_bad() -> dict[str, Callable[[], Request]]:
    payload = postal_failed("a@example.com", 0)
    body = postal_body("MessageDeliveryFailed", payload)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stale = postal_body("MessageDeliveryFailed", payload, at_s=time.time() - 2 * 3600)
    signed = postal_sign(body)
    return {
        "missing": lambda: (body, {}),
        "wrong-key": lambda: (body, postal_sign(body, other)),
        "tampered": lambda: (body.replace(b"5.1.1", b"4.2.2"), signed),
        "tampered-sha1-only": lambda: (
            body.replace(b"5.1.1", b"4.2.2"),
            {"X-Postal-Signature": signed["X-Postal-Signature"]},
        ),
        "not-base64": lambda: (body, {"X-Postal-Signature-256": "!!!"}),
        "stale": lambda: (stale, postal_sign(stale)),
    }


POSTAL = Case(
    name="postal",
    bounce=lambda email, at_ms: postal_request(
        "MessageDeliveryFailed", postal_failed(email, at_ms)
    ),
    complaint=None,  # Postal reports no complaints
    delivery=lambda email, at_ms: postal_request(
        "MessageSent", postal_delivery_event("MessageSent", email, at_ms)
    ),
    bad_credentials=_postal_bad(),
    signed=True,
    setting="BOUNCEKEEPER_POSTAL_PUBLIC_KEY",
)

CASES = [MAILGUN, POSTMARK, SPARKPOST, BREVO, MAILJET, GENERIC, KUMOMTA, POSTAL]
