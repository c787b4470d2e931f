"""Credential checks, all in constant time."""

from __future__ import annotations

import base64
import binascii
import hmac

from flask import Request


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _basic_password(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, colon, password = decoded.partition(":")
    return password if colon else None


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def shared_secret_ok(request: Request, secret: str) -> bool:
    """The secret as a bearer token or as the basic-auth password (user name ignored), the two
    ways an ESP's webhook settings let one attach a credential."""
    header = request.headers.get("Authorization", "")
    return _same(_bearer(header), secret) or _same(_basic_password(header), secret)


def bearer_ok(request: Request, token: str) -> bool:
    return _same(_bearer(request.headers.get("Authorization", "")), token)
