"""Marshmallow schemas of the admin API: what it accepts (validated, 400 with the fields) and
what it answers (documented in the OpenAPI spec). An unknown key in a request body is a 400
naming it, as an unknown query parameter is: a misspelt optional field must not be dropped
silently (a `forse: true` would lift nothing, with a 409 that hides why)."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from marshmallow import validate

from app.importer import FORMATS
from app.suppressions import CATEGORIES, MAX_CHECK, SOURCES

TIME = {"format": "date-time"}


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("must not be blank")


class Body(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# -- requests -------------------------------------------------------------------------------
class FilterArgs(ma.Schema):
    code = ma.fields.Integer(metadata={"description": "failure code (seed 000 or custom)"})
    category = ma.fields.String(
        validate=validate.OneOf(CATEGORIES),
        metadata={"description": "a failure code's category, or `complaint`"},
    )
    source = ma.fields.String(validate=validate.OneOf(SOURCES))
    domain = ma.fields.String(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "recipient domain, exact (IDNA, lower case)"},
    )
    since = ma.fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "suppressed at or after (UTC if naive)"}
    )
    until = ma.fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "suppressed at or before (UTC if naive)"}
    )
    text = ma.fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "case-insensitive substring of address, diagnostic, matched_by"},
    )


class ListArgs(FilterArgs):
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = ma.fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "`next_cursor` of the previous page"},
    )


class ExportArgs(FilterArgs):
    format = ma.fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


class AddBody(Body):
    email = ma.fields.String(
        required=True, validate=validate.Length(min=1, max=320), metadata={"format": "email"}
    )
    reason = ma.fields.String(required=True, validate=[validate.Length(max=1000), _not_blank])
    code = ma.fields.Integer(allow_none=True, load_default=None)
    actor = ma.fields.String(load_default="api", validate=validate.Length(max=200))


class RemoveArgs(ma.Schema):
    """A lift's arguments, in the query or in a JSON body (RFC 9110 gives a DELETE body no
    meaning, and some clients and proxies drop it); `reason` is required in one of them."""

    reason = ma.fields.String(
        validate=[validate.Length(max=1000), _not_blank],
        metadata={"description": "required, here or in the body; audited"},
    )
    actor = ma.fields.String(
        validate=validate.Length(max=200), metadata={"description": "audited; default `api`"}
    )
    force = ma.fields.Boolean(
        metadata={"description": "needed to lift a spam complaint; default false"}
    )


class RemoveBody(Body, RemoveArgs):
    pass


class CheckBody(Body):
    """The JSON form of the bulk check."""

    emails = ma.fields.List(
        ma.fields.String(),
        required=True,
        # no maxItems: more is 413, which says what the limit is, not a 400 about the schema
        metadata={"description": f"at most {MAX_CHECK:,} addresses (413 beyond)"},
    )


class ImportArgs(ma.Schema):
    format = ma.fields.String(
        validate=validate.OneOf(FORMATS),
        metadata={"description": "default: from Content-Type (text/csv or application/x-ndjson)"},
    )
    actor = ma.fields.String(load_default="api", validate=validate.Length(max=200))
    reason = ma.fields.String(
        load_default="bulk import",
        validate=[validate.Length(max=1000), _not_blank],
        metadata={"description": "audited; the evidence of rows without their own reason"},
    )


# -- responses ------------------------------------------------------------------------------
class EvidenceSchema(ma.Schema):
    occurred_at = ma.fields.String(allow_none=True, metadata=TIME)
    diagnostic = ma.fields.String()
    matched_by = ma.fields.String()
    grade = ma.fields.String(
        metadata={
            "description": "strength of the evidence: text (the diagnostic states the cause), "
            "status (an exact status row or the ESP's specific label), class (only a reply "
            "code, status class or hard/soft flag); empty for complaints and operators' entries"
        }
    )
    provider = ma.fields.String()
    message_id = ma.fields.String()
    event_id = ma.fields.String()


class SuppressionSchema(ma.Schema):
    email = ma.fields.String(required=True)
    code = ma.fields.Integer(allow_none=True)
    category = ma.fields.String(allow_none=True)
    meaning = ma.fields.String(allow_none=True)
    source = ma.fields.String(required=True, validate=validate.OneOf(SOURCES))
    created_at = ma.fields.String(allow_none=True, metadata=TIME)
    updated_at = ma.fields.String(allow_none=True, metadata=TIME)
    last_seen_at = ma.fields.String(allow_none=True, metadata=TIME)
    hits = ma.fields.Integer()
    esp_lists = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "the ESP suppression lists (`provider:stream`) that alone hold this "
            "suppression: an ESP reactivation there lifts it; empty when bouncekeeper's own "
            "evidence or an operator holds it"
        },
    )
    evidence = ma.fields.Nested(EvidenceSchema)


class PageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuppressionSchema), required=True)
    next_cursor = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "null: the list ends here; a page may be short before it"},
    )


class RemovedSchema(ma.Schema):
    email = ma.fields.String(required=True)
    removed = ma.fields.Boolean(required=True)
    actor = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)


class RowErrorSchema(ma.Schema):
    line = ma.fields.Integer(required=True)
    error = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)


class ImportReportSchema(ma.Schema):
    rows = ma.fields.Integer(required=True)
    accepted = ma.fields.Integer(required=True, metadata={"description": "newly suppressed"})
    already_suppressed = ma.fields.Integer(required=True)
    rejected = ma.fields.Integer(required=True)
    errors = ma.fields.List(
        ma.fields.Nested(RowErrorSchema),
        required=True,
        metadata={"description": "the first 100 rejected lines"},
    )
    errors_truncated = ma.fields.Boolean(required=True)


class HistorySchema(ma.Schema):
    at = ma.fields.String(allow_none=True, metadata=TIME)
    code = ma.fields.Integer(allow_none=True)
    action = ma.fields.String()
    provider = ma.fields.String()
    message_id = ma.fields.String()
    diagnostic = ma.fields.String()


class CountedDaySchema(ma.Schema):
    day = ma.fields.String(metadata={"format": "date"})
    weight = ma.fields.Float()


class ContactSchema(ma.Schema):
    email = ma.fields.String(required=True)
    suppressed = ma.fields.Boolean(required=True)
    score = ma.fields.Float(required=True)
    threshold = ma.fields.Float(required=True)
    window_days = ma.fields.Integer(required=True)
    counted = ma.fields.List(ma.fields.Nested(CountedDaySchema), required=True)
    reset_at = ma.fields.String(allow_none=True, metadata=TIME)
    events = ma.fields.Integer(required=True)
    last = ma.fields.Nested(HistorySchema, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(HistorySchema), required=True)


class AlertSchema(ma.Schema):
    id = ma.fields.String(required=True)
    domain = ma.fields.String(required=True)
    hour = ma.fields.String(allow_none=True, metadata=TIME)
    sender_side = ma.fields.Integer()
    total = ma.fields.Integer()
    code = ma.fields.Integer(allow_none=True)
    raised_at = ma.fields.String(allow_none=True, metadata=TIME)


class AlertsSchema(ma.Schema):
    alerts = ma.fields.List(ma.fields.Nested(AlertSchema), required=True)


class CheckedSchema(ma.Schema):
    email = ma.fields.String(required=True, metadata={"description": "as given"})
    normalized = ma.fields.String(required=True, metadata={"description": "as stored"})
    code = ma.fields.Integer(allow_none=True)
    category = ma.fields.String(allow_none=True)
    source = ma.fields.String(required=True, validate=validate.OneOf(SOURCES))
    since = ma.fields.String(allow_none=True, metadata=TIME)


class InvalidAddressSchema(ma.Schema):
    email = ma.fields.String(required=True, metadata={"description": "as given"})
    error = ma.fields.String(required=True)


class CheckResultSchema(ma.Schema):
    checked = ma.fields.Integer(required=True, metadata={"description": "addresses given"})
    suppressed = ma.fields.List(
        ma.fields.Nested(CheckedSchema),
        required=True,
        metadata={"description": "the given addresses that must not be mailed, in given order"},
    )
    invalid = ma.fields.List(
        ma.fields.Nested(InvalidAddressSchema),
        required=True,
        metadata={"description": "the given strings that are not email addresses, and why"},
    )
