"""A pure-Python reference of what app.store's scripts do, for property tests and replays.

It is deliberately the plain, obvious version: dictionaries and loops, no Redis. The property
tests hold the Lua scripts to it; `bouncekeeper policy check` replays histories through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.policy import SoftScore
from app.store import Application, Limits


@dataclass
class ReferenceContact:
    score: SoftScore = field(default_factory=SoftScore)
    events: int = 0
    lifted_at_ms: int = 0
    seen: set[str] = field(default_factory=set)


@dataclass
class ReferenceStore:
    contacts: dict[str, ReferenceContact] = field(default_factory=dict)
    suppressions: dict[str, str] = field(default_factory=dict)  # email -> source
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (op, email, source)

    def apply(self, item: Application, limits: Limits) -> tuple[str, float | None]:
        """(result, score) exactly as the apply-event script answers."""
        contact = self.contacts.setdefault(item.email, ReferenceContact())
        if item.event_id in contact.seen:
            return "duplicate", None
        contact.seen.add(item.event_id)
        contact.events += 1
        existing = self.suppressions.get(item.email)
        if item.action == "suppress":
            if item.occurred_at_ms <= contact.lifted_at_ms:
                return "before_lift", None
            if existing is None:
                return self._suppress(item.email, item.source, "suppressed"), None
            if item.source == "complaint" and existing != "complaint":
                return self._suppress(item.email, item.source, "upgraded"), None
            return "already_suppressed", None
        if item.action == "reset":
            contact.score.reset(item.occurred_at_ms)
            return "reset", None
        if item.action != "soft":
            return "recorded", None
        result, score = contact.score.add(item.occurred_at_ms, item.weight, limits.window_days)
        if result != "counted":
            return result, None
        if score < limits.threshold:
            return "counted", score
        if existing is not None:
            return "already_suppressed", score
        return self._suppress(item.email, "escalated", "escalated"), score

    def _suppress(self, email: str, source: str, result: str) -> str:
        self.suppressions[email] = source
        self.changes.append(("add", email, source))
        return result

    def unsuppress(self, email: str, now_ms: int, force: bool) -> str:
        source = self.suppressions.get(email)
        if source is None:
            return "not_suppressed"
        if source == "complaint" and not force:
            return "complaint"
        del self.suppressions[email]
        self.changes.append(("remove", email, source))
        if email in self.contacts:
            contact = self.contacts[email]
            contact.score.days.clear()
            contact.score.reset_at_ms = max(contact.score.reset_at_ms, now_ms)
            contact.lifted_at_ms = now_ms
        return "removed"
