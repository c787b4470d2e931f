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

# Mailgun's `reason` on a `failed` event. "bounce" and "generic" say nothing beyond the codes;
# the suppress-* reasons never reach the classifier (app/providers/mailgun.py).
MAILGUN: dict[str, int] = {
    "greylisted": 3003,
}

# Postmark's bounce `Type`, lower-cased. "Unknown" says nothing and is absent; SpamComplaint is a
# complaint, not a bounce. Labels for mail that is not a bounce (auto-replies, list
# (un)subscribes, address changes, our own API or template errors) are informational.
POSTMARK: dict[str, int] = {
    "hardbounce": 2999,
    "softbounce": 3999,
    "transient": 4999,
    "dnserror": 4003,
    "bademailaddress": 2003,
    "autoresponder": 5001,
    "spamnotification": 1004,
    "virusnotification": 1007,
    "challengeverification": 1011,
    "blocked": 1999,
    "dmarcpolicy": 1999,
    "addresschange": 5999,
    "unsubscribe": 5999,
    "subscribe": 5999,
    "openrelaytest": 5999,
    "manuallydeactivated": 5999,
    "unconfirmed": 5999,
    "smtpapierror": 5999,
    "inbounderror": 5999,
    "templaterenderingfailed": 5999,
}

_BY_PROVIDER: dict[str, dict[str, int]] = {
    "zeptomail": ZEPTOMAIL,
    "mailgun": MAILGUN,
    "postmark": POSTMARK,
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
