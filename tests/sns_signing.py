"""A stand-in for SNS in tests: a self-signed certificate and envelopes signed the way AWS
documents (written here independently of app.providers.sns, so the two check each other)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-notifications"


class FakeSns:
    def __init__(self, days_valid: int = 30) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
        now = datetime.now(UTC)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days_valid))
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def envelope(
        self,
        cert_url: str,
        message: dict[str, Any] | str,
        kind: str = "Notification",
        version: str = "1",
        topic: str = TOPIC,
        timestamp: datetime | None = None,
        **extra: str,
    ) -> dict[str, Any]:
        """A signed SNS message, as SNS posts it."""
        moment = timestamp or datetime.now(UTC)
        envelope = {
            "Type": kind,
            "MessageId": str(uuid.uuid4()),
            "TopicArn": topic,
            "Message": message if isinstance(message, str) else json.dumps(message),
            "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{moment.microsecond // 1000:03d}Z",
            "SignatureVersion": version,
            "SigningCertURL": cert_url,
            **extra,
        }
        if kind == "Notification":
            envelope["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"
            order = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
        else:
            order = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn",
                     "Type"]  # fmt: skip
        text = "".join(f"{k}\n{envelope[k]}\n" for k in order if k in envelope)
        digest = hashes.SHA1() if version == "1" else hashes.SHA256()  # noqa: S303 - SNS v1
        signature = self.key.sign(text.encode(), padding.PKCS1v15(), digest)
        envelope["Signature"] = base64.b64encode(signature).decode()
        return envelope


def bounce_notice(*recipients: dict[str, str], kind="Permanent", sub="General", feedback="fb-1"):
    """An SES bounce notification (AWS's documented example, recipients varied)."""
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": kind,
            "bounceSubType": sub,
            "bouncedRecipients": list(recipients),
            "timestamp": "2026-03-02T09:00:05.101Z",
            "feedbackId": feedback,
            "reportingMTA": "dns; email.example.com",
            "remoteMtaIp": "127.0.2.0",
        },
        "mail": {
            "timestamp": "2026-03-02T09:00:00.237Z",
            "source": "john@example.com",
            "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "sendingAccountId": "123456789012",
            "messageId": "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
            "destination": [r["emailAddress"] for r in recipients],
        },
    }
