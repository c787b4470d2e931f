"""BounceEvent: the one provider-neutral shape every webhook is turned into.

Providers differ in almost everything; after parsing, nothing downstream knows which ESP an
event came from except through `provider` and `provider_reason`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    DELIVERY = "delivery"
    ENGAGEMENT = "engagement"  # an open or a click: proof the mailbox is alive
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

    @property
    def event_id(self) -> str:
        """Provider-neutral identity used for dedup: the ESP's id when it gives one, else a hash
        of what makes two deliveries of a webhook the same event."""
        if self.provider_event_id:
            return f"{self.provider}:{self.provider_event_id}"
        parts = (
            self.recipient,
            self.message_id,
            str(self.event_type),
            str(self.occurred_at_ms),
            self.smtp_code,
            self.enhanced_code,
        )
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return f"{self.provider}:h:{digest}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BounceEvent:
        return cls(**{**data, "event_type": EventType(data["event_type"])})
