"""The sync engine: push one sink's unconfirmed changes, batch by batch, under its lock.

At-least-once and in order per address: a batch is read after the sink's cursor, coalesced,
pushed, and only then is the cursor moved past it (with the sink's refusals recorded, in one
script that also checks the lock). A crash or a failed push leaves the cursor where it was, so
the same changes go again; every sink's push is idempotent.

With shards (app/store/shards.py) each shard has its own change log, and a sink its own cursor
and lock in each; a run walks the shards one after another. An address's changes are all in
one shard's log, so they still reach the sink in order.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog

from app.changes import ADD, Batch, Change, coalesce
from app.sinks import Sink, SinkError, scrub
from app.store.sync import START, SyncState, SyncStore

if TYPE_CHECKING:
    from app.config import Settings

log = structlog.get_logger("bouncekeeper.sync")

BACKOFF_BASE_S = 1.0
_JITTER = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class RunResult:
    """How a run ended: `caught_up`, `more` (deadline reached, changes left), `failed`
    (retry in `retry_in` s), `waiting` (backing off until then), `busy` (another run holds the
    lock) or `lost_lock` (this run's lease ran out and another took over)."""

    status: str
    pushed: int = 0
    batches: int = 0
    retry_in: float = 0.0
    error: str = ""


@dataclass(frozen=True, slots=True)
class Lag:
    entries: int  # counted up to the cap
    seconds: float  # age of the oldest change the sink has not confirmed; 0 when caught up


def lag(store: SyncStore, cursor: str, now_ms: int, cap: int = 10_000) -> Lag:
    """How far behind a sink at `cursor` is in one shard."""
    entries, oldest = store.lag(cursor, cap)
    seconds = (now_ms - int(oldest.split("-")[0])) / 1000 if oldest else 0.0
    return Lag(entries, max(seconds, 0.0))


def sink_lag(store: SyncStore, sink: str, now_ms: int, cap: int = 10_000) -> Lag:
    """How far behind a sink is over all shards, for the status API and the sync-lag metric:
    entries summed (each shard's counted up to `cap`), the oldest unconfirmed change's age."""
    parts = [lag(part, part.state(sink).cursor, now_ms, cap) for part in store.parts()]
    return Lag(sum(p.entries for p in parts), max(p.seconds for p in parts))


def merged_state(store: SyncStore, sink: str) -> SyncState:
    """One sink's state over all shards: the shards' cursors as `s<k>:<id>` joined by commas
    (the cursor itself with one shard), counters summed, the newest success and error, the
    longest run of failures and the latest retry."""
    states = [part.state(sink) for part in store.parts()]
    if len(states) == 1:
        return states[0]
    failing = max(states, key=lambda state: state.last_error_at)
    return SyncState(
        cursor=",".join(f"s{k}:{state.cursor}" for k, state in enumerate(states)),
        failures=max(state.failures for state in states),
        not_before=max(state.not_before for state in states),
        last_success=max(state.last_success for state in states),
        last_error=failing.last_error,
        last_error_at=failing.last_error_at,
        accepted=sum(state.accepted for state in states),
        rejected=sum(state.rejected for state in states),
    )


def failed_count(store: SyncStore, sink: str) -> int:
    """How many addresses the sink refuses, over all shards."""
    return sum(part.failed_count(sink) for part in store.parts())


LAG_CAP = 10_000


def status(settings: Settings, store: SyncStore, now_ms: int) -> dict[str, dict[str, Any]]:
    """Per configured sink: how far behind it is, when it last succeeded and failed, and how
    many addresses it refuses; one answer for `GET /api/v1/sync` and `bouncekeeper sync
    status`. `lag_entries` is counted up to LAG_CAP (`lag_capped`)."""
    from app.sinks.redact import redact, secrets_of
    from app.suppressions import iso

    sinks = {}
    for name in settings.sink_names:
        state = merged_state(store, name)
        # masked again when shown: a value may have been recorded before redaction existed
        secrets = secrets_of(settings.sink_options.get(name, {}))
        behind = sink_lag(store, name, now_ms, LAG_CAP)
        sinks[name] = {
            "cursor": state.cursor,
            "lag_entries": behind.entries,
            "lag_capped": behind.entries >= LAG_CAP,
            "lag_seconds": behind.seconds,
            "last_success": iso(state.last_success or None),
            "last_error": redact(state.last_error, secrets) or None,
            "last_error_at": iso(state.last_error_at or None),
            "failures_in_a_row": state.failures,
            "retry_at": iso(state.not_before or None),
            "accepted": state.accepted,
            "rejected": state.rejected,
            "failed_entries": failed_count(store, name),
        }
    return sinks


def _position(entry_id: str) -> tuple[int, int]:
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


def address_status(
    settings: Settings, store: SyncStore, email: str, cap: int = LAG_CAP
) -> dict[str, dict[str, str]]:
    """Per configured sink, where one address stands: `refused` (the sink turned its change
    down), `pending` (its newest change is past the sink's cursor), `sent` (confirmed),
    `in step` (no change of it in the log, or none after the sink's cursor: the log keeps what
    some sink has not confirmed) or `unknown` (not found in the newest `cap` entries, and the
    sink is further behind than those)."""
    from app.sinks.redact import redact, secrets_of

    store = store.part_of(email)
    cursors = {name: store.state(name).cursor for name in settings.sink_names}
    search = store.newest_change(email, cap) if cursors else None
    answer = {}
    for name, cursor in cursors.items():
        refused = store.failed_entry(name, email)
        if refused is not None:
            secrets = secrets_of(settings.sink_options.get(name, {}))
            reason = redact(str(refused.get("reason", "")), secrets)
            answer[name] = {"state": "refused", "detail": f"{refused.get('op', '')}: {reason}"}
        elif search is not None and search.newest is not None:
            entry_id, op = search.newest
            if _position(entry_id) > _position(cursor):
                answer[name] = {"state": "pending", "detail": f"{op} not confirmed yet"}
            else:
                answer[name] = {"state": "sent", "detail": f"{op} confirmed"}
        elif (
            search is not None
            and search.unread_below
            and _position(cursor) < _position(search.unread_below)
        ):
            answer[name] = {"state": "unknown", "detail": f"not in the newest {cap:,} changes"}
        else:
            answer[name] = {"state": "in step", "detail": "no change of it waiting"}
    return answer


def backoff_seconds(
    failures: int, retry_after: float | None, cap: float, rng: random.Random
) -> float:
    """Exponential backoff with jitter after `failures` consecutive failures, never sooner
    than the sink's own Retry-After: jitter spreads the retries of many sinks and workers,
    and the half that is not random keeps a retry from coming back at once."""
    ceiling = min(cap, BACKOFF_BASE_S * 2 ** max(failures - 1, 0))
    delay = rng.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def sync_sink(
    store: SyncStore,
    sink: Sink,
    *,
    lease_ms: int,
    backoff_cap_s: float,
    deadline: float | None = None,
    clock: Callable[[], float] = time.time,
    rng: random.Random | None = None,
) -> RunResult:
    """Push the sink's pending changes until caught up, a failure or `deadline` (clock s),
    shard after shard under the sink's run lock (so one process at a time pushes to a sink, as
    with one shard); a failure, a lost lock or the deadline ends the run (the shards after it
    wait for the next run)."""
    parts = store.parts()
    if len(parts) == 1:
        return _sync_part(store, sink, lease_ms, backoff_cap_s, deadline, clock, rng)
    token = secrets.token_hex(16)
    if not store.acquire_run(sink.name, token, lease_ms):
        return RunResult("busy")
    try:
        return _sync_parts(parts, sink, token, lease_ms, backoff_cap_s, deadline, clock, rng)
    finally:
        store.release_run(sink.name, token)


def _sync_parts(
    parts: list[SyncStore],
    sink: Sink,
    token: str,
    lease_ms: int,
    backoff_cap_s: float,
    deadline: float | None,
    clock: Callable[[], float],
    rng: random.Random | None,
) -> RunResult:
    pushed = batches = 0
    statuses = []
    for part in parts:
        result = _sync_part(part, sink, lease_ms, backoff_cap_s, deadline, clock, rng)
        pushed, batches = pushed + result.pushed, batches + result.batches
        if result.status in ("failed", "lost_lock", "more"):
            return RunResult(result.status, pushed, batches, result.retry_in, result.error)
        if not part.renew_run(sink.name, token, lease_ms):
            return RunResult("lost_lock", pushed, batches)
        statuses.append(result)
    # caught up everywhere, or some shards busy or waiting: say the first of those
    waiting = [r for r in statuses if r.status in ("busy", "waiting")]
    first = waiting[0] if waiting else statuses[0]
    return RunResult(first.status if waiting else "caught_up", pushed, batches, first.retry_in)


def _sync_part(
    store: SyncStore,
    sink: Sink,
    lease_ms: int,
    backoff_cap_s: float,
    deadline: float | None,
    clock: Callable[[], float],
    rng: random.Random | None,
) -> RunResult:
    """sync_sink for one shard's change log."""
    now_ms = int(clock() * 1000)
    waiting_ms = store.state(sink.name).not_before - now_ms
    if waiting_ms > 0:
        return RunResult("waiting", retry_in=waiting_ms / 1000)
    token = secrets.token_hex(16)
    if not store.acquire(sink.name, token, lease_ms):
        return RunResult("busy")
    try:
        return _run(store, sink, token, lease_ms, backoff_cap_s, deadline, clock, rng)
    finally:
        store.release(sink.name, token)  # a no-op when fail() released it or the lease ran out


def _run(
    store: SyncStore,
    sink: Sink,
    token: str,
    lease_ms: int,
    backoff_cap_s: float,
    deadline: float | None,
    clock: Callable[[], float],
    rng: random.Random | None,
) -> RunResult:
    cursor = store.state(sink.name).cursor  # read under the lock: no other run moves it now
    pushed = batches = 0
    while deadline is None or clock() < deadline:
        entries = store.read_changes(cursor, sink.batch_size)
        if not entries:
            return RunResult("caught_up", pushed, batches)
        batch = coalesce(Change.from_entry(entry_id, fields) for entry_id, fields in entries)
        try:
            refused = sink.push(batch)
        except Exception as exc:
            delay, error = _record_failure(store, sink, token, exc, backoff_cap_s, clock, rng)
            if not isinstance(exc, SinkError):
                raise  # a bug, not the sink's weather: fail loudly, after backing off
            return RunResult("failed", pushed, batches, retry_in=delay, error=error)
        now_ms = int(clock() * 1000)
        changes = [*batch.add, *batch.remove]
        rejected = {
            c.email: {
                "op": c.op,
                "reason": scrub(sink, refused[c.email]),
                "id": c.id,
                "at": str(now_ms),
            }
            for c in changes
            if c.email in refused
        }
        accepted = [c.email for c in changes if c.email not in refused]
        outcome = store.commit(
            sink.name,
            token,
            read_after=cursor,
            last_id=entries[-1][0],
            accepted=accepted,
            rejected=rejected,
            now_ms=now_ms,
            lease_ms=lease_ms,
        )
        if outcome != "ok":
            log.warning("sink run stopped", sink=sink.name, outcome=outcome)
            return RunResult("lost_lock", pushed, batches)
        if rejected:
            log.warning("sink refused addresses", sink=sink.name, refused=len(rejected))
        cursor = entries[-1][0]
        pushed, batches = pushed + len(batch), batches + 1
    return RunResult("more", pushed, batches)


def _record_failure(
    store: SyncStore,
    sink: Sink,
    token: str,
    exc: Exception,
    backoff_cap_s: float,
    clock: Callable[[], float],
    rng: random.Random | None,
) -> tuple[float, str]:
    """Record the failure and when to try again: the delay and the error as recorded, with the
    sink's credentials masked (`last_error` is shown to read tokens)."""
    failures = store.state(sink.name).failures + 1
    retry_after = exc.retry_after if isinstance(exc, SinkError) else None
    delay = backoff_seconds(failures, retry_after, backoff_cap_s, rng or _JITTER)
    now_ms = int(clock() * 1000)
    error = scrub(sink, f"{type(exc).__name__}: {exc}")
    store.fail(sink.name, token, error, now_ms, now_ms + int(delay * 1000))
    log.warning(
        "sink failed",
        sink=sink.name,
        failures_in_a_row=failures,
        retry_in_s=round(delay, 1),
        error=error,
    )
    return delay, error


def full_sync(
    store: SyncStore, sink: Sink, *, lease_ms: int, clock: Callable[[], float] = time.time
) -> RunResult:
    """Push every current suppression as an addition (first connection, or repair after
    the change log was trimmed), under the sink's lock; then move the cursor to the newest
    change taken before the list was read, so the changes made meanwhile still follow. A
    failed push raises SinkError and leaves the cursor alone. Shard after shard, under the
    sink's run lock."""
    parts = store.parts()
    if len(parts) == 1:
        return _full_sync_part(store, sink, lease_ms, clock)
    token = secrets.token_hex(16)
    if not store.acquire_run(sink.name, token, lease_ms):
        return RunResult("busy")
    pushed = batches = 0
    try:
        for part in parts:
            result = _full_sync_part(part, sink, lease_ms, clock)
            pushed, batches = pushed + result.pushed, batches + result.batches
            if result.status != "caught_up" or not part.renew_run(sink.name, token, lease_ms):
                return RunResult("lost_lock" if result.status == "caught_up" else result.status,
                                 pushed, batches)  # fmt: skip
        return RunResult("caught_up", pushed, batches)
    finally:
        store.release_run(sink.name, token)


def _full_sync_part(
    store: SyncStore, sink: Sink, lease_ms: int, clock: Callable[[], float]
) -> RunResult:
    token = secrets.token_hex(16)
    if not store.acquire(sink.name, token, lease_ms):
        return RunResult("busy")
    try:
        cursor = store.state(sink.name).cursor
        head = store.last_change_id()  # the list read below is at least this new
        pushed = batches = 0
        for records in store.suppressions(sink.batch_size):
            changes = [_as_change(record, head) for record in records]
            refused = sink.push(Batch(add=changes, remove=[]))
            now_ms = int(clock() * 1000)
            rejected = {
                email: {"op": ADD, "reason": reason, "id": head, "at": str(now_ms)}
                for email, reason in refused.items()
            }
            accepted = [c.email for c in changes if c.email not in refused]
            outcome = store.commit(sink.name, token, read_after=cursor, last_id=cursor,
                                   accepted=accepted, rejected=rejected, now_ms=now_ms,
                                   lease_ms=lease_ms)  # fmt: skip
            if outcome != "ok":
                return RunResult("lost_lock", pushed, batches)
            pushed, batches = pushed + len(changes), batches + 1
        if _stream_order(head) > _stream_order(cursor):
            outcome = store.commit(sink.name, token, read_after=cursor, last_id=head,
                                   accepted=[], rejected={}, now_ms=int(clock() * 1000),
                                   lease_ms=lease_ms)  # fmt: skip
            if outcome != "ok":
                return RunResult("lost_lock", pushed, batches)
        return RunResult("caught_up", pushed, batches)
    finally:
        store.release(sink.name, token)


def _as_change(record: dict[str, str], head: str) -> Change:
    code = record.get("code", "")
    return Change(
        id=head,
        op=ADD,
        email=record["email"],
        code=int(code) if code.isdigit() else None,
        category=record.get("category", ""),
        source=record.get("source", ""),
        at_ms=int(record.get("updated_at") or record.get("created_at") or 0),
    )


def _stream_order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = (entry_id or START).partition("-")
    return int(ms), int(seq or 0)


@dataclass(frozen=True, slots=True)
class Drift:
    """Where a sender's list and ours disagree, each side sorted."""

    only_ours: list[str]  # suppressed here, not at the sender: a missed or refused push
    only_theirs: list[str]  # suppressed at the sender only: its own bounces, or a missed lift


def drift(ours: Iterable[str], theirs: Iterable[str]) -> Drift:
    """Compare two address lists both ways (each may repeat an address)."""
    here, there = set(ours), set(theirs)
    return Drift(sorted(here - there), sorted(there - here))
