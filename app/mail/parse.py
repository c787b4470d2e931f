"""parse_message: one raw message in, one MailReport out.

Structure decides first (a delivery-status part, a feedback report), then the conventions of
prose failure notices and automatic replies; whatever matches none is NOT_BOUNCE with the
reason why. Only the size and structure limits raise: content can be anything, so a message
that trips the reading itself is reported as unreadable instead of failing its worker."""

from __future__ import annotations

import email.parser
import hashlib
import re
from dataclasses import replace
from email.message import Message

from app.mail import arf, autoreply, dsn, fields, prose, ses
from app.mail import verp as verp_codec
from app.mail.report import Found, Kind, MailLimits, MailReport, RecipientReport
from app.mail.structure import body_text, content_type, date_ms, header, load, param, walk

_RETURNED = frozenset({"message/rfc822", "message/global"})
_RETURNED_HEADERS = frozenset({"text/rfc822-headers", "message/global-headers"})
# Where a report addressed to a VERP return path shows that address.
_DELIVERY_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
_SES_NOTIFICATION = "notificationType"  # SES's JSON mailed by an SNS email subscription
# An unsubscribe request a List-Unsubscribe mailto made: its subject is "unsubscribe", with
# the token the mailto's subject carried when it had one; Apple Mail marks its own.
_UNSUBSCRIBE = re.compile(r"\s*unsubscribe(?:\s+\S+)?\s*$", re.IGNORECASE)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|noreply-[^@]*)@", re.IGNORECASE)
# DMARC aggregate (RFC 7489 section 7.2.1.1) and SMTP TLS (RFC 8460) reports, which reach a
# bounce mailbox from postmaster-like senders but report on a domain, not on a recipient: the
# file name both RFCs give the report (receiver!policy-domain!begin!end[!id].ext), TLS-RPT's
# media types and its header fields.
_AGGREGATE_FILE = re.compile(
    r"^[^!\s]+![^!\s]+!\d+!\d+(?:![a-z0-9]*)?\.(?:xml|json|xml\.gz|json\.gz|zip)$",
    re.IGNORECASE,
)
_AGGREGATE_TYPES = frozenset({"application/tlsrpt+gzip", "application/tlsrpt+json"})
_DSN_REPORT = "delivery-status"  # multipart/report's report-type of an RFC 3464 DSN
# What a delivery-status report says of a delivery that succeeded, for one whose status part
# is missing: it must not be read as a failure of the address it names.
_SUCCESS = re.compile(
    r"(?:was|has been|were|have been) (?:successfully )?(?:delivered|relayed)"
    r"|delivery (?:to (?:the following|these) recipients? )?(?:was |has )?succeeded",
    re.IGNORECASE,
)


DEFAULT_LIMITS = MailLimits()


def parse_message(
    raw: bytes, *, verp: str | None = None, limits: MailLimits = DEFAULT_LIMITS
) -> MailReport:
    """What one raw RFC 5322 message reports. `verp` is the return-path template, e.g.
    `bounces+{local}={domain}@example.com`. Raises MailRejected (MessageTooLarge,
    MessageTooComplex) only for the limits, and verp.TemplateError for a bad template."""
    if verp is not None:
        verp_codec.pattern(verp)
    message = load(raw, limits)
    source_id = _source_id(message, raw)
    try:
        report = _read(message, verp)
    except Exception as error:  # content must never fail the worker
        report = MailReport(Kind.NOT_BOUNCE, reason=f"unreadable message ({type(error).__name__})")
    return replace(report, source_id=source_id)


def _source_id(message: Message, raw: bytes) -> str:
    own = header(message, "Message-ID").strip().strip("<>")
    return own if own else "sha256:" + hashlib.sha256(raw).hexdigest()[:32]


def _read(message: Message, template: str | None) -> MailReport:
    parts = _parts(message)
    returned = _returned_headers(parts)
    base = MailReport(
        Kind.NOT_BOUNCE,
        message_id=header(returned, "Message-ID").strip() if returned is not None else "",
        subject=header(message, "Subject"),
        arrival_ms=date_ms(header(message, "Date")),
    )
    report_part = next((p for p, _ in parts if content_type(p) in arf.ARF_TYPES), None)
    if report_part is not None:
        return _complaint(message, arf.read(report_part), returned, base, template)
    jmrp = arf.jmrp_recipient(returned)
    if jmrp:
        feedback = arf.Feedback("abuse", "Microsoft JMRP", None, (jmrp,), Found.HEADERS)
        return _complaint(message, feedback, returned, base, template)
    if _UNSUBSCRIBE.match(base.subject) or header(message, "X-Apple-Unsubscribe"):
        return replace(base, reason="an unsubscribe request (List-Unsubscribe mailto)")
    aggregate = _aggregate_report(message, parts)
    if aggregate:
        return replace(base, reason=f"{aggregate}, not about a recipient")
    text = prose.notice_text(parts)
    notification = ses.read(text) if _SES_NOTIFICATION in text else None
    if notification is not None and notification.recipients:
        return replace(
            base,
            kind=notification.kind,
            recipients=notification.recipients,
            feedback_type=notification.feedback_type,
            user_agent=notification.user_agent,
        )
    statuses = [p for p, _ in parts if content_type(p) in dsn.DSN_TYPES]
    found = [dsn.recipients(p) for p in statuses] or [dsn.recipients_in_text(text)]
    if any(entries for entries, _ in found):
        report = _dsn(message, found, returned, base, template)
        if report.recipients:
            return report
    auto = autoreply.reason(message)
    notice = prose.notice_reason(message, text, returns_copy=returned is not None)
    if auto and not (notice and auto.startswith("Auto-Submitted")):
        return _auto_reply(message, auto, text, base, template)
    # a report that declares itself a DSN but lost its status part (cut short, or written by
    # a tool that left it out) is still a failure notice unless its text says it delivered
    declared = not statuses and _declares_dsn(parts) and not _SUCCESS.search(text[:3000])
    if notice or statuses or declared:
        notice = notice or "multipart/report of type delivery-status"
        unnamed = bool(statuses) and not any(e.recipient for entries, _ in found for e in entries)
        report = _notice(message, text, returned, base, template, notice, unnamed)
        named = {e.found_by for e in report.recipients if e.recipient}
        nested = None if named & {Found.TEXT, Found.VERP} else _forwarded(parts, template)
        return nested or report
    return replace(
        base, reason="no delivery-status or feedback report, failure notice or auto-reply"
    )


def _parts(message: Message) -> list[tuple[Message, int]]:
    """The parts of the report itself: the inside of a returned message is not its own."""
    found: list[tuple[Message, int]] = []
    inside: int | None = None
    for part, level in walk(message):
        if inside is not None and level > inside:
            continue
        inside = None
        found.append((part, level))
        if content_type(part) in _RETURNED and part is not message:
            inside = level
    return found


def _aggregate_report(message: Message, parts: list[tuple[Message, int]]) -> str:
    """What kind of aggregate report the message is ("" when none)."""
    if header(message, "TLS-Report-Domain") or header(message, "TLS-Report-Submitter"):
        return "an SMTP TLS report (RFC 8460)"
    for part, _ in parts:
        kind = content_type(part)
        if kind in _AGGREGATE_TYPES:
            return "an SMTP TLS report (RFC 8460)"
        if not kind.startswith("application/"):
            continue  # the reports are gzip, zip or XML attachments: no other part is read
        name = param(part, "filename") or param(part, "name")
        if _AGGREGATE_FILE.match(name.strip()):
            return f"an aggregate report ({name.strip()[:120]})"
    return ""


def _declares_dsn(parts: list[tuple[Message, int]]) -> bool:
    """Whether a multipart/report of the report's own says it is a delivery-status report."""
    return any(
        content_type(part) == "multipart/report"
        and param(part, "report-type").strip().lower() == _DSN_REPORT
        for part, _ in parts
    )


def _returned_headers(parts: list[tuple[Message, int]]) -> Message | None:
    """The headers of the message that bounced or was reported, when the report returns them."""
    for part, _ in parts:
        kind = content_type(part)
        if kind in _RETURNED:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if kind in _RETURNED_HEADERS:
            return email.parser.HeaderParser().parsestr(body_text(part))
    return None


def _forwarded(parts: list[tuple[Message, int]], template: str | None) -> MailReport | None:
    """A notice that names no recipient in its own text but returns another failure report
    (a filter relaying the DSN it got, a forwarded bounce): what that inner report says."""
    for part, _ in parts:
        if content_type(part) not in _RETURNED:
            continue
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            continue
        kinds = {content_type(p) for p, _ in walk(inner)}
        if not kinds & (dsn.DSN_TYPES | arf.ARF_TYPES):
            continue
        report = _read(inner, template)
        if report.kind is not Kind.NOT_BOUNCE and any(e.recipient for e in report.recipients):
            return report
    return None


def _verp(message: Message, returned: Message | None, template: str | None) -> str | None:
    if template is None:
        return None
    values = [header(message, name) for name in (*_DELIVERY_HEADERS, "Return-Path")]
    if returned is not None:
        values += [header(returned, name) for name in ("Return-Path", "Sender", "From")]
    return verp_codec.decode(template, [v for v in values if v])


def _dsn(
    message: Message,
    found: list[tuple[list[RecipientReport], int | None]],
    returned: Message | None,
    base: MailReport,
    template: str | None,
) -> MailReport:
    entries = [entry for entries, _ in found for entry in entries]
    arrival = next((when for _, when in found if when), None)
    coded = _verp(message, returned, template)
    if coded and len(entries) <= 1:
        first = entries[0] if entries else RecipientReport(None, None, action="failed")
        entries = [replace(first, recipient=coded, found_by=Found.VERP)]
    if not entries or all(e.recipient is None for e in entries):
        return replace(base, reason="delivery-status report names no valid recipient")
    actions = {e.action for e in entries if e.recipient}
    kind = (
        Kind.BOUNCE
        if "failed" in actions
        else Kind.DEFERRAL
        if "delayed" in actions
        else Kind.DELIVERY
    )
    return replace(
        base, kind=kind, recipients=tuple(entries), arrival_ms=arrival or base.arrival_ms
    )


def _complaint(
    message: Message,
    feedback: arf.Feedback,
    returned: Message | None,
    base: MailReport,
    template: str | None,
) -> MailReport:
    kind = Kind.COMPLAINT if feedback.feedback_type in arf.COMPLAINT_TYPES else Kind.NOT_BOUNCE
    reason = (
        ""
        if kind is Kind.COMPLAINT
        else (f"feedback type {feedback.feedback_type} is not a complaint")
    )
    named = [(a, feedback.found_by) for a in feedback.recipients]
    coded = _verp(message, returned, template)
    if coded and len(named) <= 1:
        named = [(coded, Found.VERP)]
    if not named and returned is not None:
        listed = fields.addresses(header(returned, "To")) or fields.addresses(
            header(returned, "Delivered-To")
        )
        listed = [a for a in listed if not fields.redacted(a)]
        named = [(listed[0], Found.HEADERS)] if len(listed) == 1 else []
    if not named:
        reason = reason or (
            "recipient not found: the report redacts it and neither the returned headers nor "
            "a VERP return path name it"
        )
    diagnostic = (
        f"feedback report ({feedback.feedback_type}) by "
        f"{feedback.user_agent or 'an unnamed reporter'}"
    )
    entries = [RecipientReport(a, how, diagnostic=diagnostic) for a, how in named]
    return replace(
        base,
        kind=kind,
        recipients=tuple(entries or [RecipientReport(None, None, diagnostic=diagnostic)]),
        feedback_type=feedback.feedback_type,
        user_agent=feedback.user_agent,
        arrival_ms=feedback.arrival_ms or base.arrival_ms,
        reason=reason,
    )


def _auto_reply(
    message: Message, why: str, text: str, base: MailReport, template: str | None
) -> MailReport:
    recipient = _verp(message, None, template)
    found_by = Found.VERP if recipient else None
    senders = fields.addresses(header(message, "From"))
    if recipient is None and senders and _NO_REPLY.match(senders[0]):
        # a no-reply responder answering for a mailbox it names ("this inbox ... is no longer
        # in use"): that mailbox is the recipient when it names exactly one
        others = set(prose.addresses_in(text)) - set(senders)
        others -= set(fields.addresses(header(message, "To")))
        recipient = others.pop() if len(others) == 1 else None
        found_by = Found.TEXT if recipient else None
    if recipient is None:
        recipient = senders[0] if senders else None
        found_by = Found.HEADERS if recipient else None
    entry = RecipientReport(
        recipient=recipient, found_by=found_by, diagnostic=f"auto-reply ({why})"
    )
    reason = "" if recipient else "recipient not found: the auto-reply names no sender"
    return replace(base, kind=Kind.AUTO_REPLY, recipients=(entry,), reason=reason)


def _notice(
    message: Message,
    text: str,
    returned: Message | None,
    base: MailReport,
    template: str | None,
    why: str,
    dsn_unnamed: bool = False,
) -> MailReport:
    """A failure notice read from its text. `dsn_unnamed`: its delivery-status part names
    what failed but no address (a pipe, a file, a filter)."""
    notice, copy = prose.split_copy(text)
    if returned is None and copy:
        returned = email.parser.HeaderParser().parsestr(copy.lstrip())
    kind = Kind.DEFERRAL if prose.is_delay(base.subject, notice[:2000]) else Kind.BOUNCE
    excluded = set(fields.addresses(header(message, "From")))
    excluded |= set(fields.addresses(header(message, "To")))
    returned_to: list[str] = []
    if returned is not None:
        for name in ("From", "Sender", "Return-Path", "Reply-To"):
            excluded |= set(fields.addresses(header(returned, name)))
        returned_to = fields.addresses(header(returned, "To"))
    listed = header(message, "X-Failed-Recipients")  # Exim names them
    failed = fields.addresses(listed)
    # Exim lists what failed there: when that list and the DSN both name no address (a
    # system filter's pipe, a file), nothing the notice goes on to quote is a recipient (the
    # addresses in it are a program's output or the returned message's own)
    not_addresses = bool(listed.strip()) and not failed and dsn_unnamed
    if failed:
        entries = [replace(prose.unnamed(notice, a), recipient=a, found_by=Found.HEADERS)
                   for a in failed]  # fmt: skip
    elif not_addresses:
        entries = []
        returned_to = []
    else:
        entries = prose.recipients(notice, excluded, returned_to)
    coded = _verp(message, returned, template)
    if coded:
        first = entries[0] if entries else prose.unnamed(notice)
        entries = [replace(first, recipient=coded, found_by=Found.VERP)]
    if not entries and len(returned_to) == 1:
        only = returned_to[0]
        entries = [replace(prose.unnamed(notice, only), recipient=only, found_by=Found.HEADERS)]
    if kind is Kind.DEFERRAL:
        entries = [
            replace(e, diagnostic=prose.without_delay_framing(e.diagnostic)) for e in entries
        ]
    action = "delayed" if kind is Kind.DEFERRAL else "failed"
    entries = [replace(e, action=action) for e in entries]
    if not entries:
        return replace(
            base,
            kind=kind,
            reason=f"recipient not found: {why or 'delivery-status report'} names no address",
        )
    return replace(base, kind=kind, recipients=tuple(entries))
