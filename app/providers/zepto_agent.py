"""ZeptoMail's Mail Agent webhook shape, rewritten into the seed-004 shape for one parser.

`event_name: ["hardbounce"]` with `event_message[]`, each holding `email_info` (the message:
`to`/`cc`/`bcc`, `email_reference`, `processed_time`) and `event_data[].details[]` (one per
bounced recipient: `bounced_recipient`, `reason`, `diagnostic_message`, `time`). Opens and
clicks (`email_open`, `email_link_click`) name no recipient in their details; they count for
the message's recipient when it had exactly one, since an open from one of several mailboxes
proves none of them in particular.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from app.providers.fields import Email, Instant, Text, Tolerant


class _Address(Tolerant):
    address = Email(required=True)


class _Recipient(Tolerant):
    email_address = fields.Nested(_Address, required=True)


class _EmailInfo(Tolerant):
    to = fields.List(fields.Nested(_Recipient))
    cc = fields.List(fields.Nested(_Recipient))
    bcc = fields.List(fields.Nested(_Recipient))
    subject = Text()
    email_reference = Text()
    client_reference = Text()
    processed_time = Instant()


class _Detail(Tolerant):
    bounced_recipient = Email()
    reason = Text()
    diagnostic_message = Text()
    time = Instant()


class _EventData(Tolerant):
    object = Text()
    details = fields.List(fields.Nested(_Detail))


class _Message(Tolerant):
    email_info = fields.Nested(_EmailInfo)
    event_data = fields.List(fields.Nested(_EventData))
    request_id = Text()


class AgentSchema(Tolerant):
    event_name = fields.List(Text(), required=True, validate=validate.Length(min=1))
    event_message = fields.List(
        fields.Nested(_Message), required=True, validate=validate.Length(min=1)
    )
    webhook_request_id = Text()

    @pre_load
    def as_lists(self, data: Any, **_: Any) -> Any:
        """A single event is sometimes sent unwrapped: treat `x` as `[x]`."""
        if isinstance(data, dict):
            for key in ("event_name", "event_message"):
                if isinstance(data.get(key), str | dict):
                    data = {**data, key: [data[key]]}
        return data

    @validates_schema
    def one_event_type(self, data: dict[str, Any], **_: Any) -> None:
        if len({name.strip().lower() for name in data.get("event_name", [])}) > 1:
            raise ValidationError("one event type per request", "event_name")


def schema() -> AgentSchema:
    """The Mail Agent shape; `to_bounce_shape` turns its output into the seed-004 one."""
    return AgentSchema()


def to_bounce_shape(validated: dict[str, Any]) -> dict[str, Any]:
    """`{"action": <event name>, "data": [seed-004 items]}`, one item per recipient event."""
    name = validated["event_name"][0]
    bounce = "bounce" in name.lower()
    items = [
        item
        for message in validated["event_message"]
        for item in _items(message, name if bounce else "")
    ]
    return {"action": name, "data": items}


def _items(message: dict[str, Any], bounce_type: str) -> list[dict[str, Any]]:
    info = message.get("email_info", {})
    details = [d for data in message.get("event_data", []) for d in data.get("details", [])]
    sole = _sole_recipient(info)
    common = {
        "message_id": info.get("email_reference") or message.get("request_id"),
        "subject": info.get("subject"),
        "bounce_type": bounce_type,
    }
    items = []
    for detail in details or [{}]:
        recipient = detail.get("bounced_recipient") or sole
        if recipient is None:
            continue
        item = {
            **common,
            "contact_email": recipient,
            "bounce_reason": detail.get("reason"),
            "diagnostic_message": detail.get("diagnostic_message"),
            "action_time": detail.get("time", info.get("processed_time")),
        }
        items.append({k: v for k, v in item.items() if v not in (None, "")})
    return items


def _sole_recipient(info: dict[str, Any]) -> str | None:
    addresses = {
        entry["email_address"]["address"]
        for key in ("to", "cc", "bcc")
        for entry in info.get(key, [])
    }
    return addresses.pop() if len(addresses) == 1 else None
