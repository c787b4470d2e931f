"""Change-log entries as values, and coalescing a batch of them per address.

Pure: no Redis, no HTTP. The sync reads entries from the change log, coalesces them and hands
the result to a sink; what reaches the sink is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ADD, REMOVE = "add", "remove"


@dataclass(frozen=True, slots=True)
class Change:
    """One address's new state: suppressed (`add`) or no longer (`remove`)."""

    id: str
    op: str
    email: str
    code: int | None
    category: str
    source: str
    at_ms: int

    @classmethod
    def from_entry(cls, entry_id: str, fields: Mapping[str, str]) -> Change:
        code = fields.get("code", "")
        return cls(
            id=entry_id,
            op=fields["op"],
            email=fields["email"],
            code=int(code) if code.isdigit() else None,
            category=fields.get("category", ""),
            source=fields.get("source", ""),
            at_ms=int(fields.get("at") or 0),
        )

    def to_dict(self) -> dict[str, object]:
        """The entry as sinks send it: `{email, code, category, source, at}` (`at` in ms)."""
        return {
            "email": self.email,
            "code": self.code,
            "category": self.category,
            "source": self.source,
            "at": self.at_ms,
        }


@dataclass(frozen=True, slots=True)
class Batch:
    """What one push must do: each address at most once, in `add` or in `remove`."""

    add: list[Change]
    remove: list[Change]

    def __len__(self) -> int:
        return len(self.add) + len(self.remove)


def coalesce(changes: Iterable[Change]) -> Batch:
    """Keep each address's last change: a sink only needs the state an address ended in,
    and sending an add and a remove for one address in one request leaves their order to the
    receiver. Addresses keep the order of their last change."""
    last: dict[str, Change] = {}
    for change in changes:
        last.pop(change.email, None)
        last[change.email] = change
    kept = list(last.values())
    return Batch(
        add=[c for c in kept if c.op == ADD],
        remove=[c for c in kept if c.op == REMOVE],
    )
