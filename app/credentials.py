"""Credential checks over plain header values, all in constant time.

Shared by the admin API and the providers' `verify`, so neither needs Flask to compare a
secret and both compare it the same way.
"""

from __future__ import annotations

import base64
import binascii
import hmac


def bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def basic_password(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, colon, password = decoded.partition(":")
    return password if colon else None


def same(given: str | bytes | None, expected: str | bytes) -> bool:
    if given is None:
        return False
    left = given.encode() if isinstance(given, str) else given
    right = expected.encode() if isinstance(expected, str) else expected
    return hmac.compare_digest(left, right)


def shared_secret_ok(authorization: str, secret: str) -> bool:
    """The secret as a bearer token or as the basic-auth password (user name ignored), the two
    ways an ESP's webhook settings let one attach a credential."""
    return same(bearer(authorization), secret) or same(basic_password(authorization), secret)
