"""ECDSA P-256 / SHA-256 verification with a configured public key (SendGrid's signed webhook).

Kept apart from the provider so the key is parsed once and a bad key is reported when the app
starts, not as a 401 on every request.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


class BadKeyError(ValueError):
    """The configured text is not a P-256 public key."""


@lru_cache(maxsize=8)
def public_key(text: str) -> ec.EllipticCurvePublicKey:
    """A key given as PEM or as the base64 of its DER form (what SendGrid's settings page shows)."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = serialization.load_der_public_key(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error, TypeError) as exc:
        raise BadKeyError(f"not a PEM or base64 DER public key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise BadKeyError("not an ECDSA P-256 public key")
    return key


def valid(key_text: str, signature_b64: str, message: bytes) -> bool:
    """Whether the base64 DER signature signs `message` with the key."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        public_key(key_text).verify(signature, message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
