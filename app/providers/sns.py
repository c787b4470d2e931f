"""Amazon SNS's HTTP(S) delivery: the signed envelope, its certificate, the subscription URL.

SNS signs a fixed selection of the envelope's fields (AWS's "string to sign") with the key of
an X.509 certificate it names in `SigningCertURL`: SHA1withRSA for SignatureVersion 1,
SHA256withRSA for 2. Trust comes from where the certificate is fetched, so its URL must match
BOUNCEKEEPER_SNS_CERT_URL_PATTERN (SNS's own HTTPS hosts by default), redirects are not
followed, and the SubscribeURL is held to the same pattern before bouncekeeper fetches it.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.providers.base import DependencyUnavailableError, RejectedError, UnauthorizedError

FETCH_TIMEOUT_S = 5
MAX_FETCH_BYTES = 64 * 1024
# A certificate that could not be had is not asked for again for this long: a flood of forged
# messages naming a slow or failing URL costs one fetch per URL, not one per request.
FAILED_FETCH_TTL_S = 30
_CERT_PATH = re.compile(r"/SimpleNotificationService-[0-9A-Za-z]+\.pem")
_HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}
_SIGNED_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type",
    ),
}  # fmt: skip
_SIGNED_FIELDS["UnsubscribeConfirmation"] = _SIGNED_FIELDS["SubscriptionConfirmation"]
TYPES = frozenset(_SIGNED_FIELDS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead off the allowed host: treat it as a failure instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def string_to_sign(envelope: dict[str, Any]) -> bytes:
    """AWS's string to sign: `name\\nvalue\\n` for each signed field present, in this order."""
    names = _SIGNED_FIELDS[envelope["Type"]]
    return "".join(f"{n}\n{envelope[n]}\n" for n in names if n in envelope).encode()


def verify(envelope: dict[str, Any], url_pattern: str) -> None:
    """Raise UnauthorizedError unless SNS signed this envelope."""
    version = str(envelope.get("SignatureVersion", ""))
    if version not in _HASHES:
        raise UnauthorizedError(f"unsupported SNS SignatureVersion {version!r}: expected 1 or 2")
    url = str(envelope.get("SigningCertURL", ""))
    require_sns_url(url, url_pattern, "SigningCertURL")
    parts = urllib.parse.urlsplit(url)
    if not _CERT_PATH.fullmatch(parts.path) or parts.query or parts.fragment:
        raise UnauthorizedError(
            f"SigningCertURL {url!r} is not an SNS certificate: expected "
            "/SimpleNotificationService-<id>.pem"
        )
    try:
        signature = base64.b64decode(str(envelope.get("Signature", "")), validate=True)
        signed = string_to_sign(envelope)
    except (binascii.Error, KeyError) as exc:
        raise UnauthorizedError(f"SNS message lacks a signed field or signature: {exc}") from None
    try:
        _certificate_key(url).verify(signature, signed, padding.PKCS1v15(), _HASHES[version]())
    except InvalidSignature:
        raise UnauthorizedError(
            "SNS signature does not verify: forged or altered message"
        ) from None


def require_sns_url(url: str, url_pattern: str, field: str) -> None:
    """Refuse a URL off SNS's hosts before anything is fetched from it (no SSRF through SNS)."""
    if not re.match(url_pattern, url):
        raise UnauthorizedError(
            f"{field} {url!r} is not an SNS URL (BOUNCEKEEPER_SNS_CERT_URL_PATTERN)"
        )


_failed: dict[str, tuple[float, RejectedError]] = {}
_failed_lock = threading.Lock()


def _certificate_key(url: str) -> rsa.RSAPublicKey:
    """certificate_key, with a failure remembered for FAILED_FETCH_TTL_S (a success is
    remembered for good by certificate_key's own cache)."""
    with _failed_lock:
        until, error = _failed.get(url, (0.0, None))
        if error is not None and time.monotonic() < until:
            raise error
        _failed.pop(url, None)
    try:
        return certificate_key(url)
    except RejectedError as exc:
        with _failed_lock:
            if len(_failed) > 256:
                _failed.clear()
            _failed[url] = (time.monotonic() + FAILED_FETCH_TTL_S, exc)
        raise


@lru_cache(maxsize=16)
def certificate_key(url: str) -> rsa.RSAPublicKey:
    """The RSA key of the certificate at `url`, fetched once per process: SNS rotates its
    certificate under a new URL, so a URL's certificate never changes."""
    pem = get(url, MAX_FETCH_BYTES)
    try:
        certificate = x509.load_pem_x509_certificate(pem)
    except ValueError:
        raise UnauthorizedError(f"SigningCertURL {url!r} did not serve a PEM certificate") from None
    now = datetime.now(UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise UnauthorizedError(f"the SNS signing certificate at {url!r} is not valid now")
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnauthorizedError(f"the SNS signing certificate at {url!r} has no RSA key")
    return key


def get(url: str, limit: int) -> bytes:
    """GET an already-checked SNS URL; unreachable is a 503 so SNS retries."""
    try:
        with _OPENER.open(url, timeout=FETCH_TIMEOUT_S) as response:
            return response.read(limit)
    except (urllib.error.URLError, OSError) as exc:
        raise DependencyUnavailableError(f"could not fetch {url!r} from SNS: {exc}") from None
