"""RFC 5965 feedback reports (ARF): which kind of feedback, about which recipient.

Microsoft's JMRP and Yahoo's CFL redact the complaining address: it is then recovered from the
returned message's headers (To, Delivered-To) or the operator's VERP template, and the report
says why when neither names it."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from app.mail import fields
from app.mail.report import Found
from app.mail.structure import date_ms, header

ARF_TYPES = frozenset({"message/feedback-report"})
# RFC 5965's types that report a recipient's complaint about our mail; `not-spam` says the
# opposite and `auth-failure` (RFC 6591) reports our authentication, not the recipient. The
# ARF drafts before RFC 5965 (draft-shafranovich-feedback-report, still sent by older feedback
# loops) also had `opt-out` and `opt-out-list`: the recipient asks to be taken off our list,
# which must stop our mail to them as a complaint does.
COMPLAINT_TYPES = frozenset({"abuse", "fraud", "virus", "other", "opt-out", "opt-out-list"})
# Where a report names the complaining address: RFC 5965's Original-Rcpt-To, else the
# drafts' Removal-Recipient of an opt-out report.
_RECIPIENT_FIELDS = ("original-rcpt-to", "removal-recipient")


@dataclass(frozen=True, slots=True)
class Feedback:
    feedback_type: str
    user_agent: str
    arrival_ms: int | None
    # each Original-Rcpt-To (or Removal-Recipient) that names a valid, unredacted address
    recipients: tuple[str, ...]
    found_by: Found = Found.ARF


def read(part: Message) -> Feedback:
    """The fields of a message/feedback-report part."""
    found = fields.blocks(part)
    block: dict[str, str] = {}
    for each in found:
        for name, value in each.items():
            block.setdefault(name, value)
    named = _named(part, block)
    return Feedback(
        feedback_type=block.get("feedback-type", "").strip().lower() or "abuse",
        user_agent=block.get("user-agent", ""),
        arrival_ms=date_ms(block.get("arrival-date", "") or block.get("received-date", "")),
        recipients=tuple(dict.fromkeys(a for a in named if a and not fields.redacted(a))),
    )


def _named(part: Message, block: dict[str, str]) -> list[str | None]:
    """The addresses of the first recipient field the report fills in."""
    for name in _RECIPIENT_FIELDS:
        named = [fields.address(v) for v in _all(part, name)]
        named = named or [fields.address(block.get(name, ""))]
        if any(named):
            return named
    return []


def jmrp_recipient(returned: Message | None) -> str | None:
    """Microsoft's JMRP report (a multipart/mixed message, no feedback-report part) keeps the
    complaining address in the returned message's X-HmXmrOriginalRecipient header."""
    if returned is None:
        return None
    return fields.address(header(returned, "X-HmXmrOriginalRecipient"))


def _all(part: Message, name: str) -> list[str]:
    """Every value of a repeatable field (Original-Rcpt-To may occur once per recipient)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [str(v) for p in payload if isinstance(p, Message) for v in p.get_all(name, [])]
    return []
