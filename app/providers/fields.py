"""Marshmallow fields the provider schemas share: ESPs send the same kinds of sloppy values
(numbers for strings, "" for absent, epoch seconds or RFC 3339 for time), so every schema
treats them the same way."""

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
    """A moment as epoch milliseconds. ESPs send epoch numbers (as JSON numbers or digit
    strings, in `unit` "s" or "ms") or RFC 3339 text with any number of fraction digits
    (Postmark sends seven); text without a zone is refused rather than guessed."""

    default_error_messages = {  # noqa: RUF012 - marshmallow's own class attribute
        "invalid": "not a time: expected epoch {unit} or RFC 3339 with a zone",
        "range": "time out of range",
    }

    def __init__(self, unit: str = "s", **kwargs: Any):
        super().__init__(**kwargs)
        self.scale = {"s": 1000, "ms": 1}[unit]
        self.unit = {"s": "seconds", "ms": "milliseconds"}[unit]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        try:
            ms = self._to_ms(value)
        except (TypeError, ValueError, OverflowError):
            raise self.make_error("invalid", unit=self.unit) from None
        if not 0 <= ms <= MAX_MS:
            raise self.make_error("range")
        return ms

    def _to_ms(self, value: Any) -> int:
        if isinstance(value, bool):
            raise TypeError("a boolean is not a time")
        if isinstance(value, int | float):
            return round(value * self.scale)
        text = str(value).strip() if isinstance(value, str) else ""
        if text.replace(".", "", 1).isdigit():
            return round(float(text) * self.scale)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError("no time zone")
        return round(moment.astimezone(UTC).timestamp() * 1000)


def one_or_many(payload: Any) -> list[Any]:
    """The events of a body that is one event object or an array of them: ESPs that batch
    optionally (Brevo, Mailjet) send either, so the schema sees a list either way."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise RejectedError("body must be a JSON object or an array of objects")


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
