"""Every Redis key and script of bouncekeeper lives in this package, and nowhere else.

Keys follow the shard layout of app/store/shards.py: an address's contact state and suppression
and its shard's change log (the stream the sync reads), suppression index (sorted set for
listing and counting), audit, alert and event streams, per-domain and per-day counters share
the shard's hash tag, so each script call touches one Redis Cluster slot. With one shard the
names are the unsharded ones. Outside the shards: the dead-letter list, nonces and beat's
heartbeat. Reads over everything merge the shards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgpack
import redis
from redis.cluster import RedisCluster

from app.policy import MS_PER_DAY, utc_day
from app.store import lua, message_ids, reports
from app.store.connect import client_from_url
from app.store.dead_letters import DeadLetter
from app.store.heartbeat import Heartbeat
from app.store.order import stream_order
from app.store.shards import Layout, ShardCountMismatch

HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class Application:
    """Everything the script needs to apply one classified event; built by app.ingest."""

    email: str
    event_id: str
    action: str
    weight: float
    occurred_at_ms: int
    code: int | None
    category: str
    source: str
    diagnostic: str
    matched_by: str
    provider: str
    message_id: str
    grade: str = ""  # app.classify.Grade of the verdict; "" for events that are not bounces
    time_note: str = ""  # app.events.TimeNote: why the time is the arrival's, if it is
    reported_at_ms: int | None = None  # the ESP's time, when it was replaced
    esp_list: str = ""  # the ESP suppression list an esp_suppress or reactivate event names
    kind: str = ""  # app.events.EventType, counted per day (deliveries are the rates' divisor)


@dataclass(frozen=True, slots=True)
class Limits:
    """The policy numbers the script enforces (from app.policy.Policy)."""

    window_days: int
    threshold: float
    alert_min_rejections: int
    alert_min_ratio: float


@dataclass(frozen=True, slots=True)
class Outcome:
    email: str
    result: str  # duplicate | suppressed | escalated | counted | stale | before_reset | ...
    score: float | None


class Store:
    """Typed access to bouncekeeper's Redis state."""

    HISTORY_CAP = 10
    APPLY_BATCH = 100  # events per script call: one call keeps Redis busy for a few ms
    DEDUP_CAP = 200
    DEAD_LETTER_CAP = 1000
    DOMAIN_COUNTER_TTL_MS = 35 * MS_PER_DAY
    PROBE_TTL_MS = 60_000  # /readyz's write probe cleans up after itself

    def __init__(
        self,
        client: redis.Redis | RedisCluster,
        prefix: str = "bk",
        dedup_ttl_s: int = 259_200,
        shards: int = 1,
    ):
        self.redis = client
        self.prefix = prefix
        self.layout = Layout(prefix, shards)
        self.shards = shards
        # redis-py's cluster pipeline refuses EVALSHA: script calls go one by one there
        self.cluster = isinstance(client, RedisCluster)
        self.dedup_ttl_ms = dedup_ttl_s * 1000
        self._apply = client.register_script(lua.APPLY_EVENTS)
        self._unsuppress = client.register_script(lua.UNSUPPRESS)
        self._suppress = client.register_script(lua.SUPPRESS)
        self._claim_nonce = client.register_script(lua.CLAIM_NONCE)
        self._suppress_many = client.register_script(lua.SUPPRESS_MANY)
        self._contact_json = client.register_script(lua.CONTACT_JSON)
        self._heartbeat = client.register_script(lua.HEARTBEAT)

    @classmethod
    def from_url(
        cls, url: str, prefix: str = "bk", dedup_ttl_s: int = 259_200, shards: int = 1
    ) -> Store:
        """`url` is `REDIS_URL`: one server, a master under Sentinel, or a Redis Cluster
        (app/store/connect.py)."""
        client = client_from_url(url, decode_responses=True, health_check_interval=30)
        store = cls(client, prefix, dedup_ttl_s, shards)
        try:
            store.check_shards()
        except redis.RedisError:
            if shards > 1:
                raise  # the count must be recorded before anything is written with it
            # one shard writes no record: a Redis that is down now is /readyz's to report
        return store

    def check_shards(self) -> None:
        """Refuse to run with a shard count other than the one the state was written with
        (ShardCountMismatch), and record it on first use. One shard records nothing, so a
        single Redis keeps exactly today's keys; more shards on state written unsharded are
        refused too. Raises redis errors when Redis cannot be reached."""
        key = self.layout.record_key
        recorded = self.redis.get(key)
        if recorded is None and self.shards > 1:
            if self.redis.exists(f"{self.prefix}:changes", f"{self.prefix}:suppressed"):
                raise ShardCountMismatch(
                    f"the state under {self.prefix!r} was written with 1 shard (unsharded "
                    f"keys); BOUNCEKEEPER_SHARDS={self.shards} cannot read it"
                )
            self.redis.set(key, self.shards, nx=True)
            recorded = self.redis.get(key)
        if recorded is not None and int(recorded) != self.shards:
            raise ShardCountMismatch(
                f"the state under {self.prefix!r} was written with {int(recorded)} shards "
                f"({key}); BOUNCEKEEPER_SHARDS={self.shards} would look every address up in the "
                "wrong shard: set it back (the count is fixed when state is first written)"
            )

    # -- keys -----------------------------------------------------------------------------
    def shard_of(self, email: str) -> int:
        return self.layout.shard_of(email)

    def shard_key(self, shard: int, name: str) -> str:
        """A key of one shard: its change log (`changes`), index (`suppressed`), streams."""
        return f"{self.layout.base(shard)}:{name}"

    def contact_key(self, email: str) -> str:
        return self.layout.contact(email)

    def suppression_key(self, email: str) -> str:
        return self.layout.suppression(email)

    def domain_hour_key(self, domain: str, at_ms: int, shard: int = 0) -> str:
        return f"{self.layout.domain(shard, domain)}:hour:{at_ms // HOUR_MS}"

    def domain_day_key(self, domain: str, at_ms: int, shard: int = 0) -> str:
        return f"{self.layout.domain(shard, domain)}:day:{utc_day(at_ms)}"

    def nonce_key(self, provider: str, nonce: str) -> str:
        digest = hashlib.blake2b(nonce.encode(), digest_size=16).hexdigest()
        return f"{self.prefix}:nonce:{provider}:{digest}"

    def change_log_key_of(self, shard: int) -> str:
        return self.shard_key(shard, "changes")

    def suppression_index_key_of(self, shard: int) -> str:
        return self.shard_key(shard, "suppressed")

    def audit_key_of(self, shard: int) -> str:
        return self.shard_key(shard, "audit")

    def alerts_key_of(self, shard: int) -> str:
        return self.shard_key(shard, "alerts")

    # the first shard's, which with one shard are the only ones
    @property
    def change_log_key(self) -> str:
        return self.change_log_key_of(0)

    @property
    def suppression_index_key(self) -> str:
        return self.suppression_index_key_of(0)

    @property
    def audit_key(self) -> str:
        return self.audit_key_of(0)

    @property
    def alerts_key(self) -> str:
        return self.alerts_key_of(0)

    @property
    def dead_letter_key(self) -> str:
        return f"{self.prefix}:deadletter"

    @property
    def heartbeat_key(self) -> str:
        return self.layout.global_key("heartbeat")

    @property
    def heartbeat_server_key(self) -> str:
        return self.layout.global_key("heartbeat:server")

    @property
    def probe_key(self) -> str:
        return f"{self.prefix}:readyz:probe"

    def _stats_now_key(self, now_ms: int, shard: int = 0) -> str:
        """The day counters new suppressions are counted in: the day they are made."""
        return reports.stats_day_key(self.layout.base(shard), utc_day(now_ms))

    def state_ttl_ms(self, window_days: int) -> int:
        """Contact state outlives both the window and the dedup horizon by a day, then goes."""
        return max((window_days + 1) * MS_PER_DAY, self.dedup_ttl_ms + MS_PER_DAY)

    # -- writes ---------------------------------------------------------------------------
    def _batch_call(
        self, items: list[Application], limits: Limits, now_ms: int, shard: int = 0
    ) -> dict[str, list]:
        """The APPLY_EVENTS call for `items`, all of `shard`: its KEYS (each key once) and its
        two arguments."""
        base = self.layout.base(shard)
        keys = [self.change_log_key_of(shard), self.suppression_index_key_of(shard)]
        keys += [self.alerts_key_of(shard), reports.events_key(base), self.audit_key_of(shard)]
        keys.append(self._stats_now_key(now_ms, shard))
        position: dict[str, int] = {keys[-1]: len(keys)}

        def at(key: str) -> int:
            if key not in position:
                keys.append(key)
                position[key] = len(keys)
            return position[key]

        events, binary = [], []
        for item in items:
            domain = item.email.rpartition("@")[2]
            *stat_keys, _ = reports.event_stat_keys(base, item.occurred_at_ms)
            event_keys = (
                self.contact_key(item.email),
                self.suppression_key(item.email),
                self.domain_hour_key(domain, item.occurred_at_ms, shard),
                self.domain_day_key(domain, item.occurred_at_ms, shard),
                *stat_keys,
            )
            events.append(
                [
                    *(at(key) for key in event_keys),
                    item.event_id,
                    item.action,
                    float(item.weight),
                    item.occurred_at_ms,
                    item.email,
                    "" if item.code is None else str(item.code),
                    item.category,
                    item.source,
                    item.provider,
                    item.message_id,
                    item.diagnostic,
                    item.matched_by,
                    domain,
                    item.grade,
                    item.time_note,
                    "" if item.reported_at_ms is None else str(item.reported_at_ms),
                    item.esp_list,
                    item.kind,
                ]
            )
            digest = hashlib.sha1(
                item.event_id.encode("utf-8", "surrogatepass"), usedforsecurity=False
            ).digest()[:8]
            binary.append([digest, *message_ids.pack_segments(item.message_id)])
        common = [
            now_ms,
            self.dedup_ttl_ms,
            self.state_ttl_ms(limits.window_days),
            limits.window_days,
            float(limits.threshold),
            self.HISTORY_CAP,
            self.DEDUP_CAP,
            self.shard_alert_min(limits.alert_min_rejections),
            float(limits.alert_min_ratio),
            self.DOMAIN_COUNTER_TTL_MS,
            events,
        ]
        # bytes as MessagePack's raw strings, which Lua's cmsgpack reads as Lua strings
        packed = msgpack.packb(binary, use_bin_type=False)
        args = [json.dumps(common, separators=(",", ":")), packed]
        return {"keys": keys, "args": args}

    def shard_alert_min(self, alert_min_rejections: int) -> int:
        """The sender-side alert's minimum count as each shard judges it: a domain's events
        spread evenly over the shards, so each sees about 1/N of them (docs/OPERATIONS.md)."""
        return -(-alert_min_rejections // self.shards)

    def apply(self, applications: list[Application], limits: Limits, now_ms: int) -> list[Outcome]:
        """Apply a batch grouped by shard, APPLY_BATCH events of one shard per script call, in
        one round trip on a single Redis (one call at a time on a cluster, whose pipeline takes
        no scripts). Each call applies its events in order, each as if alone; one that fails
        ends its call with the events before it applied, so a batch cut short by a failure is
        safe to replay. An address's events are all in one shard, so their order is kept."""
        by_shard: dict[int, list[int]] = {}
        for index, item in enumerate(applications):
            by_shard.setdefault(self.shard_of(item.email), []).append(index)
        calls = []
        for shard, indexes in by_shard.items():
            for start in range(0, len(indexes), self.APPLY_BATCH):
                chunk = indexes[start : start + self.APPLY_BATCH]
                items = [applications[i] for i in chunk]
                calls.append((chunk, self._batch_call(items, limits, now_ms, shard)))
        if self.cluster:
            batches = self._apply_per_node([call for _, call in calls])
        else:
            pipe = self.redis.pipeline(transaction=False)
            for _, call in calls:
                self._apply(**call, client=pipe)
            batches = pipe.execute()
        replies: list[Any] = [None] * len(applications)
        for (chunk, _), batch in zip(calls, batches, strict=True):
            for index, reply in zip(chunk, batch, strict=True):
                replies[index] = reply
        return [
            Outcome(item.email, result, float(score) if score else None)
            for item, (result, score) in zip(applications, replies, strict=True)
        ]

    # Replies that mean "ask elsewhere or again": the cluster client's own call follows them.
    _REDIRECTED = (
        redis.exceptions.AskError,
        redis.exceptions.TryAgainError,
        redis.exceptions.ClusterDownError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
    )

    def _apply_per_node(self, calls: list[dict[str, list]]) -> list[Any]:
        """Cluster: the event script calls of a batch, one pipeline per master that serves
        their slots (redis-py's cluster pipeline does not recover scripts, and each call is
        one slot's), so a batch costs a round trip per master rather than per shard. A call
        the master turned away (its slot moved, a failover under way, the connection lost)
        goes again through the cluster client, which follows the cluster: safe, since a
        replayed event is a duplicate."""
        by_node: dict[str, tuple[Any, list[int]]] = {}
        for index, call in enumerate(calls):
            node = self.redis.get_node_from_key(call["keys"][0])
            by_node.setdefault(node.name, (node, []))[1].append(index)
        replies: list[Any] = [None] * len(calls)
        for node, indexes in by_node.values():
            try:
                pipe = node.redis_connection.pipeline(transaction=False)
                for index in indexes:
                    self._apply(**calls[index], client=pipe)
                answers = pipe.execute(raise_on_error=False)
            except self._REDIRECTED:
                answers = [None] * len(indexes)  # none trusted: all go again
            for index, answer in zip(indexes, answers, strict=True):
                if answer is None or isinstance(answer, self._REDIRECTED):
                    answer = self._apply(**calls[index])
                elif isinstance(answer, Exception):
                    raise answer
                replies[index] = answer
        return replies

    def unsuppress(
        self, email: str, actor: str, reason: str, now_ms: int, window_days: int, force: bool
    ) -> str:
        """'removed', 'not_suppressed' or 'complaint' (a complaint is lifted only with force)."""
        shard = self.shard_of(email)
        keys = [
            self.contact_key(email),
            self.suppression_key(email),
            self.change_log_key_of(shard),
            self.suppression_index_key_of(shard),
            self.audit_key_of(shard),
        ]
        args = [now_ms, actor, reason, "1" if force else "0", self.state_ttl_ms(window_days)]
        return self._unsuppress(keys=keys, args=args)

    def suppress(self, record: dict[str, str], actor: str, reason: str, now_ms: int) -> str:
        """An operator's (or a policy re-evaluation's) suppression, audited: 'suppressed' or
        'already_suppressed'. `record` has email, code, category, source and diagnostic."""
        email = record["email"]
        shard = self.shard_of(email)
        keys = [
            self.suppression_key(email),
            self.change_log_key_of(shard),
            self.suppression_index_key_of(shard),
            self.audit_key_of(shard),
        ]
        keys.append(self._stats_now_key(now_ms, shard))
        args = [now_ms, email, record.get("code", ""), record.get("category", "")]
        args += [record["source"], record.get("diagnostic", ""), actor, reason]
        args.append(self.DOMAIN_COUNTER_TTL_MS)
        return self._suppress(keys=keys, args=args)

    def suppress_many(
        self, records: list[dict[str, str]], actor: str, reason: str, now_ms: int
    ) -> list[str]:
        """`suppress` for a batch (bulk import), one script call per shard: the same writes
        and answer per record, in order. A batch cut short by a failure is safe to send
        again."""
        by_shard: dict[int, list[int]] = {}
        for index, record in enumerate(records):
            by_shard.setdefault(self.shard_of(record["email"]), []).append(index)
        results: list[str] = [""] * len(records)
        for shard, indexes in by_shard.items():
            part = [records[i] for i in indexes]
            keys = [self.change_log_key_of(shard), self.suppression_index_key_of(shard)]
            keys += [self.audit_key_of(shard), self._stats_now_key(now_ms, shard)]
            keys += [self.suppression_key(record["email"]) for record in part]
            rows = [
                [r["email"], r.get("code", ""), r.get("category", ""), r["source"],
                 r.get("diagnostic", "")]
                for r in part
            ]  # fmt: skip
            payload = json.dumps(
                [str(now_ms), actor, reason, rows, self.DOMAIN_COUNTER_TTL_MS],
                separators=(",", ":"),
            )
            answers = self._suppress_many(keys=keys, args=[payload])
            for index, answer in zip(indexes, answers, strict=True):
                results[index] = answer
        return results

    def suppressed_emails(self, batch: int = 1000) -> Iterator[str]:
        for shard in range(self.shards):
            index = self.suppression_index_key_of(shard)
            for email, _ in self.redis.zscan_iter(index, count=batch):
                yield email

    def suppressed_count(self) -> int:
        return sum(self.redis.zcard(self.suppression_index_key_of(k)) for k in range(self.shards))

    def dead_letter(self, entry: DeadLetter) -> None:
        """Keep poison input for an operator to inspect and replay, capped so it cannot fill
        Redis (the oldest entries beyond the cap are dropped)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.lpush(self.dead_letter_key, entry.encode())
        pipe.ltrim(self.dead_letter_key, 0, self.DEAD_LETTER_CAP - 1)
        pipe.execute()

    def dead_letters(self) -> list[tuple[str, DeadLetter]]:
        """Every entry, newest first (index 0), each with its stored form, which
        `forget_dead_letter` takes."""
        return [
            (raw, DeadLetter.decode(raw)) for raw in self.redis.lrange(self.dead_letter_key, 0, -1)
        ]

    def forget_dead_letter(self, raw: str) -> bool:
        """Remove one entry, found by its stored form (indexes shift as entries arrive), in one
        atomic LREM; False if it is no longer there (replayed by someone else, or trimmed)."""
        return bool(self.redis.lrem(self.dead_letter_key, 1, raw))

    def claim_nonce(self, provider: str, nonce: str, claim: str, ttl_s: int) -> bool:
        """Claim a signed request's signature or token for the request `claim` names, for
        `ttl_s`: False when another request holds it (a replay). The same claim again (the
        message redelivered, or retried after a failure) is True, so claiming before applying
        can never lose the request's events."""
        key = self.nonce_key(provider, nonce)
        return bool(self._claim_nonce(keys=[key], args=[claim, max(ttl_s, 1)]))

    def record_heartbeat(self, now_ms: int) -> None:
        """The worker's clock and Redis's, side by side (lua.HEARTBEAT)."""
        self._heartbeat(keys=[self.heartbeat_key, self.heartbeat_server_key], args=[now_ms])

    def probe(self) -> tuple[int, Heartbeat | None]:
        """Readiness in one round trip: Redis's clock (ms), a real write (so a server that
        answers PING but refuses writes raises here: out of memory, read-only replica,
        MISCONF) and the last heartbeat. Raises redis errors as they come."""
        pipe = self.timed_pipeline()
        pipe.set(self.probe_key, "1", px=self.PROBE_TTL_MS)
        pipe.get(self.heartbeat_key)
        pipe.get(self.heartbeat_server_key)
        now_ms, (_, *stamps) = self.timed_execute(pipe)
        return now_ms, Heartbeat.read(*stamps)

    def timed_pipeline(self) -> Any:
        """A pipeline whose `timed_execute` also gives Redis's clock: TIME queued first on one
        server; on a cluster, whose pipeline refuses TIME, asked apart after it ran."""
        pipe = self.redis.pipeline(transaction=False)
        if not self.cluster:
            pipe.time()
        return pipe

    def timed_execute(self, pipe: Any) -> tuple[int, list[Any]]:
        """Redis's clock (ms) and the other replies of a `timed_pipeline`."""
        replies = pipe.execute()
        seconds, micros = self.redis.time() if self.cluster else replies.pop(0)
        return seconds * 1000 + micros // 1000, replies

    # -- reads ----------------------------------------------------------------------------
    def last_heartbeat(self) -> int | None:
        value = self.redis.get(self.heartbeat_key)
        return int(value) if value else None

    def suppression(self, email: str) -> dict[str, str] | None:
        return self.redis.hgetall(self.suppression_key(email)) or None

    def contact(self, email: str) -> ContactState | None:
        raw = self._contact_json(keys=[self.contact_key(email)])
        return ContactState.decode(raw) if raw else None

    def contacts_of(self, emails: list[str]) -> list[ContactState | None]:
        """Many contacts' states in one round trip; None where none is kept."""
        if self.cluster:
            raws = [self._contact_json(keys=[self.contact_key(email)]) for email in emails]
        else:
            pipe = self.redis.pipeline(transaction=False)
            for email in emails:
                self._contact_json(keys=[self.contact_key(email)], client=pipe)
            raws = pipe.execute()
        return [ContactState.decode(raw) if raw else None for raw in raws]

    def contacts(self, batch: int = 500) -> Iterator[tuple[str, ContactState]]:
        """Every tracked contact (SCAN: safe on a live server, may repeat under rehashing;
        on a cluster, every master's keys)."""
        pattern, before = self.layout.contact_pattern()
        for key in self.redis.scan_iter(match=pattern, count=batch):
            raw = self._contact_json(keys=[key])
            if raw:
                email = key.partition(before)[2]
                yield (email if self.layout.sharded else email[:-1]), ContactState.decode(raw)

    def suppressions(self, emails: list[str]) -> list[dict[str, str] | None]:
        """Many suppression records in one round trip; None where one is gone."""
        pipe = self.redis.pipeline(transaction=False)
        for email in emails:
            pipe.hgetall(self.suppression_key(email))
        return [record or None for record in pipe.execute()]

    CHECK_FIELDS = ("code", "category", "source", "created_at")

    def suppression_summaries(self, emails: list[str]) -> list[list[str | None] | None]:
        """CHECK_FIELDS of each address's suppression, None where it is not suppressed: the
        bulk pre-send check, 10,000 addresses in one pipelined round trip of HMGETs (only the
        four fields it shows, not the whole record with its evidence)."""
        pipe = self.redis.pipeline(transaction=False)
        for email in emails:
            pipe.hmget(self.suppression_key(email), self.CHECK_FIELDS)
        return [values if values[2] is not None else None for values in pipe.execute()]

    def suppression_page(
        self,
        count: int,
        after: tuple[int, str] | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> list[tuple[str, int]]:
        """The next `count` (email, suppressed-at ms) of the index, newest first, strictly after
        `after` in that order and within [since_ms, until_ms]. Keyset pagination: the position
        is a (score, email) pair, so pages stay right while suppressions come and go. With
        shards, each shard's next page, merged."""
        found: list[tuple[str, int]] = []
        for shard in range(self.shards):
            key = self.suppression_index_key_of(shard)
            found += self._index_page(key, count, after, since_ms, until_ms)
        if self.shards == 1:
            return found
        return sorted(found, key=lambda entry: (entry[1], entry[0]), reverse=True)[:count]

    def _index_page(
        self,
        key: str,
        count: int,
        after: tuple[int, str] | None,
        since_ms: int | None,
        until_ms: int | None,
    ) -> list[tuple[str, int]]:
        top = "+inf" if until_ms is None else until_ms
        end = self.redis.zcount(key, "-inf", top)
        if after is not None:
            end = min(end, self._rank_below(key, *after))
        start = 0 if since_ms is None else self.redis.zcount(key, "-inf", f"({since_ms}")
        low = max(start, end - count)
        if low >= end:
            return []
        members = self.redis.zrange(key, low, end - 1, withscores=True)
        return [(email, int(score)) for email, score in reversed(members)]

    def _rank_below(self, key: str, score: int, email: str) -> int:
        """How many entries of the index `key` sort before (score, email): ZRANK when the
        entry is still there, else a binary search over the entries of that score (Redis
        orders them by bytes, which for UTF-8 is the order of Python's str comparison)."""
        if self.redis.zscore(key, email) == score:
            return self.redis.zrank(key, email)
        low, high = (
            self.redis.zcount(key, "-inf", f"({score}"),
            self.redis.zcount(key, "-inf", score),
        )
        while low < high:
            middle = (low + high) // 2
            found = self.redis.zrange(key, middle, middle)
            if not found or found[0] >= email:
                high = middle
            else:
                low = middle + 1
        return low

    def change_log(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        """The oldest `count` changes, oldest first (each shard's, merged by stream id)."""
        found = []
        for shard in range(self.shards):
            found += self.redis.xrange(self.change_log_key_of(shard), count=count)
        return sorted(found, key=lambda entry: stream_order(entry[0]))[:count]

    def _newest(self, name: str, count: int) -> list[tuple[str, dict[str, str]]]:
        found = []
        for shard in range(self.shards):
            found += self.redis.xrevrange(self.shard_key(shard, name), count=count)
        return sorted(found, key=lambda entry: stream_order(entry[0]), reverse=True)[:count]

    def audit_log(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        return self._newest("audit", count)

    def alerts(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        return self._newest("alerts", count)

    def domain_day(self, domain: str, at_ms: int) -> dict[str, int]:
        """A domain's counters of one day, summed over the shards."""
        total: dict[str, int] = {}
        for shard in range(self.shards):
            counts = self.redis.hgetall(self.domain_day_key(domain, at_ms, shard))
            for field, value in counts.items():
                total[field] = total.get(field, 0) + int(value)
        return total

    def ping(self) -> bool:
        return bool(self.redis.ping())


@dataclass(frozen=True, slots=True)
class ContactState:
    """One contact's soft state and recent history, as the CONTACT_JSON script renders it."""

    reset_at_ms: int
    lifted_at_ms: int
    events: int
    days: dict[int, float]
    history: list[dict[str, Any]]

    @classmethod
    def decode(cls, raw: str) -> ContactState:
        data = json.loads(raw)
        history = [
            {"at": at, "code": int(code) if code not in ("", None) else None, "action": action,
             "provider": provider, "message_id": message_ids.unpack(bytes.fromhex(packed_id)),
             "diagnostic": diagnostic}
            for at, code, action, provider, diagnostic, packed_id in data.get("h") or []
        ]  # fmt: skip
        return cls(
            reset_at_ms=int(data.get("r") or 0),
            lifted_at_ms=int(data.get("l") or 0),
            events=int(data.get("n") or 0),
            days={int(d): float(w) for d, w in (data.get("d") or {}).items()},
            history=history,
        )
