"""Failure notices without a DSN part: qmail, old Exchange, Lotus Notes/Domino, Yahoo, Gmail's
prose, and MTAs that write the diagnostic only in the body. The recipient is read from the
text, from the lines the common MTAs put it on, else from the addresses the notice names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from email.message import Message

from app.mail import fields
from app.mail.report import Found, RecipientReport
from app.mail.structure import body_text, content_type, header

_DAEMON = re.compile(
    r"mailer-daemon|post[_.-]?master|mail delivery (?:subsystem|system)|mail ?administrator"
    r"|\bmta\b|\bmail system\b|microsoftexchange|bounce",
    re.IGNORECASE,
)
_FAILURE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|failed|problem|notification)"
    r"|returned mail|failure notice|mail delivery failed|delivery has failed|could not be delivered"
    r"|non[- ]?deliver|nondeliverable|not delivered|message not delivered|mail system error"
    r"|delivery report|delivery notification|returned to sender|unable to deliver|mail failure"
    r"|delayed mail|delivery delayed|warning: could not send|bounced|delivery error|ndr\b"
    r"|配信|不達|未送达|退信|failed delivery|zustellung|nicht zugestellt|non remis|non consegn"
    r"|no entregado|niet bezorgd|nie dostarczon|mail failed|returning to sender",
    re.IGNORECASE,
)
_DELAY = re.compile(
    r"\bdelay(?:ed)?\b|not yet been delivered|will (?:continue to |keep )?(?:retry|try)"
    r"|still (?:trying|being retried)|warning message only|do not need to resend"
    r"|has not been delivered yet|attempts will continue|will be retried"
    r"|could not send (?:mail|message) for (?:the )?past",  # Sendmail's warning subject
    re.IGNORECASE,
)
# What a failure notice says in its opening lines, whatever its subject.
_FAILURE_TEXT = re.compile(
    r"could not be delivered to|was not delivered to|(?:could not|unable to) deliver (?:your )?"
    r"(?:message|mail) to|delivery to the following recipients? failed|undeliverable to"
    r"|following addresses had (?:permanent fatal|delivery) errors|delivery has failed to"
    r"|message (?:could not|cannot) be delivered|permanent error\. the following address",
    re.IGNORECASE,
)
_AUTOMATED = re.compile(r"\bno-?reply\b|\bdo-?not-?reply\b", re.IGNORECASE)
_PERMANENT = re.compile(r"permanent|giving up|gave up|could not be delivered|failed", re.I)
# Where a notice stops and the copy of the returned message begins, when it is inline.
_COPY = re.compile(
    r"^[ \t>-]*(?:-{2,}|={2,})?\s*(?:below this line is a copy of the message|original message"
    r"|this is a copy of|the header of the original|forwarded message|original message follows"
    r"|a copy of the original message below|copy of the message|returned message"
    r"|unsent message below|undelivered message)"
    r"|^From \S+ +\w{3} \w{3} +\d",
    re.IGNORECASE | re.MULTILINE,
)
_TAG = re.compile(r"<(?:br|/p|/div|/tr|/li)[^>]*>|<[^>]*>", re.IGNORECASE)
# The lines MTAs write a failed recipient on, each with the address as group 1, most specific
# first: the first pattern that names any address decides.
_ADDR = r"[^\s<>'\"():;,\[\]]+@[^\s<>'\"():;,\[\]]+"
_RECIPIENT_LINES = (
    re.compile(rf"^\s*<({_ADDR})>\s*:", re.MULTILINE),  # qmail, Postfix, Yahoo, Courier
    re.compile(rf"RCPT TO:?\s*<?({_ADDR})>?", re.IGNORECASE),  # Exim, Sendmail transcripts
    re.compile(rf"^\s*({_ADDR}) on \w{{3}},? ", re.MULTILINE),  # Exchange 2003: "addr on <date>"
    re.compile(rf"^\s*({_ADDR}) on \d", re.MULTILINE),
    re.compile(
        rf"(?:target mail address|recipient address|original address|delivery failed)\s*:\s*"
        rf"<?({_ADDR})>?[\s.,;]",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:delivered to|deliver(?:y)? to the following recipients?(?: failed permanently)?"
        r"|following (?:list of )?(?:address(?:es)?|recipients?)(?:\(s\))?(?: \S+)?"
        r"(?: failed| could not be reached| had permanent fatal errors"
        r"| had transient non-fatal errors)?"
        r"|failed recipient|recipients? or (?:groups?|distribution lists?)"
        r"|could not be delivered to"
        r"|was not delivered to|wasn't delivered to|did not reach the following recipient(?:\(s\))?"
        r"|unable to deliver (?:your )?message to|could not deliver (?:mail|message) to"
        r"|address(?:\(es\)|es)? failed|failed addresses follow|delivering your message to"
        r"|your (?:message|mail) to|has been delayed|^\s*failed:)"  # then perhaps a display name
        rf"[^@\n]{{0,40}}?[\s:|-]*(?:[^@\n<>():]{{1,60}}[<(])?[<'\"]?({_ADDR})[>'\"]?[\s.,:;()]",
        re.IGNORECASE | re.MULTILINE,
    ),
)
# A list a notice heads with "the following addresses ..." names one recipient a line: the
# address first on the line (bare, in <>, quoted, after a bullet), or a display name and the
# address in <> or () as the whole line (Exchange). Reasons sit on the lines between.
_LIST_HEAD = _RECIPIENT_LINES[-1]
_LISTED = (
    re.compile(rf"^[ \t]*(?:[-*>]+[ \t]+)?[<\"']?({_ADDR})", re.MULTILINE),
    re.compile(rf"^[ \t]*[^@\n<>():]{{1,60}}[<(]({_ADDR})[>)][ \t]*$", re.MULTILINE),
)
# Where such a list ends: a separator line (Sendmail's "----- Transcript ..."), the returned
# message's header fields, the copy.
_LIST_END = re.compile(
    r"^[ \t]*(?:-{3,}|={3,}|\*{3,}|_{3,})|^(?:received|return-path|message-id|from|to|subject"
    r"|date|mime-version|content-type)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
# Where a notice quotes the remote server or states the failure: the diagnostic starts there
# (the marker is kept when it names the failure, e.g. "SMTP error ... after RCPT TO").
_TECHNICAL = re.compile(
    r"(?:technical details of (?:permanent|temporary) failure|the error that the other server"
    r" returned was|response from the remote server was|remote (?:host|server) (?:said|replied"
    r"|returned)|delay reason|reject reason|diagnostic[- ]code|reason)\s*:\s*"
    r"|(?=smtp error from remote mail server|host \S+ \[[\d.:a-f]+\]:? [245]\d\d)",
    re.IGNORECASE,
)
# The framing of a delay warning: it says the MTA keeps trying, not why delivery failed, and
# read as the diagnostic it would make a deferral informational instead of a soft bounce.
_DELAY_FRAMING = re.compile(
    r"[^.\n]*(?:will be retried|will (?:continue to |keep )?(?:retry|try)|do not need to resend"
    r"|warning message only|no action is required|not yet been delivered|has been delayed"
    r"|is delayed|delay in (?:the )?delivery|still (?:trying|being retried)"
    r"|attempts will continue|notification about a delay)[^.\n]*[.\n]?",
    re.IGNORECASE,
)
# Header lines whose values look like addresses but are message ids.
_ID_LINES = re.compile(r"^\s*(?:message-id|in-reply-to|references|x-[\w-]*id)\s*:.*$", re.I | re.M)
_SELF = re.compile(r"^(?:postmaster|mailer-daemon|abuse|root|noreply|no-reply)@", re.IGNORECASE)


def notice_reason(message: Message, text: str = "", returns_copy: bool = False) -> str:
    """Why the message reads as a failure notice ("" when it does not). Besides the subject and
    the sender, the text: a notice under any subject ("Mail", a local language) that states a
    delivery failure in its opening, when it returns the message or comes from a mail system
    or a no-reply sender, so that a person writing about a bounce is not read as one."""
    sender = header(message, "From")
    subject = header(message, "Subject")
    if _FAILURE_SUBJECT.search(subject):
        return f"failure notice by subject: {subject[:120]}"
    if _DAEMON.search(sender) and (header(message, "Return-Path").strip() in ("<>", "")):
        return f"failure notice from {sender[:120]}"
    stated = _FAILURE_TEXT.search(text[:3000])
    if stated and (returns_copy or _DAEMON.search(sender) or _AUTOMATED.search(sender)):
        return f"failure notice by its text: {stated.group()[:120]}"
    return ""


def is_delay(subject: str, text: str) -> bool:
    """A delay warning, not a failure: the MTA says it keeps trying and not that it gave up."""
    if _DELAY.search(subject):
        return True
    return bool(_DELAY.search(text)) and not _PERMANENT.search(text)


def recipients(text: str, excluded: set[str], returned_to: list[str]) -> list[RecipientReport]:
    """The failed recipients a notice names, each with the lines that follow it as diagnostic."""
    named: list[tuple[str, int]] = []
    listed = False
    for pattern in _RECIPIENT_LINES:
        for match in pattern.finditer(text):
            address = fields.valid(match.group(1).strip(".<>"))
            if address:
                named.append((address, match.start(1)))
        if named:
            if pattern is _LIST_HEAD:
                named += _listed(text, named[0][1], excluded)
                listed = True
            break
    if not named:
        named = _mentioned(text, excluded, returned_to)
    seen: dict[str, int] = {}
    for address, at in named:
        seen.setdefault(address, at)
    starts = sorted(seen.values())
    # each recipient's evidence ends where the next recipient's begins
    ends = {at: next((s for s in starts if s > at), len(text)) for at in starts}
    if listed and len(seen) > 1:  # one a line: each one's reason is on the lines after it
        lines = [text.rfind("\n", 0, at) + 1 for at in starts]
        stops = [*lines[1:], _list_end(text, starts[0])]
        bounds = dict(zip(starts, zip(lines, stops, strict=True), strict=True))
        return [_report(a, text[slice(*bounds[at])], 0) for a, at in seen.items()]
    return [_report(address, text[: ends[at]], at) for address, at in seen.items()]


def _listed(text: str, start: int, excluded: set[str]) -> list[tuple[str, int]]:
    """The other recipients of the list whose first entry is at `start`, up to where it ends."""
    section = text[: _list_end(text, start)]
    found = []
    for pattern in _LISTED:
        for match in pattern.finditer(section, start):
            address = fields.valid(match.group(1).strip(".<>"))
            if address and address not in excluded and not _SELF.match(address):
                found.append((address, match.start(1)))
    return sorted(found, key=lambda item: item[1])


def _list_end(text: str, start: int) -> int:
    ends = [m.start() for m in (_LIST_END.search(text, start), _COPY.search(text, start)) if m]
    return min([*ends, start + 4000, len(text)])


def addresses_in(text: str) -> list[str]:
    """Every valid address a text names, in order, without repeats."""
    found = (fields.valid(m.group()) for m in fields.ADDRESS.finditer(text))
    return list(dict.fromkeys(a for a in found if a))


def _mentioned(text: str, excluded: set[str], returned_to: list[str]) -> list[tuple[str, int]]:
    """The address the notice names most often that is not the sender's or a mail system's;
    one the returned message was addressed to first."""
    ids = {
        m.group().lower() for line in _ID_LINES.findall(text) for m in fields.ADDRESS.finditer(line)
    }
    found = [
        (address, match.start())
        for match in fields.ADDRESS.finditer(text)
        if (address := fields.valid(match.group()))
        and address not in excluded
        and address not in ids
        and not _SELF.match(address)
    ]
    wanted = [(a, at) for a, at in found if a in returned_to]
    found = wanted or found
    counts = Counter(address for address, _ in found)
    firsts: dict[str, int] = {}
    for address, at in found:
        firsts.setdefault(address, at)
    best = max(counts.values(), default=0)
    return [(a, at) for a, at in firsts.items() if counts[a] == best][:1]


def unnamed(text: str, address: str = "") -> RecipientReport:
    """The notice's diagnostic for a recipient found elsewhere (VERP, the returned headers,
    Exim's X-Failed-Recipients), read where the notice names it if it does."""
    at = position(text, address) if address else 0
    return replace(_report("", text, at), recipient=None, found_by=None)


def _report(address: str, text: str, at: int) -> RecipientReport:
    diagnostic = _diagnostic(text, at)
    return RecipientReport(
        recipient=address,
        found_by=Found.TEXT,
        status=fields.status(diagnostic),
        diagnostic=diagnostic,
        smtp_code=fields.reply_code(diagnostic),
    )


def _diagnostic(text: str, at: int) -> str:
    """The failure as the notice states it for the recipient named at `at`: from the first
    quoted reply or stated reason in the next few paragraphs, else those paragraphs."""
    start = text.rfind("\n\n", 0, at) + 1 if at else 0  # the paragraph naming it: Domino
    after = text[start:].strip()  # and others state the reason just before the address
    paragraphs = re.split(r"\n\s*\n", after, maxsplit=4)
    window = "\n\n".join(paragraphs[:4])
    technical = _TECHNICAL.search(window) or _TECHNICAL.search(text)
    if technical:
        source = window if technical.string is window else text
        return " ".join(source[technical.end() :].split())[:600]
    shown = paragraphs[: 2 if at else 4]
    return " ".join(" ".join(shown).split())[:600] or " ".join(text.split())[:600]


def without_delay_framing(diagnostic: str) -> str:
    """A delay warning's diagnostic without the sentences that only say delivery goes on."""
    return " ".join(_DELAY_FRAMING.sub(" ", diagnostic).split())


def position(text: str, address: str) -> int:
    """Where the notice first names the address (0 when it does not)."""
    found = text.lower().find(address.lower())
    return max(found, 0)


def notice_text(parts: list[tuple[Message, int]]) -> str:
    """The human-readable text of the report: its text parts (HTML only when there is no
    plain text), and the body of a multipart whose boundaries were lost."""
    texts = []
    for part, _ in parts:
        kind = content_type(part)
        if kind == "text/plain" or (kind.startswith("multipart/") and not part.is_multipart()):
            texts.append(body_text(part))
        elif kind == "text/html" and not texts:
            texts.append(_TAG.sub("\n", body_text(part)))
    return "\n\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")


def split_copy(text: str) -> tuple[str, str]:
    """(the notice, the inline copy of the returned message after it, "" when none)."""
    cut = _COPY.search(text)
    if cut is None or cut.start() <= 40:
        return text, ""
    rest = text[cut.end() :]
    return text[: cut.start()], rest.split("\n", 1)[1] if "\n" in rest else ""
