"""One error body for every failure: `{"error": {"status", "title", "message", "fields"?}}`."""

from __future__ import annotations

from typing import Any, NoReturn

import structlog
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app.store.faults import unavailable

log = structlog.get_logger("bouncekeeper.web")

STATE_RETRY_AFTER_SECONDS = "30"
API_PREFIX = "/api/"


class ApiError(HTTPException):
    """An HTTP error with a message for the caller and, for validation, the bad fields."""

    def __init__(
        self,
        status: int,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(description=message)
        self.code = status
        self.fields = fields
        self.extra_headers = headers or {}


def fail(
    status: int,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> NoReturn:
    raise ApiError(status, message, fields, headers)


def _body(exc: HTTPException) -> dict[str, Any]:
    error: dict[str, Any] = {"status": exc.code, "title": exc.name, "message": exc.description}
    fields = getattr(exc, "fields", None)
    if fields:
        error["fields"] = fields
    return {"error": error}


# webargs' locations as a client knows them, for errors about a whole body or query
LOCATIONS = {"json": "body", "form": "body", "json_or_form": "body", "files": "body",
             "query": "query", "querystring": "query", "view_args": "path"}  # fmt: skip
WHOLE_INPUT = "_schema"  # marshmallow's key for an error about the input as a whole
NOT_AN_OBJECT = "Invalid input type."  # marshmallow's words when the input is not a dict


def _validation(exc: HTTPException) -> HTTPException:
    """webargs' rejections (flask-smorest's `@arguments`) as ours: 400 with the bad fields, as
    every other validation error here, whichever location (body, query, path) they came from.
    An error about a whole body or query (not JSON, not an object) is named by its location,
    never by an internal key such as marshmallow's `_schema`."""
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return exc
    fields: dict[str, Any] = {}
    whole: list[str] = []
    for location, errors in messages.items():
        where = LOCATIONS.get(location, location)
        if isinstance(errors, dict) and WHOLE_INPUT in errors:
            errors = dict(errors)
            problems = errors.pop(WHOLE_INPUT)
            if where == "body" and problems == [NOT_AN_OBJECT]:
                problems = ["must be a JSON object"]
            fields[where] = problems
            whole.append(f"{where}: {'; '.join(map(str, problems))}")
        if not isinstance(errors, dict):
            fields[where] = errors
            whole.append(f"{where}: {'; '.join(map(str, errors))}")
            continue
        fields.update(errors)
    names = sorted(whole + [name for name in fields if name not in LOCATIONS.values()])
    return ApiError(400, f"invalid {', '.join(names) or 'request'}", fields)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        exc = _validation(exc)
        response = jsonify(_body(exc))
        response.status_code = exc.code or 500
        for name, value in exc.get_headers():
            if name.lower() != "content-type":  # werkzeug's own, e.g. 405's Allow
                response.headers[name] = value
        for name, value in getattr(exc, "extra_headers", {}).items():
            response.headers[name] = value
        if request.path.startswith(API_PREFIX) and 400 <= response.status_code < 500:
            _log_refusal(exc, response.status_code)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        reason = unavailable(exc)
        if reason is not None:
            return http_error(_state_unavailable(reason))
        log.exception("unhandled error", method=request.method, path=request.path)
        message = "internal error"
        if request.path.startswith("/webhooks/"):
            message += "; the event was not accepted"
        response = jsonify(_body(InternalServerError(message)))
        response.status_code = 500
        return response


def _log_refusal(exc: HTTPException, status: int) -> None:
    """An admin API request refused, with the reason the caller was given (like a refused
    webhook, app/web/webhooks.py): what a caller reports as "it says 400" is then in the log.
    The reason names fields and values of the request, never a token."""
    log.warning(
        "api request refused",
        method=request.method,
        path=request.path,
        status=status,
        reason=exc.description,
        fields=getattr(exc, "fields", None),
    )


def _state_unavailable(reason: str) -> ApiError:
    """The state Redis is down or refuses writes: a 503 that says so, so an operator looks at
    Redis rather than at a bug, and a client knows a retry may work. Webhooks never get here:
    they need only the broker (app/web/webhooks.py answers its outages itself)."""
    log.error(
        "state store unavailable",
        reason=reason,
        method=request.method,
        path=request.path,
        status=503,
    )
    return ApiError(
        503,
        f"the state store (Redis) {reason}; retry later",
        headers={"Retry-After": STATE_RETRY_AFTER_SECONDS},
    )
