"""`/api/v1/suppressions`: list, look up, add, remove, import and export the suppression list.

Thin views: each validates, calls app.operations / app.suppressions / app.importer (the code
the CLI runs too) and shapes the answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NoReturn

import marshmallow as ma
from flask import Response, current_app, jsonify, request, stream_with_context
from flask.views import MethodView

from app import importer, operations, suppressions
from app.addresses import InvalidAddressError, normalize
from app.store import Store
from app.taxonomy import CODES, FailureCode
from app.web import schemas
from app.web.api import Blueprint
from app.web.auth import ADMIN, READ
from app.web.bodies import spooled_body, whole_body
from app.web.errors import fail

bp = Blueprint(
    "suppressions",
    __name__,
    url_prefix="/api/v1",
    description="Which addresses must not be mailed, why and since when.",
)
MIMETYPES = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
}
EXPORT_MIMETYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
TEXT_BODY = {"schema": {"type": "string"}}
# Every address at its longest (320 characters), quoted, with its separator; and some slack.
MAX_CHECK_BYTES = suppressions.MAX_CHECK * 324 + 1024
CHECK_LIMIT = f"{suppressions.MAX_CHECK:,} addresses of at most 320 characters"


def store() -> Store:
    return current_app.extensions["store"]


def codes() -> Mapping[int, FailureCode]:
    """Seed-000 codes and the rules file's custom ones."""
    return {**CODES, **current_app.extensions["rules"].codes}


def address(raw: str) -> str:
    try:
        return normalize(raw)
    except InvalidAddressError as exc:
        fail(400, str(exc), {"email": [str(exc)]})


def filters(args: dict[str, Any]) -> suppressions.Filters:
    def ms(name: str) -> int | None:
        return int(args[name].timestamp() * 1000) if name in args else None

    domain = None
    if "domain" in args:
        try:
            domain = suppressions.domain_filter(args["domain"])
        except InvalidAddressError as exc:
            fail(400, str(exc), {"domain": [str(exc)]})
    return suppressions.Filters(
        code=args.get("code"),
        category=args.get("category"),
        source=args.get("source"),
        domain=domain,
        since_ms=ms("since"),
        until_ms=ms("until"),
        text=args.get("text"),
    )


@bp.route("/suppressions")
class SuppressionList(MethodView):
    @bp.auth(READ)
    @bp.arguments(schemas.ListArgs, location="query")
    @bp.response(200, schemas.PageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List suppressions, newest first, filtered; follow `next_cursor` until it is null."""
        try:
            page = suppressions.page(store(), filters(args), args["limit"], args.get("cursor"))
        except suppressions.CursorError as exc:
            fail(400, str(exc), {"cursor": [str(exc)]})
        return {"items": page.items, "next_cursor": page.next_cursor}

    @bp.auth(ADMIN)
    @bp.arguments(schemas.AddBody)
    @bp.response(201, schemas.SuppressionSchema)
    @bp.alt_response(409, response="CONFLICT")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Suppress an address by hand (source `manual`); the reason is required and audited."""
        email = address(body["email"])
        try:
            record = operations.suppress(
                store(), email, body["actor"], body["reason"], body["code"], codes()
            )
        except operations.OperationError as exc:
            fail(exc.status, exc.message)
        return suppressions.render(record)


def check_list() -> list[str]:
    """The addresses of a check request: a JSON `{"emails": [...]}` or text, one a line (blank
    lines skipped); 400, 413 or 415 naming what is wrong."""
    body = whole_body(MAX_CHECK_BYTES, CHECK_LIMIT)
    if request.mimetype == "text/plain":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            fail(400, f"the body is not UTF-8 text: {exc}")
        emails = [line.strip() for line in text.split("\n") if line.strip()]
    elif request.is_json:
        try:
            data = json.loads(body)
        except ValueError as exc:
            fail(400, f"the body is not JSON: {exc}")
        if not isinstance(data, dict):
            fail(400, 'the body must be a JSON object: {"emails": [...]}')
        if isinstance(data.get("emails"), list) and len(data["emails"]) > suppressions.MAX_CHECK:
            _too_many(len(data["emails"]))
        try:
            emails = schemas.CheckBody().load(data)["emails"]
        except ma.ValidationError as exc:
            fail(400, f"invalid {', '.join(sorted(exc.messages))}", exc.messages)
    else:
        fail(415, 'send application/json ({"emails": [...]}) or text/plain, one address a line')
    if len(emails) > suppressions.MAX_CHECK:
        _too_many(len(emails))
    return emails


def _too_many(count: int) -> NoReturn:
    fail(413, f"{count:,} addresses: check at most {suppressions.MAX_CHECK:,} per request")


@bp.route("/suppressions/check")
class SuppressionCheck(MethodView):
    @bp.auth(READ)
    @bp.doc(
        requestBody={
            "required": True,
            "description": f"At most {suppressions.MAX_CHECK:,} addresses: JSON "
            '`{"emails": [...]}`, or text/plain with one address a line.',
            "content": {
                "application/json": {"schema": schemas.CheckBody},
                "text/plain": TEXT_BODY,
            },
        }
    )
    @bp.response(200, schemas.CheckResultSchema)
    @bp.alt_response(400, response="BAD_REQUEST")
    @bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self) -> Response:
        """Which of these addresses may not be mailed: the suppressed ones (as given and
        normalized, with why and since when) and the ones that are not addresses. A POST that
        only reads (a list too long for a URL); the read scope is enough."""
        result = suppressions.check(store(), check_list())
        # Serialized here, not by the schema (which documents it): marshmallow took 0.13 s to
        # dump 10,000 suppressed entries, more than the Redis read of 10,000 (0.1 s).
        return jsonify(checked=result.checked, suppressed=result.suppressed, invalid=result.invalid)


def removal(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """A lift's arguments from the query and the body: each given once, `reason` required."""
    twice = sorted(set(query) & set(body))
    if twice:
        fail(
            400,
            f"{', '.join(twice)} given both in the query and in the body: give each once",
            {name: ["given both in the query and in the body"] for name in twice},
        )
    given = {"actor": "api", "force": False, **query, **body}
    if "reason" not in given:
        problem = "required, in the query (?reason=...) or in a JSON body"
        fail(400, f"invalid reason: {problem}", {"reason": [problem]})
    return given


@bp.route("/suppressions/<address:email>")
class Suppression(MethodView):
    @bp.auth(READ)
    @bp.response(200, schemas.SuppressionSchema)
    @bp.alt_response(400, response="BAD_REQUEST")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, email: str) -> dict[str, Any]:
        """One suppression with its evidence, or 404 when the address is not suppressed."""
        normalized = address(email)
        record = store().suppression(normalized)
        if record is None:
            fail(404, f"{normalized} is not suppressed")
        return suppressions.render(record)

    @bp.auth(ADMIN)
    @bp.arguments(schemas.RemoveArgs, location="query")
    @bp.arguments(schemas.RemoveBody, required=False)
    @bp.response(200, schemas.RemovedSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def delete(self, query: dict[str, Any], body: dict[str, Any], email: str) -> dict[str, Any]:
        """Lift a suppression (audited; the sync removes it at the sender); `force` lifts a
        spam complaint. `reason`, `actor` and `force` go in the query or in a JSON body."""
        lift = removal(query, body)
        normalized = address(email)
        try:
            done = operations.unsuppress(
                store(),
                normalized,
                lift["actor"],
                lift["reason"],
                lift["force"],
                current_app.extensions["rules"].policy,
            )
        except operations.OperationError as exc:
            fail(exc.status, exc.message)
        return {"email": done.email, "removed": True, "actor": done.actor, "reason": done.reason}


@bp.route("/suppressions/import")
class SuppressionImport(MethodView):
    @bp.auth(ADMIN)
    @bp.arguments(schemas.ImportArgs, location="query")
    @bp.doc(
        requestBody={
            "required": True,
            "description": "CSV with an `email` column (optional `code`, `reason`), or JSON "
            "Lines of objects with the same keys. Read as a stream.",
            "content": dict.fromkeys(("text/csv", "application/x-ndjson"), TEXT_BODY),
        }
    )
    @bp.response(200, schemas.ImportReportSchema)
    @bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, args: dict[str, Any]) -> importer.ImportReport:
        """Import a suppression list (source `import`); idempotent: addresses already
        suppressed are left as they are. Reports accepted and rejected rows by line number."""
        fmt = args.get("format") or MIMETYPES.get(request.mimetype)
        if fmt is None:
            fail(415, "send text/csv or application/x-ndjson, or name ?format=csv|jsonl")
        limit = current_app.extensions["bouncekeeper"].max_import_bytes
        with spooled_body(limit, "BOUNCEKEEPER_MAX_IMPORT_BYTES") as body:
            rows = importer.read(body, fmt)
            try:
                return importer.import_rows(store(), rows, args["actor"], args["reason"], codes())
            except importer.ImportFormatError as exc:
                fail(400, str(exc), {"email": [str(exc)]})


@bp.route("/suppressions/export")
class SuppressionExport(MethodView):
    @bp.auth(READ)
    @bp.arguments(schemas.ExportArgs, location="query")
    @bp.doc(
        responses={
            "200": {
                "description": "every matching suppression, newest first, streamed",
                "content": dict.fromkeys(EXPORT_MIMETYPES.values(), TEXT_BODY),
            }
        }
    )
    def get(self, args: dict[str, Any]) -> Response:
        """Export the (filtered) list as CSV or JSON Lines, streamed: any size, flat memory."""
        lines = suppressions.EXPORTERS[args["format"]](
            suppressions.matching(store(), filters(args))
        )
        return Response(
            stream_with_context(lines),
            mimetype=EXPORT_MIMETYPES[args["format"]],
            headers={
                "Content-Disposition": f'attachment; filename="suppressions.{args["format"]}"'
            },
        )
