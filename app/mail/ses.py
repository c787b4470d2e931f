"""Amazon SES notifications that arrive as email: an SNS topic with an email subscription
mails each Bounce, Complaint or Delivery notification as JSON (the bare notification, or the
SNS envelope with it in `Message`). Read here like the SES webhook reads the same JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.mail import fields
from app.mail.report import Found, Kind, RecipientReport


@dataclass(frozen=True, slots=True)
class Notification:
    kind: Kind
    recipients: tuple[RecipientReport, ...]
    feedback_type: str = ""
    user_agent: str = ""


def read(text: str) -> Notification | None:
    """The notification in a mail body, or None when the body is no SES notification."""
    document = _json(text)
    if isinstance(document, dict) and isinstance(document.get("Message"), str):
        document = _json(document["Message"])
    if not isinstance(document, dict):
        return None
    kind = str(document.get("notificationType") or document.get("eventType") or "")
    if kind == "Bounce":
        return _bounce(document.get("bounce") or {})
    if kind == "Complaint":
        return _complaint(document.get("complaint") or {})
    if kind == "Delivery":
        return _delivery(document.get("delivery") or {})
    return None


def _json(text: str) -> Any:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        return json.loads(text[start : end + 1], strict=False)  # mail wraps long lines
    except ValueError:
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _bounce(bounce: dict[str, Any]) -> Notification:
    # SES's Transient bounces are soft: the mailbox may take mail again
    action = "delayed" if bounce.get("bounceType") == "Transient" else "failed"
    entries = []
    for item in _list(bounce.get("bouncedRecipients")):
        if not isinstance(item, dict):
            continue
        diagnostic = fields.untyped(str(item.get("diagnosticCode") or ""))
        status = fields.status(str(item.get("status") or "")) or fields.status(diagnostic)
        entries.append(
            _entry(
                item.get("emailAddress"),
                action=action,
                status=status,
                diagnostic=diagnostic,
                smtp_code=fields.reply_code(diagnostic),
                remote_mta=str(bounce.get("reportingMTA") or ""),
            )
        )
    kind = Kind.DEFERRAL if action == "delayed" else Kind.BOUNCE
    return Notification(kind, tuple(e for e in entries if e.recipient))


def _complaint(complaint: dict[str, Any]) -> Notification:
    feedback = str(complaint.get("complaintFeedbackType") or "abuse").lower()
    agent = str(complaint.get("userAgent") or "Amazon SES")
    entries = [
        _entry(item.get("emailAddress"), diagnostic=f"feedback report ({feedback}) by {agent}")
        for item in _list(complaint.get("complainedRecipients"))
        if isinstance(item, dict)
    ]
    return Notification(Kind.COMPLAINT, tuple(e for e in entries if e.recipient), feedback, agent)


def _delivery(delivery: dict[str, Any]) -> Notification:
    response = str(delivery.get("smtpResponse") or "")
    entries = [
        _entry(
            address,
            action="delivered",
            status=fields.status(response),
            diagnostic=response,
            smtp_code=fields.reply_code(response),
            remote_mta=str(delivery.get("remoteMtaIp") or ""),
        )
        for address in _list(delivery.get("recipients"))
    ]
    return Notification(Kind.DELIVERY, tuple(e for e in entries if e.recipient))


def _entry(address: Any, **evidence: str) -> RecipientReport:
    recipient = fields.address(address) if isinstance(address, str) else None
    return RecipientReport(recipient, Found.DSN if recipient else None, **evidence)
