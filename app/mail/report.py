"""What the parser says about one message: plain values, no email objects.

A report is the parser's whole answer; `app.mail.events.to_events` turns it into the
provider-neutral events the worker classifies, so what was read and how it is judged stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MIB = 1024 * 1024


class Kind(StrEnum):
    """What the message is, as a whole."""

    BOUNCE = "bounce"  # a permanent failure (DSN Action: failed, or a failure notice in prose)
    DEFERRAL = "deferral"  # a delay warning: the MTA is still retrying (Action: delayed)
    COMPLAINT = "complaint"  # an ARF report whose feedback type is a complaint
    AUTO_REPLY = "auto_reply"  # a vacation notice or other automatic answer (RFC 3834)
    DELIVERY = "delivery"  # a success DSN (Action: delivered, relayed, expanded)
    NOT_BOUNCE = "not_bounce"  # none of these; `MailReport.reason` says why


class Found(StrEnum):
    """Where a recipient's address was read from, most exact first."""

    DSN = "dsn"  # Original-Recipient / Final-Recipient of an RFC 3464 report
    ARF = "arf"  # Original-Rcpt-To of an RFC 5965 report
    VERP = "verp"  # decoded from the return path by the operator's VERP template
    HEADERS = "headers"  # the returned message's To, or an auto-reply's From
    TEXT = "text"  # named in a human-readable failure notice


@dataclass(frozen=True, slots=True)
class RecipientReport:
    """One recipient's part of a report; `recipient` is None when it could not be found."""

    recipient: str | None
    found_by: Found | None
    action: str = ""  # the DSN Action (failed, delayed, delivered, relayed, expanded)
    status: str = ""  # the enhanced status, e.g. 5.1.1
    diagnostic: str = ""  # the remote server's reply, or the notice's text
    smtp_code: str = ""  # the basic reply code, e.g. 550
    remote_mta: str = ""
    last_attempt_ms: int | None = None


@dataclass(frozen=True, slots=True)
class MailReport:
    kind: Kind
    recipients: tuple[RecipientReport, ...] = ()
    message_id: str = ""  # the Message-ID of the message that bounced or was reported
    feedback_type: str = ""  # ARF Feedback-Type, lower case
    user_agent: str = ""  # ARF User-Agent
    arrival_ms: int | None = None  # ARF / DSN Arrival-Date, else the message's Date
    reason: str = ""  # why it was ignored, or why no recipient was found
    subject: str = ""
    source_id: str = ""  # the report's own Message-ID, else a digest of its bytes: dedup key


@dataclass(frozen=True, slots=True)
class MailLimits:
    """Bounds on the work one message may cause; exceeding one raises a `MailRejected`."""

    max_bytes: int = 10 * MIB
    max_depth: int = 20  # nesting of multiparts and attached messages
    max_parts: int = 500  # MIME parts in the whole tree


class MailRejected(ValueError):  # noqa: N818 -- the interface's name (mail-interface.md)
    """The message exceeds a limit; the message names the limit and the value."""


class MessageTooLarge(MailRejected):
    """More bytes than `MailLimits.max_bytes`."""


class MessageTooComplex(MailRejected):
    """Nested deeper than `MailLimits.max_depth` or more parts than `MailLimits.max_parts`."""
