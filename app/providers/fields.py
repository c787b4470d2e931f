"""marshmallow fields and a base schema that every provider's payload schema shares.

ESPs document types loosely (a code "String" arrives as a number, "" means absent), so these
read what the ESP sends and still refuse, as a 400, what cannot be right.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from app.addresses import InvalidAddressError, normalize
from app.providers.base import RejectedError

MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


class Text(fields.String):
    """A string the ESP documents as String but may send as a number (e.g. `bounce_code: 554`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Whole(fields.Integer):
    """An integer field that refuses JSON's huge floats (`1e400`) with a 400, not a crash."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=False, **kwargs)

    def _validated(self, value: Any) -> Any:
        try:
            return super()._validated(value)
        except OverflowError as exc:
            raise self.make_error("invalid") from exc


class Email(fields.String):
    """An address, returned normalized so one contact has one key."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalize(text)
        except InvalidAddressError as exc:
            raise ValidationError(str(exc)) from exc


class Instant(fields.Field):
    """A point in time as epoch milliseconds: ESPs send RFC 3339 text (a naive one is UTC),
    epoch seconds or epoch milliseconds, so each is read and all become one unit."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError("not a time: expected RFC 3339 text or an epoch number")
        ms = epoch_ms(value)
        if ms is None or not 0 <= ms <= MAX_MS:
            raise ValidationError(f"not a time: {value!r}")
        return ms


def epoch_ms(value: int | float | str) -> int | None:
    """Milliseconds since the epoch, or None. A number below 10^11 is taken as seconds: in
    milliseconds it would be a date in 1973, which no ESP sends."""
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            # 20 digits is past any time in range; int() of thousands of digits raises.
            return epoch_ms(int(text)) if len(text) < 20 else None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return int(moment.timestamp() * 1000)
        except (ValueError, OverflowError):
            return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value * 1000) if abs(value) < 100_000_000_000 else int(value)


class Tolerant(Schema):
    """Unknown fields are dropped, and a field sent as "" or null counts as absent: an ESP has
    no SMTP reply code for a connection timeout and says so either way."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_empty(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None and v != ""}
        return data


def one_or_many(payload: Any) -> list[Any]:
    """The events of a body that is one event object or an array of them: ESPs that batch
    optionally (Brevo, Mailjet) send either, so the schema sees a list either way."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise RejectedError("body must be a JSON object or an array of objects")
