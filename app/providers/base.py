"""The contract every ESP adapter meets, so the web endpoint and the worker stay provider-blind.

A provider module offers:

- `NAME` — the path segment of `POST /webhooks/<NAME>`;
- `disabled_reason(settings) -> str | None` — why the webhook is off (its credential is not
  configured), or None when it is on; an off webhook answers 404 naming the variable to set;
- `verify(request, settings) -> Verified` — authenticate the raw request the way the ESP signs
  it, raising `UnauthorizedError`; runs before the body is parsed;
- `load(request, settings) -> Accepted | Reply` — check the content type and validate the
  body, raising `RejectedError` subclasses; the `Accepted` payload is plain JSON, small enough
  to cross the broker, and holds everything `parse` needs;
- `parse(payload, received_at_ms) -> list[BounceEvent]` — run by the worker on `Accepted.payload`;
- optionally `body_limit(settings) -> (bytes, setting)` — a body limit of its own (the email
  webhook's raw messages) instead of BOUNCEKEEPER_MAX_BODY_BYTES, and the variable that sets it.

The web does the rest the same way for every provider: one task per accepted request, the
`Verified.nonce` claimed once so a replayed signature is refused, and one error body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError

from app.config import ENV_NAMES, Settings


@dataclass(frozen=True)
class WebhookRequest:
    """What a provider may look at: the raw body (signatures cover bytes, not parsed JSON)."""

    headers: Mapping[str, str]  # case-insensitive lookups, as werkzeug's Headers
    body: bytes
    mimetype: str
    received_at_ms: int

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


@dataclass(frozen=True)
class Verified:
    """A verified request. `nonce` is a value that must not be accepted twice (a signature or a
    token); the web remembers it for `fresh_for_s`, the span in which the ESP's timestamp
    check would still let a replay through."""

    nonce: str = ""
    fresh_for_s: int = 0
    binds_time: bool = True  # False: the signature covers no time, so its age is unproven


@dataclass(frozen=True)
class Accepted:
    payload: Any
    count: int


@dataclass(frozen=True)
class Reply:
    """A request that carries no events but needs an answer, e.g. SNS's subscription
    handshake."""

    status: int
    body: dict[str, Any]


class RejectedError(Exception):
    """A request refused with a 4xx (or 503, see below); `message` tells the ESP's operator what
    to fix."""

    status = 400

    def __init__(
        self,
        message: str,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields
        self.headers = headers or {}


class UnauthorizedError(RejectedError):
    status = 401


class UnsupportedMediaTypeError(RejectedError):
    status = 415


class DependencyUnavailableError(RejectedError):
    """A service the check needs (e.g. SNS's certificate host) did not answer: 503 with
    Retry-After, so the ESP sends the request again instead of it being refused for good."""

    status = 503

    def __init__(self, message: str):
        super().__init__(message, headers={"Retry-After": "30"})


def off_unless(provider: str, settings: Settings, *names: str) -> str | None:
    """None when any of the named settings is set, else why the webhook is off and which
    variables turn it on: every provider's `disabled_reason` says it the same way."""
    if any(getattr(settings, name) for name in names):
        return None
    variables = " or ".join(ENV_NAMES[name] for name in names)
    return f"the {provider} webhook is off: set {variables} to enable it"


SHARED_SECRET_CHALLENGE = {
    "WWW-Authenticate": 'Bearer realm="bouncekeeper", Basic realm="bouncekeeper"'
}


def require_fresh(signed_at_ms: int, request: WebhookRequest, max_age_s: int) -> None:
    """Refuse a signature dated outside the replay window, either way: an old one may be a
    captured request sent again, a future one a date forged to outlive the window."""
    if abs(request.received_at_ms - signed_at_ms) > max_age_s * 1000:
        raise UnauthorizedError(
            f"signature timestamp is more than {max_age_s}s from now: stale request refused"
        )


def require_json(request: WebhookRequest) -> None:
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaTypeError(
            f"Content-Type must be application/json, not {request.mimetype!r}"
        )


def json_body(body: bytes, expect: type = dict) -> Any:
    """Strict JSON: NaN/Infinity, absurd nesting and text that is not Unicode (bytes invalid in
    the body's encoding, an unpaired `\\ud800` escape) are refused as 400s, not crashes.
    `json.loads` alone lets lone surrogates into strings; those pass every schema and then
    fail the worker at the first `.encode()`, losing the whole batch."""
    try:
        text = body.decode(json.detect_encoding(body))
        payload = json.loads(text, parse_constant=_reject_constant)
        if _ESCAPED_SURROGATE.search(text):
            json.dumps(payload, ensure_ascii=False).encode()
    except (ValueError, RecursionError) as exc:  # Unicode errors are ValueErrors
        raise RejectedError(f"body is not valid JSON: {exc}") from None
    if not isinstance(payload, expect):
        noun = "object" if expect is dict else "array"
        raise RejectedError(f"body must be a JSON {noun}")
    return payload


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def check_schema(schema: Schema, data: Any, provider: str) -> Any:
    """The schema's output, or a 400 whose `fields` name every bad path."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        fields = flatten(exc.messages)
        raise RejectedError(f"invalid {provider} payload: " + ", ".join(fields), fields) from None


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dict as `data[0].contact_email` -> messages."""
    if isinstance(messages, list):
        return {prefix or "body": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        if isinstance(key, int):
            path = f"{prefix}[{key}]"
        elif key == "_schema":
            path = prefix or "body"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        flat.update(flatten(value, path))
    return flat
