"""Keys and reads behind stats, the events API and the dashboard.

The event script (lua.APPLY_EVENTS) counts every applied, non-duplicate event on the UTC day it
occurred: `<prefix>:stats:<day>` is a hash (`total`, `code:<n>`, `category:<c>`,
`provider:<p>`, `action:<a>`, `kind:<event type>`; and `new:<source>`, the suppressions made
that day, counted by every script that makes one), `<prefix>:stats:<day>:domains` and
`<prefix>:stats:<day>:sender_side` are sorted sets of recipient domains (all events, and
sender-side rejections only). All three live as long as the domain counters (35 days) after
their first write. `<prefix>:events` is a stream of the last ~10,000 applied events.
These are reads only: nothing here writes, so they are safe to call from the web.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.policy import utc_day
from app.store.heartbeat import Heartbeat

if TYPE_CHECKING:
    from app.store import Store

EVENT_SCAN_BATCH = 1000


@dataclass(frozen=True, slots=True)
class DayCounts:
    """One day's counters: the stats hash split by dimension, and top recipient domains."""

    day: int
    total: int
    by_code: dict[str, int]
    by_category: dict[str, int]
    by_provider: dict[str, int]
    by_action: dict[str, int]
    top_domains: list[tuple[str, int]]
    by_kind: dict[str, int] = field(default_factory=dict)  # delivery, bounce, complaint, ...
    new_by_source: dict[str, int] = field(default_factory=dict)  # suppressions made that day


def stats_day_key(prefix: str, day: int) -> str:
    return f"{prefix}:stats:{day}"


def stats_domains_key(prefix: str, day: int) -> str:
    return f"{prefix}:stats:{day}:domains"


def stats_sender_side_key(prefix: str, day: int) -> str:
    return f"{prefix}:stats:{day}:sender_side"


def events_key(prefix: str) -> str:
    return f"{prefix}:events"


def sync_state_prefix(prefix: str) -> str:
    """The sync engine keeps each sink's state in the hash `<prefix>:sync:<sink>`."""
    return f"{prefix}:sync:"


def event_stat_keys(prefix: str, occurred_at_ms: int) -> list[str]:
    """KEYS 8-11 of the event script, in its order."""
    day = utc_day(occurred_at_ms)
    return [
        stats_day_key(prefix, day),
        stats_domains_key(prefix, day),
        stats_sender_side_key(prefix, day),
        events_key(prefix),
    ]


def _split(counts: dict[str, str], dimension: str) -> dict[str, int]:
    start = len(dimension) + 1
    return {k[start:]: int(v) for k, v in counts.items() if k.startswith(f"{dimension}:")}


def day_counts(store: Store, days: list[int], top: int) -> list[DayCounts]:
    """Each day's counters and its `top` recipient domains, in one round trip."""
    pipe = store.redis.pipeline(transaction=False)
    for day in days:
        pipe.hgetall(stats_day_key(store.prefix, day))
        pipe.zrevrange(stats_domains_key(store.prefix, day), 0, top - 1, withscores=True)
    replies = pipe.execute()
    result = []
    for day, counts, domains in zip(days, replies[::2], replies[1::2], strict=True):
        result.append(
            DayCounts(
                day=day,
                total=int(counts.get("total", 0)),
                by_code=_split(counts, "code"),
                by_category=_split(counts, "category"),
                by_provider=_split(counts, "provider"),
                by_action=_split(counts, "action"),
                top_domains=[(d, int(n)) for d, n in domains],
                by_kind=_split(counts, "kind"),
                new_by_source=_split(counts, "new"),
            )
        )
    return result


def _union(store: Store, keys: list[str], top: int) -> list[tuple[str, int]]:
    if not keys:
        return []
    merged = store.redis.zunion(keys, withscores=True)
    ranked = sorted(merged, key=lambda item: (-item[1], item[0]))
    return [(domain, int(n)) for domain, n in ranked[:top]]


def top_domains(store: Store, days: list[int], top: int) -> list[tuple[str, int]]:
    """Recipient domains with the most applied events over `days`."""
    return _union(store, [stats_domains_key(store.prefix, d) for d in days], top)


def top_sender_side(store: Store, days: list[int], top: int) -> list[tuple[str, int]]:
    """Recipient domains with the most sender-side rejections over `days`: where our
    reputation or content is being refused."""
    return _union(store, [stats_sender_side_key(store.prefix, d) for d in days], top)


def recent_events(store: Store, domain: str, limit: int) -> list[tuple[str, dict[str, str]]]:
    """The newest applied events for one recipient domain, newest first, from the capped
    stream (so only as far back as its last ~10,000 events)."""
    found: list[tuple[str, dict[str, str]]] = []
    upper = "+"
    while len(found) < limit:
        batch = store.redis.xrevrange(events_key(store.prefix), max=upper, count=EVENT_SCAN_BATCH)
        found += [entry for entry in batch if entry[1].get("domain") == domain]
        if len(batch) < EVENT_SCAN_BATCH:
            break
        upper = f"({batch[-1][0]}"
    return found[:limit]


# Results of the event script (app/store/lua.py) that set or end a contact's soft score.
SCORE_RESULTS = frozenset(
    {"counted", "reset", "suppressed", "escalated", "upgraded", "confirmed", "already_suppressed"}
)


def soft_scores(store: Store, scan: int) -> list[tuple[str, float]]:
    """Each contact's soft score as its newest event among the newest `scan` applied events
    that acted on its score left it, when that was a counted soft bounce (a later reset or
    suppression drops the contact; a sender-side rejection, say, changes nothing): the
    candidates for the near-threshold list, highest first. The score is as of that event; the
    window may have moved on since."""
    newest: dict[str, tuple[str, str]] = {}
    upper, left = "+", scan
    while left > 0:
        batch = store.redis.xrevrange(
            events_key(store.prefix), max=upper, count=min(EVENT_SCAN_BATCH, left)
        )
        for _, fields in batch:
            if fields.get("result") in SCORE_RESULTS:
                newest.setdefault(fields["email"], (fields["result"], fields.get("score", "")))
        left -= len(batch)
        if len(batch) < EVENT_SCAN_BATCH:
            break
        upper = f"({batch[-1][0]}"
    found = [(email, float(score)) for email, (result, score) in newest.items()
             if result == "counted" and score]  # fmt: skip
    return sorted(found, key=lambda item: -item[1])


@dataclass(frozen=True, slots=True)
class StateReading:
    """What `/metrics` reads from the state Redis at each scrape."""

    now_ms: int  # Redis's clock
    suppressed: int
    dead_letters: int
    heartbeat_age_s: float | None  # None: no heartbeat was ever recorded


def state_reading(store: Store) -> StateReading:
    """Sizes an operator alerts on, and the worker heartbeat's age, in one round trip."""
    pipe = store.redis.pipeline(transaction=False)
    pipe.time()
    pipe.zcard(store.suppression_index_key)
    pipe.llen(store.dead_letter_key)
    pipe.mget(store.heartbeat_key, store.heartbeat_server_key)
    (seconds, micros), suppressed, dead_letters, stamps = pipe.execute()
    now_ms = seconds * 1000 + micros // 1000
    heartbeat = Heartbeat.read(*stamps)
    return StateReading(
        now_ms, suppressed, dead_letters, heartbeat.age_s(now_ms) if heartbeat else None
    )
