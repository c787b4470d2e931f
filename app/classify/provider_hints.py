"""The ESP's own bounce labels, used when the SMTP evidence is missing or generic."""

from __future__ import annotations

# ZeptoMail's `bounce_reason` categories. "other" says nothing and is deliberately absent.
ZEPTOMAIL: dict[str, int] = {
    "bad-domain": 2002,
    "bad-mailbox": 2001,
    "inactive-mailbox": 3002,
    "quota-issues": 3001,
    "spam-related": 1004,
    "policy-related": 1999,
    "virus-related": 1007,
    "content-related": 1004,
    "message-expired": 4004,
    "bad-connection": 4003,
    "no-answer-from-host": 4003,
    "protocol-errors": 4002,
    "relaying-issues": 4006,
    "routing-errors": 4999,
    "invalid-sender": 1999,
    "bad-configuration": 4999,
}

# SendGrid's `bounce_classification`, its `type` "blocked", and the reasons of a `dropped`
# event that blame the address. "unclassified" and type "bounce" say nothing and are absent.
SENDGRID: dict[str, int] = {
    "invalid address": 2001,
    "mailbox unavailable": 3002,
    "technical": 4999,
    "content": 1004,
    "reputation": 1002,
    "frequency or volume": 1006,
    "blocked": 1999,
    "dropped: bounced address": 2999,
    "dropped: invalid": 2003,
}

# Amazon SES's `bounceSubType`. "General" and "Undetermined" say nothing and are absent.
SES: dict[str, int] = {
    "noemail": 2001,
    "suppressed": 2999,
    "onaccountsuppressionlist": 2999,
    "mailboxfull": 3001,
    "messagetoolarge": 4999,
    "contentrejected": 1004,
    "attachmentrejected": 1004,
}

_BY_PROVIDER: dict[str, dict[str, int]] = {
    "zeptomail": ZEPTOMAIL,
    "ses": SES,
    "sendgrid": SENDGRID,
}


def lookup(provider: str, reason: str) -> tuple[str, int] | None:
    """(table name, code) for a provider label, trying the named provider's table first so a
    `bounce_reason` from the classify CLI without a provider still resolves."""
    label = reason.strip().lower()
    if not label:
        return None
    names = [provider] if provider in _BY_PROVIDER else []
    names += [name for name in _BY_PROVIDER if name != provider]
    for name in names:
        if label in _BY_PROVIDER[name]:
            return name, _BY_PROVIDER[name][label]
    return None
