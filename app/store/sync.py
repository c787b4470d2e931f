"""The sync's Redis state: one cursor, lock and failed-entries list per (sink, shard).

Kept apart from `Store` so the change log's readers and writers stay separate. A sink's state
in a shard is the hash `<base>:sync:<sink>` (cursor, counters, last success and error,
backoff), its lock `<base>:sync:<sink>:lock` and its rejected entries `<base>:sync:<sink>:failed`,
where `<base>` is the shard's key base (app/store/shards.py; the prefix alone with one shard),
so each script here touches the keys of one slot, next to that shard's change log. A SyncStore
is one shard's; `parts()` gives every shard's, which app.sync walks and merges.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.store import Store, lua

START = "0-0"  # the cursor of a sink that has confirmed nothing yet
CHANGE_SCAN_BATCH = 1000


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the sync knows about one sink (all times in ms, 0 for never)."""

    cursor: str
    failures: int
    not_before: int
    last_success: int
    last_error: str
    last_error_at: int
    accepted: int
    rejected: int


@dataclass(frozen=True, slots=True)
class ChangeSearch:
    """An address's newest change in the change log, (id, op), or None: then `unread_below`
    is '' when the whole log was read, else the id below which it was not."""

    newest: tuple[str, str] | None
    unread_below: str


class SyncStore:
    """Cursor, lock and failures of the sinks; every write checks the caller's lock token."""

    def __init__(self, store: Store, shard: int = 0):
        self.store = store
        self.shard = shard
        self.redis = store.redis
        self.prefix = store.prefix
        self.base = store.layout.base(shard)
        self.change_log_key = store.change_log_key_of(shard)
        self._commit = self.redis.register_script(lua.SYNC_COMMIT)
        self._fail = self.redis.register_script(lua.SYNC_FAIL)
        self._release = self.redis.register_script(lua.SYNC_RELEASE)
        self._renew = self.redis.register_script(lua.SYNC_RENEW)
        self._trim = self.redis.register_script(lua.TRIM_CHANGES)
        self._lag = self.redis.register_script(lua.SYNC_LAG)

    def parts(self) -> list[SyncStore]:
        """Every shard's sync state, in shard order (this one alone with one shard)."""
        if self.store.shards == 1:
            return [self]
        return [SyncStore(self.store, shard) for shard in range(self.store.shards)]

    def part_of(self, email: str) -> SyncStore:
        """The sync state of the shard that holds `email`'s changes."""
        shard = self.store.shard_of(email)
        return self if shard == self.shard else SyncStore(self.store, shard)

    def state_key(self, sink: str) -> str:
        return f"{self.base}:sync:{sink}"

    def lock_key(self, sink: str) -> str:
        return f"{self.base}:sync:{sink}:lock"

    def failed_key(self, sink: str) -> str:
        return f"{self.base}:sync:{sink}:failed"

    def run_lock_key(self, sink: str) -> str:
        """With shards, the lock of a whole run over every shard (one process at a time pushes
        to a sink); each shard's own lock still fences its cursor."""
        return self.store.layout.global_key(f"sync:{sink}:run")

    def acquire_run(self, sink: str, token: str, lease_ms: int) -> bool:
        return bool(self.redis.set(self.run_lock_key(sink), token, nx=True, px=lease_ms))

    def renew_run(self, sink: str, token: str, lease_ms: int) -> bool:
        """Extend the run lock's lease if `token` still holds it."""
        return bool(self._renew(keys=[self.run_lock_key(sink)], args=[token, lease_ms]))

    def release_run(self, sink: str, token: str) -> None:
        self._release(keys=[self.run_lock_key(sink)], args=[token])

    def acquire(self, sink: str, token: str, lease_ms: int) -> bool:
        """Take the sink's lock unless another run holds it; it lapses after `lease_ms`."""
        return bool(self.redis.set(self.lock_key(sink), token, nx=True, px=lease_ms))

    def release(self, sink: str, token: str) -> None:
        self._release(keys=[self.lock_key(sink)], args=[token])

    def state(self, sink: str) -> SyncState:
        raw = self.redis.hgetall(self.state_key(sink))
        return SyncState(
            cursor=raw.get("cursor", START),
            failures=int(raw.get("failures", 0)),
            not_before=int(raw.get("not_before", 0)),
            last_success=int(raw.get("last_success", 0)),
            last_error=raw.get("last_error", ""),
            last_error_at=int(raw.get("last_error_at", 0)),
            accepted=int(raw.get("accepted", 0)),
            rejected=int(raw.get("rejected", 0)),
        )

    def read_changes(self, after: str, count: int) -> list[tuple[str, dict[str, str]]]:
        """Up to `count` change-log entries with ids above `after`, oldest first."""
        return self.redis.xrange(self.change_log_key, min=f"({after}", count=count)

    def commit(
        self,
        sink: str,
        token: str,
        *,
        read_after: str,
        last_id: str,
        accepted: Iterable[str],
        rejected: dict[str, dict[str, str]],
        now_ms: int,
        lease_ms: int,
    ) -> str:
        """Move the cursor past a batch the sink took, record its rejections and renew the
        lease, all at once: 'ok', or 'lost_lock'/'moved' when this run no longer owns the sink
        (then nothing is written)."""
        details = {email: json.dumps(detail) for email, detail in rejected.items()}
        args = [token, read_after, last_id, now_ms, lease_ms, json.dumps(list(accepted))]
        args.append(json.dumps(details) if details else "{}")
        keys = [self.state_key(sink), self.lock_key(sink), self.failed_key(sink)]
        return self._commit(keys=keys, args=args)

    def fail(self, sink: str, token: str, error: str, now_ms: int, not_before_ms: int) -> int:
        """Record a failed push and release the lock: the consecutive failure count, or -1 if
        the lock was no longer ours (nothing written)."""
        keys = [self.state_key(sink), self.lock_key(sink)]
        return int(self._fail(keys=keys, args=[token, now_ms, not_before_ms, error[:500]]))

    def failed_entries(self, sink: str) -> dict[str, dict[str, str]]:
        """Addresses the sink refused, with op, reason, change id and time; an address leaves
        this list when a later change for it is accepted."""
        raw = self.redis.hgetall(self.failed_key(sink))
        return {email: json.loads(detail) for email, detail in raw.items()}

    def trim_changes(self, sinks: Iterable[str]) -> int:
        """Drop change-log entries every listed sink has confirmed; the number dropped."""
        keys = [self.change_log_key, *(self.state_key(sink) for sink in sinks)]
        return int(self._trim(keys=keys)) if len(keys) > 1 else 0

    def lag(self, cursor: str, cap: int) -> tuple[int, str]:
        """Entries after `cursor` (counted up to `cap`) and the id of the oldest, or ''."""
        count, oldest = self._lag(keys=[self.change_log_key], args=[cursor, cap])
        return int(count), oldest

    def failed_entry(self, sink: str, email: str) -> dict[str, str] | None:
        """The sink's refusal of this address, if it refuses it."""
        raw = self.redis.hget(self.failed_key(sink), email)
        return json.loads(raw) if raw else None

    def newest_change(self, email: str, cap: int) -> ChangeSearch:
        """The newest change-log entry for `email`, reading back from the newest entry, 1,000
        a round trip, at most `cap` entries."""
        upper, read = "+", 0
        while read < cap:
            batch = self.redis.xrevrange(self.change_log_key, max=upper, count=CHANGE_SCAN_BATCH)
            for entry_id, fields in batch:
                if fields.get("email") == email:
                    return ChangeSearch((entry_id, fields.get("op", "")), "")
            read += len(batch)
            if len(batch) < CHANGE_SCAN_BATCH:
                return ChangeSearch(None, "")
            upper = f"({batch[-1][0]}"
        return ChangeSearch(None, upper[1:])

    def failed_count(self, sink: str) -> int:
        return int(self.redis.hlen(self.failed_key(sink)))

    def last_change_id(self) -> str:
        """The newest change-log id, START when the log is empty."""
        newest = self.redis.xrevrange(self.change_log_key, count=1)
        return newest[0][0] if newest else START

    def suppressions(self, batch: int) -> Iterator[list[dict[str, str]]]:
        """Every current suppression record of this shard, `batch` at a time (one round trip
        per batch), walking its suppression index with ZSCAN: safe on a live server, and a
        record lifted meanwhile is simply absent."""
        chunk: list[str] = []
        index = self.store.suppression_index_key_of(self.shard)
        for email, _ in self.redis.zscan_iter(index, count=batch):
            chunk.append(email)
            if len(chunk) == batch:
                yield self._records(chunk)
                chunk = []
        if chunk:
            yield self._records(chunk)

    def _records(self, emails: list[str]) -> list[dict[str, str]]:
        pipe = self.redis.pipeline(transaction=False)
        for email in dict.fromkeys(emails):
            pipe.hgetall(self.store.suppression_key(email))
        return [record for record in pipe.execute() if record]
