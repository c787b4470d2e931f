"""Every Redis key and script of bouncekeeper lives in this package, and nowhere else.

Per-contact keys carry the normalized address as a `{hash tag}` and per-domain keys the
domain, so each lands in one Redis Cluster slot. Global keys: the change log (stream the sync
reads), the suppression index (sorted set for listing and counting), the audit and alert
streams, the dead-letter list and beat's heartbeat. The event script writes contact, domain and
global keys together, so Cluster support would need the script split (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgpack
import redis

from app.policy import MS_PER_DAY, utc_day
from app.store import lua, message_ids, reports
from app.store.connect import client_from_url
from app.store.dead_letters import DeadLetter
from app.store.heartbeat import Heartbeat

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

    def __init__(self, client: redis.Redis, prefix: str = "bk", dedup_ttl_s: int = 259_200):
        self.redis = client
        self.prefix = prefix
        self.dedup_ttl_ms = dedup_ttl_s * 1000
        self._apply = client.register_script(lua.APPLY_EVENTS)
        self._unsuppress = client.register_script(lua.UNSUPPRESS)
        self._suppress = client.register_script(lua.SUPPRESS)
        self._claim_nonce = client.register_script(lua.CLAIM_NONCE)
        self._suppress_many = client.register_script(lua.SUPPRESS_MANY)
        self._contact_json = client.register_script(lua.CONTACT_JSON)
        self._heartbeat = client.register_script(lua.HEARTBEAT)

    @classmethod
    def from_url(cls, url: str, prefix: str = "bk", dedup_ttl_s: int = 259_200) -> Store:
        """`url` is `REDIS_URL`: one server, or a master under Sentinel (app/store/connect.py)."""
        client = client_from_url(url, decode_responses=True, health_check_interval=30)
        return cls(client, prefix, dedup_ttl_s)

    # -- keys -----------------------------------------------------------------------------
    def contact_key(self, email: str) -> str:
        return f"{self.prefix}:contact:{{{email}}}"

    def suppression_key(self, email: str) -> str:
        return f"{self.prefix}:suppression:{{{email}}}"

    def domain_hour_key(self, domain: str, at_ms: int) -> str:
        return f"{self.prefix}:domain:{{{domain}}}:hour:{at_ms // HOUR_MS}"

    def domain_day_key(self, domain: str, at_ms: int) -> str:
        return f"{self.prefix}:domain:{{{domain}}}:day:{utc_day(at_ms)}"

    def nonce_key(self, provider: str, nonce: str) -> str:
        digest = hashlib.blake2b(nonce.encode(), digest_size=16).hexdigest()
        return f"{self.prefix}:nonce:{provider}:{digest}"

    @property
    def change_log_key(self) -> str:
        return f"{self.prefix}:changes"

    @property
    def suppression_index_key(self) -> str:
        return f"{self.prefix}:suppressed"

    @property
    def audit_key(self) -> str:
        return f"{self.prefix}:audit"

    @property
    def alerts_key(self) -> str:
        return f"{self.prefix}:alerts"

    @property
    def dead_letter_key(self) -> str:
        return f"{self.prefix}:deadletter"

    @property
    def heartbeat_key(self) -> str:
        return f"{self.prefix}:heartbeat"

    @property
    def heartbeat_server_key(self) -> str:
        return f"{self.prefix}:heartbeat:server"

    @property
    def probe_key(self) -> str:
        return f"{self.prefix}:readyz:probe"

    def _stats_now_key(self, now_ms: int) -> str:
        """The day counters new suppressions are counted in: the day they are made."""
        return reports.stats_day_key(self.prefix, utc_day(now_ms))

    def state_ttl_ms(self, window_days: int) -> int:
        """Contact state outlives both the window and the dedup horizon by a day, then goes."""
        return max((window_days + 1) * MS_PER_DAY, self.dedup_ttl_ms + MS_PER_DAY)

    # -- writes ---------------------------------------------------------------------------
    def _batch_call(self, items: list[Application], limits: Limits, now_ms: int) -> dict[str, list]:
        """The APPLY_EVENTS call for `items`: its KEYS (each key once) and its two arguments."""
        keys = [self.change_log_key, self.suppression_index_key, self.alerts_key]
        keys += [reports.events_key(self.prefix), self.audit_key, self._stats_now_key(now_ms)]
        position: dict[str, int] = {keys[-1]: len(keys)}

        def at(key: str) -> int:
            if key not in position:
                keys.append(key)
                position[key] = len(keys)
            return position[key]

        events, binary = [], []
        for item in items:
            domain = item.email.rpartition("@")[2]
            *stat_keys, _ = reports.event_stat_keys(self.prefix, item.occurred_at_ms)
            event_keys = (
                self.contact_key(item.email),
                self.suppression_key(item.email),
                self.domain_hour_key(domain, item.occurred_at_ms),
                self.domain_day_key(domain, item.occurred_at_ms),
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
            limits.alert_min_rejections,
            float(limits.alert_min_ratio),
            self.DOMAIN_COUNTER_TTL_MS,
            events,
        ]
        # bytes as MessagePack's raw strings, which Lua's cmsgpack reads as Lua strings
        packed = msgpack.packb(binary, use_bin_type=False)
        args = [json.dumps(common, separators=(",", ":")), packed]
        return {"keys": keys, "args": args}

    def apply(self, applications: list[Application], limits: Limits, now_ms: int) -> list[Outcome]:
        """Apply a batch in one round trip, APPLY_BATCH events per script call. Each call
        applies its events in order, each as if alone; one that fails ends its call with the
        events before it applied, so a batch cut short by a failure is safe to replay."""
        pipe = self.redis.pipeline(transaction=False)
        for start in range(0, len(applications), self.APPLY_BATCH):
            chunk = applications[start : start + self.APPLY_BATCH]
            self._apply(**self._batch_call(chunk, limits, now_ms), client=pipe)
        replies = [reply for batch in pipe.execute() for reply in batch]
        return [
            Outcome(item.email, result, float(score) if score else None)
            for item, (result, score) in zip(applications, replies, strict=True)
        ]

    def unsuppress(
        self, email: str, actor: str, reason: str, now_ms: int, window_days: int, force: bool
    ) -> str:
        """'removed', 'not_suppressed' or 'complaint' (a complaint is lifted only with force)."""
        keys = [
            self.contact_key(email),
            self.suppression_key(email),
            self.change_log_key,
            self.suppression_index_key,
            self.audit_key,
        ]
        args = [now_ms, actor, reason, "1" if force else "0", self.state_ttl_ms(window_days)]
        return self._unsuppress(keys=keys, args=args)

    def suppress(self, record: dict[str, str], actor: str, reason: str, now_ms: int) -> str:
        """An operator's (or a policy re-evaluation's) suppression, audited: 'suppressed' or
        'already_suppressed'. `record` has email, code, category, source and diagnostic."""
        email = record["email"]
        keys = [
            self.suppression_key(email),
            self.change_log_key,
            self.suppression_index_key,
            self.audit_key,
        ]
        keys.append(self._stats_now_key(now_ms))
        args = [now_ms, email, record.get("code", ""), record.get("category", "")]
        args += [record["source"], record.get("diagnostic", ""), actor, reason]
        args.append(self.DOMAIN_COUNTER_TTL_MS)
        return self._suppress(keys=keys, args=args)

    def suppress_many(
        self, records: list[dict[str, str]], actor: str, reason: str, now_ms: int
    ) -> list[str]:
        """`suppress` for a batch (bulk import) in one script call: the same writes and answer
        per record, in order. A batch cut short by a failure is safe to send again."""
        keys = [self.change_log_key, self.suppression_index_key, self.audit_key]
        keys.append(self._stats_now_key(now_ms))
        keys += [self.suppression_key(record["email"]) for record in records]
        rows = [
            [r["email"], r.get("code", ""), r.get("category", ""), r["source"],
             r.get("diagnostic", "")]
            for r in records
        ]  # fmt: skip
        payload = json.dumps(
            [str(now_ms), actor, reason, rows, self.DOMAIN_COUNTER_TTL_MS], separators=(",", ":")
        )
        return self._suppress_many(keys=keys, args=[payload])

    def suppressed_emails(self, batch: int = 1000) -> Iterator[str]:
        for email, _ in self.redis.zscan_iter(self.suppression_index_key, count=batch):
            yield email

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
        pipe = self.redis.pipeline(transaction=False)
        pipe.time()
        pipe.set(self.probe_key, "1", px=self.PROBE_TTL_MS)
        pipe.mget(self.heartbeat_key, self.heartbeat_server_key)
        (seconds, micros), _, stamps = pipe.execute()
        return seconds * 1000 + micros // 1000, Heartbeat.read(*stamps)

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
        pipe = self.redis.pipeline(transaction=False)
        for email in emails:
            self._contact_json(keys=[self.contact_key(email)], client=pipe)
        return [ContactState.decode(raw) if raw else None for raw in pipe.execute()]

    def contacts(self, batch: int = 500) -> Iterator[tuple[str, ContactState]]:
        """Every tracked contact (SCAN: safe on a live server, may repeat under rehashing)."""
        prefix = self.contact_key("")[:-2]
        for key in self.redis.scan_iter(match=f"{prefix}{{*}}", count=batch):
            raw = self._contact_json(keys=[key])
            if raw:
                yield key[len(prefix) + 1 : -1], ContactState.decode(raw)

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
        is a (score, email) pair, so pages stay right while suppressions come and go."""
        key = self.suppression_index_key
        top = "+inf" if until_ms is None else until_ms
        end = self.redis.zcount(key, "-inf", top)
        if after is not None:
            end = min(end, self._rank_below(*after))
        start = 0 if since_ms is None else self.redis.zcount(key, "-inf", f"({since_ms}")
        low = max(start, end - count)
        if low >= end:
            return []
        members = self.redis.zrange(key, low, end - 1, withscores=True)
        return [(email, int(score)) for email, score in reversed(members)]

    def _rank_below(self, score: int, email: str) -> int:
        """How many index entries sort before (score, email): ZRANK when the entry is still
        there, else a binary search over the entries of that score (Redis orders them by
        bytes, which for UTF-8 is the order of Python's str comparison)."""
        key = self.suppression_index_key
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
        return self.redis.xrange(self.change_log_key, count=count)

    def audit_log(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        return self.redis.xrevrange(self.audit_key, count=count)

    def alerts(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        return self.redis.xrevrange(self.alerts_key, count=count)

    def domain_day(self, domain: str, at_ms: int) -> dict[str, int]:
        counts = self.redis.hgetall(self.domain_day_key(domain, at_ms))
        return {k: int(v) for k, v in counts.items()}

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
