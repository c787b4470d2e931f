"""KumoMTA's log hooks: its JSON log records, one per request (`log_hooks:new_json`) or a JSON
array of them (a hook with `batch_size` above 1 posting `msg:get_meta 'log_record'` items).

A record's `type` says what happened: `Bounce` (a permanent failure, the end of delivery),
`TransientFailure` (a deferral KumoMTA will retry), `Expiration` (retries ran out), `OOB` (an
out-of-band DSN KumoMTA parsed), `Delivery`, `Feedback` (an ARF report KumoMTA received, parsed
into `feedback_report`) and `AdminBounce` (an operator failed the message: recorded, never
counted). `response` holds the reply (`code`, `enhanced_code` as class/subject/detail,
`content`) and `bounce_classification` KumoMTA's own class. The other types (`Reception`,
`Rejection`, `Delayed`, rebinds, transfers) say nothing about a recipient's mailbox and are
dropped rather than refused, as are types KumoMTA may add: one of them must not make KumoMTA
fail a whole batch.

`recipient` is the envelope recipient, an array for a multi-recipient record (KumoMTA
2025.12.02 on): one event per recipient. A Feedback record's envelope recipient is the
feedback-loop mailbox, not the complaining address: that is taken from KumoMTA's own trace
header decoded from the returned message (`supplemental_trace.recipient`), else from the
report's `Original-Rcpt-To`; a report naming neither (Microsoft and Yahoo redact it) is dropped
and logged.

KumoMTA signs nothing; the hook's Lua sends the shared secret with `request:bearer_auth` or
`request:basic_auth` (docs/OPERATIONS.md has the policy snippet).
"""

from __future__ import annotations

from typing import Any

import structlog
from marshmallow import ValidationError, fields, validates_schema

from app.addresses import InvalidAddressError, normalize
from app.config import Settings
from app.events import BounceEvent, EventType, dated
from app.providers import shared_secret
from app.providers.base import (
    Accepted,
    RejectedError,
    Reply,
    Verified,
    WebhookRequest,
    check_schema,
    json_body,
    off_unless,
    require_json,
)
from app.providers.fields import Instant, Text, Tolerant, Whole, one_or_many

NAME = "kumomta"
log = structlog.get_logger("bouncekeeper.providers.kumomta")

TYPES = {
    "Bounce": EventType.BOUNCE,
    "TransientFailure": EventType.BOUNCE,  # a deferral: a soft bounce KumoMTA keeps retrying
    "Expiration": EventType.BOUNCE,
    "OOB": EventType.BOUNCE,
    "Delivery": EventType.DELIVERY,
    "Feedback": EventType.COMPLAINT,
    "AdminBounce": EventType.OTHER,
}
# RFC 5965 feedback types that are complaints; `not-spam` (and anything else) is recorded only.
COMPLAINT_FEEDBACK = frozenset({"abuse", "fraud", "virus", "other"})


class EnhancedSchema(Tolerant):
    class_ = Whole(data_key="class", attribute="class", required=True)
    subject = Whole(required=True)
    detail = Whole(required=True)


class ResponseSchema(Tolerant):
    code = Whole()
    enhanced_code = fields.Nested(EnhancedSchema)
    content = Text()


class ReportingMtaSchema(Tolerant):
    name = Text()


class FeedbackSchema(Tolerant):
    feedback_type = Text()
    user_agent = Text()
    arrival_date = Instant()
    original_rcpto_to = fields.List(Text())  # sic: KumoMTA's field name
    supplemental_trace = fields.Dict()
    reporting_mta = fields.Nested(ReportingMtaSchema)


class RecordSchema(Tolerant):
    type = Text(required=True)
    id = Text()
    recipient = fields.Raw()  # a string, or an array of them; checked in `_recipients`
    timestamp = Instant()
    event_time = Instant()
    num_attempts = Whole()
    response = fields.Nested(ResponseSchema)
    bounce_classification = Text()
    feedback_report = fields.Nested(FeedbackSchema)

    @validates_schema
    def has_a_recipient(self, data: dict[str, Any], **_: Any) -> None:
        """Every record but a feedback report (whose address is in the report) names one."""
        kind = data.get("type")
        if kind in TYPES and kind != "Feedback" and "recipient" not in data:
            raise ValidationError("a record needs a recipient", "recipient")


def disabled_reason(settings: Settings) -> str | None:
    return off_unless(NAME, settings, "kumomta_secret")


def verify(request: WebhookRequest, settings: Settings) -> Verified:
    return shared_secret.verify(request, settings.kumomta_secret)


def load(request: WebhookRequest, settings: Settings) -> Accepted | Reply:
    """The records that concern a recipient, each expanded to one item per address; a body
    with none is answered 200 and not queued."""
    require_json(request)
    items = one_or_many(json_body(request.body, expect=object))
    records = check_schema(RecordSchema(many=True), items, NAME)
    found: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if record["type"] not in TYPES:
            continue
        addresses = _recipients(record, index)
        if not addresses:
            log.warning("kumomta Feedback record dropped: the report names no recipient "
                        "(redacted by the reporter?)", record_id=record.get("id"))  # fmt: skip
        rest = {key: value for key, value in record.items() if key != "recipient"}
        found += [{**rest, "rcpt": address} for address in addresses]
    if not found:
        return Reply(200, {"accepted": 0})
    return Accepted({"records": found}, len(found))


def _recipients(record: dict[str, Any], index: int) -> list[str]:
    """The addresses the record is about, normalized: a bad envelope recipient is a 400 naming
    its place; a feedback report's unusable one (redacted) leaves the record with none."""
    if record["type"] == "Feedback":
        report = record.get("feedback_report") or {}
        traced = (report.get("supplemental_trace") or {}).get("recipient")
        named = [traced] if isinstance(traced, str) and traced else []
        named += [r.strip().strip("<>") for r in report.get("original_rcpto_to", [])]
        for text in named:  # a redacted one ("<Undisclosed Recipients>") is no address
            try:
                return [normalize(text)]
            except InvalidAddressError:
                continue
        return []
    raw = record["recipient"]
    listed = raw if isinstance(raw, list) else [raw]
    if not listed or not all(isinstance(item, str) for item in listed):
        raise RejectedError(
            f"invalid {NAME} payload: [{index}].recipient",
            {f"[{index}].recipient": ["must be an address or an array of addresses"]},
        )
    return [_address(item, f"[{index}].recipient") for item in listed]


def _address(text: str, path: str) -> str:
    try:
        return normalize(text)
    except InvalidAddressError as exc:
        raise RejectedError(f"invalid {NAME} payload: {path}", {path: [str(exc)]}) from None


def parse(payload: dict[str, Any], received_at_ms: int) -> list[BounceEvent]:
    """One event per record and recipient; `bounce_classification` is KumoMTA's label."""
    return [_event(record, received_at_ms) for record in payload["records"]]


def _enhanced(response: dict[str, Any]) -> str:
    code = response.get("enhanced_code")
    return f"{code['class']}.{code['subject']}.{code['detail']}" if code else ""


def _event(record: dict[str, Any], received_at_ms: int) -> BounceEvent:
    kind = record["type"]
    event_type = TYPES[kind]
    response = record.get("response") or {}
    label = record.get("bounce_classification", "")
    label = "" if label == "Uncategorized" else label
    report = record.get("feedback_report") or {}
    when = record.get("event_time", record.get("timestamp"))
    diagnostic = response.get("content", "")
    if kind == "Feedback":
        feedback = report.get("feedback_type", "abuse").lower()
        event_type = EventType.COMPLAINT if feedback in COMPLAINT_FEEDBACK else EventType.OTHER
        label = feedback
        agent = report.get("user_agent", "")
        diagnostic = f"feedback report ({feedback}) by {agent or 'an unnamed reporter'}"
        when = report.get("arrival_date", when)
    identity = ":".join(
        (record.get("id", ""), kind, str(record.get("num_attempts", "")), str(when or ""))
    )
    return BounceEvent(
        provider=NAME,
        event_type=event_type,
        recipient=record["rcpt"],
        **dated(when, received_at_ms),
        smtp_code=str(response["code"]) if "code" in response else "",
        enhanced_code=_enhanced(response),
        diagnostic=diagnostic,
        provider_reason=label,
        bounce_type="temporary" if kind == "TransientFailure" else "",
        message_id=record.get("id", ""),
        provider_event_id=f"{identity}:{record['rcpt']}" if record.get("id") else "",
    )
