"""Keys and reads behind stats, the events API and the dashboard.

The event script (lua.APPLY_EVENTS) counts every applied, non-duplicate event on the UTC day it
occurred: `<prefix>:stats:<day>` is a hash (`total`, `code:<n>`, `category:<c>`,
`provider:<p>`, `action:<a>`, `kind:<event type>`; and `new:<source>`, the suppressions made
that day, counted by every script that makes one), `<prefix>:stats:<day>:domains` and
`<prefix>:stats:<day>:sender_side` are sorted sets of recipient domains (all events, and
sender-side rejections only). All three live as long as the domain counters (35 days) after
their first write. `<prefix>:events` is a stream of the last ~10,000 applied events.
With shards (app/store/shards.py) each shard has its own of each, under its key base
(`<prefix>:{s<k>}`; just `<prefix>` with one shard), and the reads here merge them.
These are reads only: nothing here writes, so they are safe to call from the web.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.policy import utc_day
from app.store.heartbeat import Heartbeat
from app.store.order import stream_order

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


def _bases(store: Store) -> list[str]:
    return [store.layout.base(shard) for shard in range(store.shards)]


def _summed(hashes: list[dict[str, str]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in hashes:
        for k, v in counts.items():
            total[k] = total.get(k, 0) + int(v)
    return total


def _ranked(
    pairs: list[tuple[str, float]], top: int, ties_descending: bool = False
) -> list[tuple[str, int]]:
    """Members by summed score, highest first; ties by member ascending, or descending as
    ZREVRANGE orders them."""
    merged: dict[str, float] = {}
    for member, n in pairs:
        merged[member] = merged.get(member, 0) + n
    if ties_descending:
        ranked = sorted(merged.items(), key=lambda item: (item[1], item[0]), reverse=True)
    else:
        ranked = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    return [(member, int(n)) for member, n in ranked[:top]]


def day_counts(store: Store, days: list[int], top: int) -> list[DayCounts]:
    """Each day's counters and its `top` recipient domains, in one round trip (each shard's
    summed: a shard's top domains may miss a domain that is top only over all shards, so with
    shards each shard's whole day set is read)."""
    bases = _bases(store)
    sharded = len(bases) > 1
    pipe = store.redis.pipeline(transaction=False)
    for day in days:
        for base in bases:
            pipe.hgetall(stats_day_key(base, day))
            last = -1 if sharded else top - 1
            pipe.zrevrange(stats_domains_key(base, day), 0, last, withscores=True)
    flat = pipe.execute()
    replies = []
    step = 2 * len(bases)
    for at in range(0, len(flat), step):
        group = flat[at : at + step]
        replies.append(_summed(group[::2]))
        if sharded:
            pairs = [pair for ranked in group[1::2] for pair in ranked]
            replies.append(_ranked(pairs, top, ties_descending=True))
        else:  # Redis's own order, ties included
            replies.append([(domain, int(n)) for domain, n in group[1]])
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
                top_domains=domains,
                by_kind=_split(counts, "kind"),
                new_by_source=_split(counts, "new"),
            )
        )
    return result


def _union(store: Store, keys: list[str], top: int) -> list[tuple[str, int]]:
    """The sets' members by summed score; ZUNION on one server, merged here on a cluster
    (whose shards' keys are in different slots)."""
    if not keys:
        return []
    if store.cluster:
        sets = [store.redis.zrange(key, 0, -1, withscores=True) for key in keys]
        return _ranked([pair for ranked in sets for pair in ranked], top)
    return _ranked(store.redis.zunion(keys, withscores=True), top)


def top_domains(store: Store, days: list[int], top: int) -> list[tuple[str, int]]:
    """Recipient domains with the most applied events over `days`."""
    return _union(store, [stats_domains_key(b, d) for d in days for b in _bases(store)], top)


def top_sender_side(store: Store, days: list[int], top: int) -> list[tuple[str, int]]:
    """Recipient domains with the most sender-side rejections over `days`: where our
    reputation or content is being refused."""
    return _union(store, [stats_sender_side_key(b, d) for d in days for b in _bases(store)], top)


def _newest_events(store: Store, scan: int) -> Iterator[dict[str, str]]:
    """The fields of the newest `scan` applied events (of each shard), newest first."""
    for base in _bases(store):
        upper, left = "+", scan
        while left > 0:
            batch = store.redis.xrevrange(
                events_key(base), max=upper, count=min(EVENT_SCAN_BATCH, left)
            )
            yield from (fields for _, fields in batch)
            left -= len(batch)
            if len(batch) < EVENT_SCAN_BATCH:
                break
            upper = f"({batch[-1][0]}"


def recent_events(store: Store, domain: str, limit: int) -> list[tuple[str, dict[str, str]]]:
    """The newest applied events for one recipient domain, newest first, from the capped
    streams (so only as far back as each shard's last ~10,000 events)."""
    found: list[tuple[str, dict[str, str]]] = []
    for base in _bases(store):
        mine: list[tuple[str, dict[str, str]]] = []
        upper = "+"
        while len(mine) < limit:
            batch = store.redis.xrevrange(events_key(base), max=upper, count=EVENT_SCAN_BATCH)
            mine += [entry for entry in batch if entry[1].get("domain") == domain]
            if len(batch) < EVENT_SCAN_BATCH:
                break
            upper = f"({batch[-1][0]}"
        found += mine[:limit]
    found.sort(key=lambda entry: stream_order(entry[0]), reverse=True)
    return found[:limit]


# Results of the event script (app/store/lua.py) that set or end a contact's soft score.
SCORE_RESULTS = frozenset(
    {"counted", "reset", "suppressed", "escalated", "upgraded", "confirmed", "already_suppressed"}
)


def soft_scores(store: Store, scan: int) -> list[tuple[str, float]]:
    """Each contact's soft score as its newest event among the newest `scan` applied events
    (of each shard: a contact's events are all in its shard's stream) that acted on its score
    left it, when that was a counted soft bounce (a later reset or suppression drops the
    contact; a sender-side rejection, say, changes nothing): the candidates for the
    near-threshold list, highest first. The score is as of that event; the window may have
    moved on since."""
    newest: dict[str, tuple[str, str]] = {}
    for fields in _newest_events(store, scan):
        if fields.get("result") in SCORE_RESULTS:
            newest.setdefault(fields["email"], (fields["result"], fields.get("score", "")))
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
    pipe = store.timed_pipeline()
    pipe.llen(store.dead_letter_key)
    pipe.get(store.heartbeat_key)
    pipe.get(store.heartbeat_server_key)
    for shard in range(store.shards):
        pipe.zcard(store.suppression_index_key_of(shard))
    now_ms, (dead_letters, worker_ms, server_ms, *sizes) = store.timed_execute(pipe)
    suppressed = sum(sizes)
    heartbeat = Heartbeat.read(worker_ms, server_ms)
    return StateReading(
        now_ms, suppressed, dead_letters, heartbeat.age_s(now_ms) if heartbeat else None
    )
