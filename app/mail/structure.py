"""Reading a message's structure safely: the limits first, then the stdlib parser, then the
parts walked without recursion.

The compat32 policy is used on purpose: it keeps every header as the string that was sent
and never raises on a malformed one, where the modern policy's header objects can raise on
access for addresses or dates it cannot parse. Decoding is done here, with errors replaced.
"""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.header
import email.utils
import re
from collections.abc import Iterator
from datetime import UTC
from email.message import Message

from app.mail.report import MailLimits, MessageTooComplex, MessageTooLarge

# A part that can hold other parts: the only ones the parser recurses into.
_CONTAINER = re.compile(
    rb"^content-type:[ \t]*(?:\r?\n[ \t]+)?(?:multipart|message)/", re.IGNORECASE | re.MULTILINE
)


_BOM = b"\xef\xbb\xbf"

# Charsets that mail declares for text written in a superset of them: Windows and most mail
# clients encode "gb2312" as GBK, "euc-kr" as Unified Hangul and "shift_jis" with Microsoft's
# extensions, so the strict codec turns common characters into U+FFFD (the WHATWG Encoding
# Standard decodes these labels with the superset for the same reason).
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
}

# What the stdlib's header and payload decoders raise on malformed input.
_DECODING_ERRORS = (
    ValueError,
    LookupError,
    UnicodeError,
    AssertionError,
    TypeError,
    email.errors.MessageError,
)


def load(raw: bytes, limits: MailLimits) -> Message:
    """The parsed message, or MessageTooLarge / MessageTooComplex naming the limit.

    Containers are counted on the bytes before parsing: the stdlib parser recurses once per
    nesting level and builds every part, so a MIME bomb must be refused before it runs."""
    if len(raw) > limits.max_bytes:
        raise MessageTooLarge(
            f"message is {len(raw)} bytes, more than the limit of {limits.max_bytes} (max_bytes)"
        )
    containers = len(_CONTAINER.findall(raw))
    if containers > limits.max_parts:
        raise MessageTooComplex(
            f"message declares {containers} multipart or message parts, more than the limit of "
            f"{limits.max_parts} (max_parts)"
        )
    try:
        # a byte-order mark before the first header (Windows tools and .NET writers save one)
        # would make the stdlib read every header as body
        message = email.message_from_bytes(raw.removeprefix(_BOM))
    except RecursionError:
        raise MessageTooComplex(
            f"message is nested deeper than the limit of {limits.max_depth} (max_depth)"
        ) from None
    parts = depth = 0
    for _, level in walk(message):
        parts += 1
        depth = max(depth, level)
    if depth > limits.max_depth:
        raise MessageTooComplex(
            f"message is nested {depth} levels deep, more than the limit of "
            f"{limits.max_depth} (max_depth)"
        )
    if parts > limits.max_parts:
        raise MessageTooComplex(
            f"message has {parts} parts, more than the limit of {limits.max_parts} (max_parts)"
        )
    return message


def walk(message: Message) -> Iterator[tuple[Message, int]]:
    """Every part with its nesting level, depth first, without recursion."""
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, level = stack.pop()
        yield part, level
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend(
                (child, level + 1) for child in reversed(payload) if isinstance(child, Message)
            )


def header(message: Message, name: str) -> str:
    """A header's value, RFC 2047 words decoded, folding undone; "" when absent."""
    value = message.get(name)
    if value is None:
        return ""
    return decoded(value)


def decoded(value: object) -> str:
    """A header value as text whatever its encoding, never raising."""
    if isinstance(value, email.header.Header):
        # compat32 wraps raw 8-bit header bytes (RFC 6532 UTF-8) as unknown-8bit
        try:
            chunks = email.header.decode_header(value)
        except _DECODING_ERRORS:
            chunks = [(str(value), None)]
        value = "".join(_chunk(data, charset) for data, charset in chunks)
    text = str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in text:
        with contextlib.suppress(*_DECODING_ERRORS):
            text = str(email.header.make_header(email.header.decode_header(text)))
    return " ".join(text.split())


def _chunk(data: bytes | str, charset: str | None) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode(
            charset_codec(charset) if charset and charset != "unknown-8bit" else "utf-8", "replace"
        )
    except (LookupError, ValueError):
        return data.decode("utf-8", "replace")


def charset_codec(charset: str) -> str:
    """The codec to decode a declared charset with: its superset where mail means that."""
    return _SUPERSETS.get(charset.strip().lower(), charset)


def body_text(part: Message) -> str:
    """A leaf part's text, transfer encoding and charset undone, errors replaced."""
    try:
        data = part.get_payload(decode=True)
    except _DECODING_ERRORS:
        data = None
    if not isinstance(data, bytes):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    charset = charset_codec(part.get_content_charset() or "utf-8")
    try:
        return data.decode(charset, "replace")
    except (LookupError, ValueError):
        return data.decode("utf-8", "replace")


def param(part: Message, name: str) -> str:
    """A Content-Type parameter as text ("" when absent or unreadable). An RFC 2231 value
    declares its own charset, and the stdlib decodes it with that name unchecked: a name
    holding a NUL raises ValueError, not LookupError, out of get_param and get_filename."""
    try:
        value = part.get_filename() if name == "filename" else part.get_param(name)
        if isinstance(value, tuple):
            value = email.utils.collapse_rfc2231_value(value)
    except _DECODING_ERRORS:
        return ""
    return value if isinstance(value, str) else ""


def content_type(part: Message) -> str:
    """The lower-case content type; stdlib falls back to text/plain for a broken one. A type
    whose parameters lost their ";" (`text/plain` then `charset=...` on the next line) is the
    type before the space: stdlib would keep the parameters in it and no reader would know it."""
    try:
        kind = part.get_content_type()
    except (ValueError, TypeError, IndexError):
        return "text/plain"
    first = kind.split(None, 1)[0] if kind.strip() else kind
    return first if first.count("/") == 1 else "text/plain"


def date_ms(value: str) -> int | None:
    """Milliseconds since the epoch of an RFC 5322 date; None when it is not one."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return int(when.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None
