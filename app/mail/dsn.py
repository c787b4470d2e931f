"""RFC 3464 delivery status notifications: one RecipientReport per per-recipient block."""

from __future__ import annotations

import re
from email.message import Message

from app.mail import fields
from app.mail.report import Found, RecipientReport
from app.mail.structure import date_ms

# Report part types read as delivery status: RFC 3464's, RFC 6533's for internationalized
# mail, and the text/ spelling some MTAs use.
DSN_TYPES = frozenset(
    {"message/delivery-status", "message/global-delivery-status", "text/delivery-status"}
)
_ACTIONS = frozenset({"failed", "delayed", "delivered", "relayed", "expanded"})


# Where report fields start in a text that lost its MIME structure.
_FIELDS_START = re.compile(
    r"^(?:Reporting-MTA|Received-From-MTA|Arrival-Date|Original-Recipient|Final-Recipient)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def recipients(part: Message) -> tuple[list[RecipientReport], int | None]:
    """The per-recipient reports of a delivery-status part, and its Arrival-Date."""
    return _reports(fields.blocks(part))


def recipients_in_text(text: str) -> tuple[list[RecipientReport], int | None]:
    """The same, from report fields written into a text part (broken or flattened MIME)."""
    start = _FIELDS_START.search(text)
    if start is None:
        return [], None
    return _reports(fields.text_blocks(text[start.start() :]))


def _reports(found: list[dict[str, str]]) -> tuple[list[RecipientReport], int | None]:
    if not found:
        return [], None
    per_message = found[0] if "reporting-mta" in found[0] or len(found) > 1 else {}
    arrival = date_ms(per_message.get("arrival-date", ""))
    reports = [
        _recipient(block, per_message)
        for block in found
        if "final-recipient" in block or "original-recipient" in block
    ]
    return reports, arrival


def _recipient(block: dict[str, str], per_message: dict[str, str]) -> RecipientReport:
    diagnostic = fields.untyped(block.get("diagnostic-code", ""))
    status = fields.status(block.get("status", "")) or fields.status(diagnostic)
    recipient = fields.address(block.get("original-recipient", "")) or fields.address(
        block.get("final-recipient", "")
    )
    return RecipientReport(
        recipient=recipient,
        found_by=Found.DSN if recipient else None,
        action=action(block.get("action", ""), status),
        status=status,
        diagnostic=diagnostic,
        smtp_code=fields.reply_code(diagnostic),
        remote_mta=fields.untyped(block.get("remote-mta", "")),
        last_attempt_ms=date_ms(block.get("last-attempt-date", ""))
        or date_ms(per_message.get("arrival-date", "")),
    )


def action(value: str, status: str) -> str:
    """The DSN action, lower case; a missing or unknown one is read from the status class."""
    word = value.strip().lower().split(" ", 1)[0].strip("();")
    if word in _ACTIONS:
        return word
    return {"5": "failed", "4": "delayed", "2": "delivered"}.get(status[:1], "failed")
