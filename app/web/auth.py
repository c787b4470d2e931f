"""The admin API's bearer tokens and their two scopes.

`read` may call every `GET`; `admin` may also write (suppress, unsuppress, import). Tokens come
from configuration (app.config: `api_token` and `api_admin_tokens` are admin, `api_read_tokens`
read). Each request's token is compared with every configured token in constant time, all of
them, so neither the answer's timing nor its order gives away which token is close.
"""

from __future__ import annotations

from flask import current_app, request

from app.config import Settings
from app.credentials import bearer, same
from app.web.errors import fail

READ, ADMIN = "read", "admin"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="bouncekeeper"'}


def granted_scope(authorization: str, settings: Settings) -> str | None:
    """`admin`, `read`, or None when the header carries no configured bearer token."""
    return scope_of(bearer(authorization), settings)


def scope_of(given: str | None, settings: Settings) -> str | None:
    """The scope a token grants, or None when it is not a configured token."""
    if given is None:
        return None
    admin = [same(given, token) for token in settings.admin_tokens]
    read = [same(given, token) for token in settings.read_tokens]
    if any(admin):
        return ADMIN
    return READ if any(read) else None


def authorize(scope: str) -> None:
    """Let the request through with `scope`, or answer 401 (no or unknown token) or 403 (the
    API is off, or a read token on an admin operation)."""
    settings: Settings = current_app.extensions["bouncekeeper"]
    if not settings.admin_tokens and not settings.read_tokens:
        fail(403, "the admin API is off: set BOUNCEKEEPER_API_TOKEN to enable it")
    granted = granted_scope(request.headers.get("Authorization", ""), settings)
    if granted is None:
        fail(401, "missing or wrong bearer token", headers=CHALLENGE)
    if scope == ADMIN and granted != ADMIN:
        fail(403, f"{request.method} {request.path} needs a token with the admin scope")
