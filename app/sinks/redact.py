"""Credentials out of sink errors, before they are stored (`last_error`, refused reasons),
logged or shown: read tokens see `GET /api/v1/sync` and the dashboard, and log readers are not
meant to hold a sender's API key.

A sink's error names the request it made (`POST https://user:pass@host/path?token=…: …`) and
quotes the sender's answer, which may echo a header or a key back. Two passes: the sink's own
configured secrets, wherever they appear (whole, or percent-encoded), and patterns for what
looks like a credential in any text: URL userinfo, token-like query, form, header or JSON
fields, and Authorization values. Redacting too much costs a less precise message; too little
leaks a key, so the patterns err wide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlsplit

MASK = "***"
MIN_SECRET = 4  # shorter configured values would mask ordinary words
# the option names (BOUNCEKEEPER_SINK_<NAME>_<KEY>) whose values are credentials
_SECRET_OPTION = re.compile(r"secret|key|token|passw", re.IGNORECASE)
_URL_OPTION = re.compile(r"url$", re.IGNORECASE)
_SECRET_NAME = (  # a pattern of names, not a password
    r"[A-Za-z0-9_.-]*(?:token|key|secret|passw(?:or)?d|pwd|signature|sig|auth|credential|session)"  # noqa: S105
    r"[A-Za-z0-9_.-]*"
)
_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s@?#]+@")
_SCHEME_VALUE = re.compile(r"\b(Bearer|Basic|Digest|Token|Key)\s+(?!\*\*\*)[^\s'\",;]+", re.I)
_JSON_FIELD = re.compile(rf'("{_SECRET_NAME}"\s*:\s*")(?:[^"\\]|\\.)*(")', re.IGNORECASE)
_FIELD = re.compile(
    rf"(\b{_SECRET_NAME}\s*[=:]\s*['\"]?)(?!(?:Bearer|Basic|Digest|Token|Key)\s|\*\*\*)"
    r"[^\s&'\",;:#)]+",
    re.IGNORECASE,
)


def secrets_of(options: Mapping[str, str]) -> tuple[str, ...]:
    """The credential values among one sink's settings: options named like a secret, and the
    password, user name and token-like query values inside its URLs."""
    found: list[str] = []
    for key, value in options.items():
        if _SECRET_OPTION.search(key):
            found.append(value)
        elif _URL_OPTION.search(key):
            parts = urlsplit(value)
            found += [unquote(parts.password or ""), unquote(parts.username or "")]
            found += [v for k, v in parse_qsl(parts.query) if re.fullmatch(_SECRET_NAME, k, re.I)]
    return tuple(sorted({s for s in found if len(s) >= MIN_SECRET}, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret and everything that looks like a credential masked."""
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote(secret), unquote(secret)}:
            if len(form) >= MIN_SECRET:
                text = text.replace(form, MASK)
    text = _USERINFO.sub(rf"\1{MASK}@", text)
    text = _SCHEME_VALUE.sub(rf"\1 {MASK}", text)
    text = _JSON_FIELD.sub(rf"\1{MASK}\2", text)
    return _FIELD.sub(rf"\1{MASK}", text)
