"""ZeptoMail's `producer-signature` header: `ts=<time>;s=<signature>;s-algorithm=HmacSHA256`.

`s` is the base64 HMAC-SHA256 (URL-encoded in the header) keyed with the webhook's
authentication key. ZeptoMail documents it over the timestamp followed by the raw body;
receivers in the field report signatures over the raw body alone, so both are accepted. Both
need the key; the second does not bind `ts` (anyone may put a fresh one next to a captured
body), so its signature is remembered as long as event ids are
(BOUNCEKEEPER_DEDUP_TTL_SECONDS), and app.providers.zeptomail accepts it only for events dated
within that span: by the time the nonce is forgotten, its events are too old to be let in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import unquote

from app.config import Settings
from app.credentials import same
from app.providers.base import UnauthorizedError, Verified, WebhookRequest, require_fresh
from app.providers.fields import epoch_ms

HEADER = "producer-signature"
ALGORITHM = "HmacSHA256"
_FORMAT = f"{HEADER} must be ts=<time>;s=<base64 signature>;s-algorithm={ALGORITHM}"


def verify(request: WebhookRequest, header: str, settings: Settings) -> Verified:
    """A Verified whose nonce is the signature, or UnauthorizedError naming what is wrong."""
    parts = dict(part.strip().partition("=")[::2] for part in header.split(";"))
    if parts.get("s-algorithm", ALGORITHM) != ALGORITHM:
        raise UnauthorizedError(f"unsupported s-algorithm {parts['s-algorithm']!r}: {_FORMAT}")
    stamp, given = parts.get("ts", "").strip(), _decode(parts.get("s", ""))
    if not (stamp.isascii() and stamp.isdigit()) or given is None:
        raise UnauthorizedError(_FORMAT)
    key = settings.zeptomail_signing_key.encode()
    window = settings.webhook_max_age_seconds
    binds_time = True
    if same(given, _mac(key, stamp.encode() + request.body)):
        fresh_for_s = 2 * window  # a replay passes the ±window check until ts + window
    elif same(given, _mac(key, request.body)):
        fresh_for_s, binds_time = settings.dedup_ttl_seconds, False
    else:
        raise UnauthorizedError(
            f"{HEADER} does not match the body: wrong authentication key or altered request"
        )
    require_fresh(epoch_ms(int(stamp)) or 0, request, window)
    return Verified(nonce=given.hex(), fresh_for_s=fresh_for_s, binds_time=binds_time)


def sign(key: str, stamp: str, body: bytes) -> str:
    """The header ZeptoMail sends for `body` at `stamp`, as documented (operators' test tools
    and our tests use it)."""
    digest = base64.b64encode(_mac(key.encode(), stamp.encode() + body)).decode()
    return f"ts={stamp};s={digest};s-algorithm={ALGORITHM}"


def _mac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(unquote(value.strip()), validate=True) or None
    except (binascii.Error, ValueError):
        return None
