"""BounceEvent: the one provider-neutral shape every webhook is turned into.

Providers differ in almost everything; after parsing, nothing downstream knows which ESP an
event came from except through `provider` and `provider_reason`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

# Times an ESP reports are believed only within bounds (docs/OPERATIONS.md, "Event times").
# Ahead of the arrival by more than the allowed skew (BOUNCEKEEPER_EVENT_MAX_AHEAD_SECONDS) is
# a wrong clock or a forged date: believed, one such date would anchor the contact's soft-score
# window in the future and make every real bounce after it stale. Before 2000 is an unset clock
# (epoch 0) or a garbled number. Past dates after the floor are kept: they are late retries and
# redeliveries, and a soft bounce keeps the day it happened on, where it cannot count twice (a
# day holds its heaviest bounce, not a sum) and from where it leaves the window in time.
EARLIEST_MS = 946_684_800_000  # 2000-01-01T00:00:00Z


class TimeNote(StrEnum):
    """Why an event's `occurred_at_ms` is not simply the time its ESP reported."""

    REPORTED = ""  # the ESP's own time, within bounds
    MISSING = "missing"  # the ESP sent none: dated by its arrival
    AHEAD = "ahead"  # the ESP's time was too far ahead of the arrival: dated by the arrival
    BEFORE_2000 = "before_2000"  # the ESP's time was before EARLIEST_MS: dated by the arrival


class EventType(StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    DELIVERY = "delivery"
    ENGAGEMENT = "engagement"  # an open or a click: proof the mailbox is alive
    # The ESP put the address on its own suppression list for a reason that is neither a
    # bounce nor a complaint (an operator there, an unsubscribe), or took it off again.
    SUPPRESSION = "suppression"
    REACTIVATION = "reactivation"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class BounceEvent:
    provider: str
    event_type: EventType
    recipient: str  # normalized, see app.addresses
    occurred_at_ms: int
    smtp_code: str = ""
    enhanced_code: str = ""
    diagnostic: str = ""
    provider_reason: str = ""
    bounce_type: str = ""  # the ESP's own hard/soft label, as evidence only
    message_id: str = ""
    provider_event_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    time_note: TimeNote = TimeNote.REPORTED
    reported_at_ms: int | None = None  # the ESP's time when it was replaced by the arrival
    # The ESP suppression list (`provider:stream`) whose change this event reports, e.g. a
    # Postmark SubscriptionChange: the ESP decided, so bouncekeeper follows instead of judging
    # evidence, and an ESP reactivation may lift only what such an event suppressed.
    esp_list: str = ""

    @property
    def event_id(self) -> str:
        """Provider-neutral identity used for dedup: the ESP's id when it gives one, else a hash
        of what makes two deliveries of a webhook the same event. Only what the ESP sent goes
        into the hash: an arrival time would differ at each retry of the same event, which
        would then count again."""
        if self.provider_event_id:
            return f"{self.provider}:{self.provider_event_id}"
        parts = (
            self.recipient,
            self.message_id,
            str(self.event_type),
            self._reported_time(),
            self.smtp_code,
            self.enhanced_code,
        )
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return f"{self.provider}:h:{digest}"

    def _reported_time(self) -> str:
        if self.time_note is TimeNote.MISSING:
            return ""
        if self.reported_at_ms is not None:
            return str(self.reported_at_ms)
        return str(self.occurred_at_ms)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BounceEvent:
        note = TimeNote(data.get("time_note", ""))
        return cls(**{**data, "event_type": EventType(data["event_type"]), "time_note": note})


def dated(reported_ms: int | None, received_at_ms: int) -> dict[str, Any]:
    """`occurred_at_ms` and `time_note` for an event whose ESP reported `reported_ms` (None:
    no time), as a provider's parser passes them to BounceEvent."""
    if reported_ms is None:
        return {"occurred_at_ms": received_at_ms, "time_note": TimeNote.MISSING}
    return {"occurred_at_ms": int(reported_ms)}


def bounded(event: BounceEvent, received_at_ms: int, max_ahead_ms: int) -> BounceEvent:
    """The event dated by its arrival if its reported time is out of bounds (see EARLIEST_MS),
    with the reported time and why kept on it; otherwise the event itself."""
    at = event.occurred_at_ms
    if at > received_at_ms + max_ahead_ms:
        note = TimeNote.AHEAD
    elif at < EARLIEST_MS:
        note = TimeNote.BEFORE_2000
    else:
        return event
    return replace(event, occurred_at_ms=received_at_ms, time_note=note, reported_at_ms=at)
