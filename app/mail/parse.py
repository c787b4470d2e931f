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

from app.mail import arf, autoreply, dsn, fields, prose
from app.mail import verp as verp_codec
from app.mail.report import Found, Kind, MailLimits, MailReport, RecipientReport
from app.mail.structure import body_text, content_type, date_ms, header, load, walk

_RETURNED = frozenset({"message/rfc822", "message/global"})
_RETURNED_HEADERS = frozenset({"text/rfc822-headers", "message/global-headers"})
# Where a report addressed to a VERP return path shows that address.
_DELIVERY_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
# Where a notice stops and the copy of the returned message begins, when it is inline.
_COPY = re.compile(
    r"^[ \t>-]*(?:-{2,}|={2,})?\s*(?:below this line is a copy of the message|original message"
    r"|this is a copy of|the header of the original|forwarded message|original message follows"
    r"|a copy of the original message below|copy of the message)",
    re.IGNORECASE | re.MULTILINE,
)
_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li)[^>]*>|<[^>]*>", re.IGNORECASE)


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
    feedback = next((p for p, _ in parts if content_type(p) in arf.ARF_TYPES), None)
    if feedback is not None:
        return _complaint(message, feedback, returned, base, template)
    statuses = [p for p, _ in parts if content_type(p) in dsn.DSN_TYPES]
    if statuses:
        report = _dsn(message, statuses, returned, base, template)
        if report.recipients:
            return report
    auto = autoreply.reason(message)
    notice = prose.notice_reason(message)
    if auto and not (notice and auto.startswith("Auto-Submitted")):
        return _auto_reply(message, auto, base, template)
    if notice or statuses:
        return _notice(message, parts, returned, base, template, notice)
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


def _verp(message: Message, returned: Message | None, template: str | None) -> str | None:
    if template is None:
        return None
    values = [header(message, name) for name in (*_DELIVERY_HEADERS, "Return-Path")]
    if returned is not None:
        values += [header(returned, name) for name in ("Return-Path", "Sender", "From")]
    return verp_codec.decode(template, [v for v in values if v])


def _dsn(
    message: Message,
    statuses: list[Message],
    returned: Message | None,
    base: MailReport,
    template: str | None,
) -> MailReport:
    entries: list[RecipientReport] = []
    arrival = None
    for part in statuses:
        found, when = dsn.recipients(part)
        entries += found
        arrival = arrival or when
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
    part: Message,
    returned: Message | None,
    base: MailReport,
    template: str | None,
) -> MailReport:
    feedback = arf.read(part)
    kind = Kind.COMPLAINT if feedback.feedback_type in arf.COMPLAINT_TYPES else Kind.NOT_BOUNCE
    recipient, found_by = feedback.recipient, feedback.found_by
    reason = (
        ""
        if kind is Kind.COMPLAINT
        else (f"feedback type {feedback.feedback_type} is not a complaint")
    )
    if recipient is None:
        recipient = _verp(message, returned, template)
        found_by = Found.VERP if recipient else None
    if recipient is None and returned is not None:
        named = fields.addresses(header(returned, "To")) or fields.addresses(
            header(returned, "Delivered-To")
        )
        recipient = named[0] if len(named) == 1 else None
        found_by = Found.HEADERS if recipient else None
    if recipient is None:
        reason = reason or (
            "recipient not found: the report redacts it and neither the returned headers nor "
            "a VERP return path name it"
        )
    entry = RecipientReport(
        recipient=recipient,
        found_by=found_by,
        diagnostic=f"feedback report ({feedback.feedback_type}) by "
        f"{feedback.user_agent or 'an unnamed reporter'}",
    )
    return replace(
        base,
        kind=kind,
        recipients=(entry,),
        feedback_type=feedback.feedback_type,
        user_agent=feedback.user_agent,
        arrival_ms=feedback.arrival_ms or base.arrival_ms,
        reason=reason,
    )


def _auto_reply(message: Message, why: str, base: MailReport, template: str | None) -> MailReport:
    recipient = _verp(message, None, template)
    found_by = Found.VERP if recipient else None
    if recipient is None:
        senders = fields.addresses(header(message, "From"))
        recipient = senders[0] if senders else None
        found_by = Found.HEADERS if recipient else None
    entry = RecipientReport(
        recipient=recipient, found_by=found_by, diagnostic=f"auto-reply ({why})"
    )
    reason = "" if recipient else "recipient not found: the auto-reply names no sender"
    return replace(base, kind=Kind.AUTO_REPLY, recipients=(entry,), reason=reason)


def _notice(
    message: Message,
    parts: list[tuple[Message, int]],
    returned: Message | None,
    base: MailReport,
    template: str | None,
    why: str,
) -> MailReport:
    text = _notice_text(parts)
    kind = Kind.DEFERRAL if prose.is_delay(base.subject, text[:2000]) else Kind.BOUNCE
    excluded = set(fields.addresses(header(message, "From")))
    excluded |= set(fields.addresses(header(message, "To")))
    returned_to: list[str] = []
    if returned is not None:
        for name in ("From", "Sender", "Return-Path", "Reply-To"):
            excluded |= set(fields.addresses(header(returned, name)))
        returned_to = fields.addresses(header(returned, "To"))
    entries = prose.recipients(text, excluded, returned_to)
    coded = _verp(message, returned, template)
    if coded:
        first = entries[0] if entries else prose.unnamed(text)
        entries = [replace(first, recipient=coded, found_by=Found.VERP)]
    if not entries and len(returned_to) == 1:
        entries = [replace(prose.unnamed(text), recipient=returned_to[0], found_by=Found.HEADERS)]
    action = "delayed" if kind is Kind.DEFERRAL else "failed"
    entries = [replace(e, action=action) for e in entries]
    if not entries:
        return replace(
            base,
            kind=kind,
            reason=f"recipient not found: {why or 'delivery-status report'} names no address",
        )
    return replace(base, kind=kind, recipients=tuple(entries))


def _notice_text(parts: list[tuple[Message, int]]) -> str:
    """The human-readable text of the notice, without an inline copy of the returned message."""
    texts = []
    for part, _ in parts:
        kind = content_type(part)
        if kind == "text/plain":
            texts.append(body_text(part))
        elif kind == "text/html" and not texts:
            texts.append(_TAG.sub("\n", body_text(part)))
    text = "\n\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")
    cut = _COPY.search(text)
    return text[: cut.start()] if cut and cut.start() > 40 else text
