"""Report fields (RFC 3464 / RFC 5965 blocks) and the addresses, codes and statuses in them."""

from __future__ import annotations

import email.utils
import re
from email.message import Message

from app.addresses import InvalidAddressError, normalize
from app.mail.structure import body_text, decoded

# An address as it appears in prose or a header: a dot-atom-ish local part and a dotted domain.
ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z0-9-]{2,}"
)
REPLY_CODE = re.compile(r"(?<![\d.])([245]\d\d)(?![\d.])")
STATUS = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])")
_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:(.*)$")
# What feedback loops put in place of a recipient they redact (Microsoft JMRP, Yahoo CFL).
_REDACTED = re.compile(r"^(?:redacted|removed|masked|hidden|hashed|x{3,}|\*+)@", re.IGNORECASE)
_QUOTED_LOCAL = re.compile(r'^"[^"\\]+"@[^"@\s]+$')
_TYPED = re.compile(r"^\s*[A-Za-z0-9-]+\s*;\s*(.*)$", re.DOTALL)


def blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a report part, names lower-cased; the first is the per-message block.

    The stdlib parser splits message/delivery-status into one message per block; any other
    report part (text/plain mislabelled, message/feedback-report) is read as text here."""
    payload = part.get_payload()
    if isinstance(payload, list) and all(isinstance(p, Message) for p in payload):
        return [b for b in (_block_of(p) for p in payload) if b]
    return text_blocks(body_text(part))


def text_blocks(text: str) -> list[dict[str, str]]:
    """The field blocks in a text: report fields written into a body whose MIME structure was
    lost (no boundaries, or the report part swallowed by the one before it)."""
    return [b for b in (_parse_block(chunk) for chunk in _chunks(text)) if b]


def _block_of(message: Message) -> dict[str, str]:
    block = {name.lower(): decoded(value) for name, value in message.items()}
    tail = message.get_payload()
    if isinstance(tail, str) and tail.strip():
        # a block the stdlib parser ended early (a stray line): read the rest as fields too
        for chunk in _chunks(tail):
            for name, value in _parse_block(chunk).items():
                block.setdefault(name, value)
    return block


def _chunks(text: str) -> list[str]:
    return re.split(r"\r?\n[ \t]*\r?\n", text.strip())


def _parse_block(chunk: str) -> dict[str, str]:
    block: dict[str, str] = {}
    name = ""
    for line in chunk.splitlines():
        if line[:1] in (" ", "\t") and name:
            block[name] += " " + line.strip()
            continue
        match = _FIELD.match(line)
        if match:
            name = match.group(1).lower()
            block.setdefault(name, match.group(2).strip())
        else:
            name = ""
    return block


def untyped(value: str) -> str:
    """`rfc822; a@b` → `a@b`, `smtp; 550 ...` → `550 ...`: the value without its type."""
    match = _TYPED.match(value)
    return (match.group(1) if match else value).strip()


def address(value: str) -> str | None:
    """The normalized address a field or header names, or None when it names none."""
    text = untyped(value) if ";" in value.split("@", 1)[0] else value
    candidates = [addr for _, addr in email.utils.getaddresses([text]) if "@" in addr]
    candidates = candidates or ADDRESS.findall(text)
    for candidate in candidates:
        found = valid(_unwrapped(candidate), dotted=False)
        if found:
            return found
    return None


def addresses(value: str) -> list[str]:
    """Every valid address a header names, in order, normalized."""
    found = []
    for _, addr in email.utils.getaddresses([value]):
        normal = valid(addr, dotted=False)
        if normal and normal not in found:
            found.append(normal)
    return found


def _unwrapped(candidate: str) -> str:
    """The address without the brackets or quotes around it, keeping a quoted local part
    (`"abc@x.y.z"@example.com` is one address, as RFC 5321 allows)."""
    text = candidate.strip("<> ")
    return text if _QUOTED_LOCAL.match(text) else text.strip("<>\"' ")


def valid(candidate: str, *, dotted: bool = True) -> str | None:
    """The normalized address, or None. An address a report's own fields or headers name is
    taken as the MTA wrote it, a single-label domain included (`user@intranet`, as a mail
    system inside one network delivers); one found in prose must have a dotted domain, so
    that a word around an @ is not taken for an address."""
    if "@" not in candidate or "*" in candidate.rpartition("@")[2]:
        return None
    try:
        normal = normalize(candidate)
    except InvalidAddressError:
        return None
    domain = normal.rpartition("@")[2]
    if domain.endswith(".") or (dotted and "." not in domain):
        return None
    return normal


def redacted(address: str) -> bool:
    """Whether a feedback loop put this placeholder where it redacted the recipient."""
    return bool(_REDACTED.match(address))


def reply_code(text: str) -> str:
    """The basic reply code a reply starts with (or names first), else ""."""
    match = REPLY_CODE.search(text[:200])
    return match.group(1) if match else ""


def status(text: str) -> str:
    """The first enhanced status code in the text, else ""."""
    match = STATUS.search(text)
    return match.group(1) if match else ""
