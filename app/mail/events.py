"""A MailReport as BounceEvents with provider "email", for the same classifier and policy as
every webhook.

Per recipient: a failed delivery is a bounce with the DSN's status, reply code and diagnostic
as evidence; a delay is a bounce marked temporary (a soft bounce, classified by what it names,
like an ESP's deferral); an ARF complaint is a complaint with its feedback type as the reason;
an auto-reply is a bounce whose diagnostic the classifier reads as 5001 (recorded, never
counted); a success DSN is a delivery; relayed, expanded and not-spam reports are `other`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from app.events import BounceEvent, EventType, dated
from app.mail.report import Kind, MailReport, RecipientReport

PROVIDER = "email"
_BY_ACTION = {
    "failed": EventType.BOUNCE,
    "delayed": EventType.BOUNCE,
    "delivered": EventType.DELIVERY,
}


def to_events(report: MailReport, received_at_ms: int) -> list[BounceEvent]:
    """One event per recipient found; a report with none gives no events (its `reason`
    says why)."""
    source = hashlib.blake2b(report.source_id.encode(), digest_size=12).hexdigest()
    return [
        _event(report, entry, source, received_at_ms)
        for entry in report.recipients
        if entry.recipient
    ]


def _event(
    report: MailReport, entry: RecipientReport, source: str, received_at_ms: int
) -> BounceEvent:
    event_type, reason, bounce_type = _type(report.kind, entry.action, report.feedback_type)
    when = entry.last_attempt_ms or report.arrival_ms
    return BounceEvent(
        provider=PROVIDER,
        event_type=event_type,
        recipient=str(entry.recipient),
        **dated(when, received_at_ms),
        smtp_code=entry.smtp_code,
        enhanced_code=entry.status,
        diagnostic=entry.diagnostic,
        provider_reason=reason,
        bounce_type=bounce_type,
        message_id=report.message_id.strip().strip("<>"),
        provider_event_id=f"{source}:{entry.recipient}:{event_type}",
        extra=_extra(report, entry),
    )


def _type(kind: Kind, action: str, feedback_type: str) -> tuple[EventType, str, str]:
    """(event type, provider reason, bounce type) for one recipient's entry."""
    if kind is Kind.COMPLAINT:
        return EventType.COMPLAINT, feedback_type, ""
    if kind is Kind.AUTO_REPLY:
        return EventType.BOUNCE, "auto-reply", ""
    if kind is Kind.NOT_BOUNCE:
        return EventType.OTHER, feedback_type, ""
    event_type = _BY_ACTION.get(action, EventType.OTHER)
    return event_type, action, "temporary" if action == "delayed" else ""


def _extra(report: MailReport, entry: RecipientReport) -> dict[str, Any]:
    values = {
        "kind": str(report.kind),
        "found_by": str(entry.found_by or ""),
        "action": entry.action,
        "remote_mta": entry.remote_mta,
        "feedback_type": report.feedback_type,
        "user_agent": report.user_agent,
        "source_id": report.source_id,
    }
    return {name: value for name, value in values.items() if value}
