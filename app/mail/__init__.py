"""Bounces, complaints and auto-replies that arrive as email, read into events.

`parse_message(raw)` reads one RFC 5322 message into a `MailReport` (RFC 3464 DSNs, RFC 5965
feedback reports, RFC 3834 auto-replies, prose failure notices, VERP return paths);
`to_events(report, received_at_ms)` turns it into `BounceEvent`s with provider "email" for the
same classifier, policy and store as every webhook. Plain functions over bytes: no web, queue
or store here.
"""

from app.mail.events import PROVIDER, to_events
from app.mail.parse import DEFAULT_LIMITS, parse_message
from app.mail.report import (
    Found,
    Kind,
    MailLimits,
    MailRejected,
    MailReport,
    MessageTooComplex,
    MessageTooLarge,
    RecipientReport,
)
from app.mail.verp import TemplateError

__all__ = [
    "DEFAULT_LIMITS",
    "PROVIDER",
    "Found",
    "Kind",
    "MailLimits",
    "MailRejected",
    "MailReport",
    "MessageTooComplex",
    "MessageTooLarge",
    "RecipientReport",
    "TemplateError",
    "parse_message",
    "to_events",
]
