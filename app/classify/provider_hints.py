"""The ESP's own bounce labels, used when the SMTP evidence is missing or generic.

A label that names a cause (ZeptoMail's `spam-related`, SES's `NoEmail`) is the ESP's reading
of the whole reply: more specific than generic words in the diagnostic ("Message rejected")
or a generic status (`5.7.1`), so it is consulted right after the specific status rows. A label
that only says hard or soft (`FLAGS`) is the ESP's hard/soft flag under another name: class
evidence, consulted where the flag is.
"""

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

# SparkPost's `bounce_class` (its Momentum classification table). 1 Undetermined and 40 Generic
# Bounce say nothing and are absent; 25 Admin Failure is SparkPost's own policy refusing to
# send, and 80/90 are list (un)subscribe requests: informational.
SPARKPOST: dict[str, int] = {
    "10": 2001,  # Invalid Recipient
    "20": 3999,  # Soft Bounce
    "21": 4003,  # DNS Failure (temporary), as 4.1.2
    "22": 3001,  # Mailbox Full
    "23": 4999,  # Too Large: our message, as 5.3.4
    "24": 4004,  # Timeout: retries expired
    "25": 5999,  # Admin Failure
    "30": 2999,  # Generic Bounce: No RCPT
    "50": 1999,  # Mail Block
    "51": 1002,  # Spam Block: a known spam source
    "52": 1004,  # Spam Content
    "53": 1004,  # Prohibited Attachment
    "54": 4006,  # Relaying Denied
    "60": 5001,  # Auto-Reply
    "70": 3003,  # Transient Failure: delayed, retried
    "80": 5999,  # Subscribe
    "90": 5999,  # Unsubscribe
    "100": 1011,  # Challenge-Response
}

# Brevo's event names that say more than hard/soft (that flag is the bounce-type layer's).
BREVO: dict[str, int] = {
    "deferred": 3003,  # the receiving server asked to try later
    "invalid_email": 2003,
    "invalid": 2003,
}

# Mailjet's `error` on a bounce (its error table, grouped by `error_related_to`). The errors
# of `blocked` events never reach the classifier (app/providers/mailjet.py).
MAILJET: dict[str, int] = {
    "user unknown": 2001,  # recipient
    "mailbox inactive": 3002,
    "quota exceeded": 3001,
    "invalid domain": 2002,  # domain
    "no mail host": 2002,
    "relay/access denied": 4006,
    "greylisted": 3003,
    "sender blocked": 1002,  # spam: our sending IP or domain is blocked
    "content blocked": 1004,
    "policy issue": 1999,
    "system issue": 4999,  # system
    "protocol issue": 4002,
    "connection issue": 4003,
}

# KumoMTA's `bounce_classification` labels (its predefined classes, lower-cased). Uncategorized
# says nothing and is absent; Subscribe/Unsubscribe are list requests: informational.
KUMOMTA: dict[str, int] = {
    "invalidrecipient": 2001,
    "dnsfailure": 4003,  # as SparkPost's 21
    "spamblock": 1002,  # a known spam source
    "spamcontent": 1004,
    "prohibitedattachment": 1004,
    "relaydenied": 4006,
    "autoreply": 5001,
    "transientfailure": 3003,
    "subscribe": 5999,
    "unsubscribe": 5999,
    "challengeresponse": 1011,
    "badconfiguration": 4999,
    "badconnection": 4003,
    "baddomain": 2002,
    "contentrelated": 1004,
    "inactivemailbox": 3002,
    "invalidsender": 1999,
    "messageexpired": 4004,
    "noanswerfromhost": 4003,
    "policyrelated": 1999,
    "protocolerrors": 4002,
    "quotaissues": 3001,
    "relayingissues": 4006,
    "routingerrors": 4999,
    "spamrelated": 1004,
    "virusrelated": 1007,
    "authenticationfailed": 1999,  # the sender's SPF/DKIM/DMARC: a policy refusal
    "toomanyrecipients": 1006,  # a session or batch limit on recipients
}

# Labels that say only "hard", "soft" or "some bounce": no cause, so no stronger than a flag.
FLAGS: frozenset[tuple[str, str]] = frozenset(
    {
        ("postmark", "hardbounce"),
        ("postmark", "softbounce"),
        ("postmark", "transient"),
        ("sparkpost", "20"),  # Soft Bounce
        ("sparkpost", "30"),  # Generic Bounce: No RCPT
    }
)

_BY_PROVIDER: dict[str, dict[str, int]] = {
    "zeptomail": ZEPTOMAIL,
    "ses": SES,
    "sendgrid": SENDGRID,
    "mailgun": MAILGUN,
    "postmark": POSTMARK,
    "sparkpost": SPARKPOST,
    "brevo": BREVO,
    "mailjet": MAILJET,
    "kumomta": KUMOMTA,
}


_HYPHENATED = frozenset(label for table in _BY_PROVIDER.values() for label in table if "-" in label)


def normalize(reason: str) -> str:
    """The label as the tables spell it: lower case, and ZeptoMail's hyphens for the spaces
    or underscores other renderings of the same label use ("Spam related", "spam_related")."""
    label = reason.strip().lower()
    hyphenated = label.replace("_", "-").replace(" ", "-")
    return hyphenated if hyphenated in _HYPHENATED else label


def lookup(provider: str, reason: str) -> tuple[str, int] | None:
    """(table name, code) for a provider label that names a cause, trying the named
    provider's table first so a `bounce_reason` from the classify CLI without a provider still
    resolves. Labels in FLAGS are left to `flag`."""
    found = _find(provider, reason)
    if found is None or (found[0], normalize(reason)) in FLAGS:
        return None
    return found


def flag(provider: str, reason: str) -> tuple[str, int] | None:
    """(table name, code) for a label that only says hard or soft (FLAGS)."""
    found = _find(provider, reason)
    if found is None or (found[0], normalize(reason)) not in FLAGS:
        return None
    return found


def _find(provider: str, reason: str) -> tuple[str, int] | None:
    label = normalize(reason)
    if not label:
        return None
    names = [provider] if provider in _BY_PROVIDER else []
    names += [name for name in _BY_PROVIDER if name != provider]
    for name in names:
        if label in _BY_PROVIDER[name]:
            return name, _BY_PROVIDER[name][label]
    return None
