"""The admin API's bearer check, over the request's Authorization header."""

from __future__ import annotations

from flask import Request

from app.credentials import bearer, same


def bearer_ok(request: Request, token: str) -> bool:
    return same(bearer(request.headers.get("Authorization", "")), token)
