"""Every Redis key and script of bouncekeeper lives here, and nowhere else.

Per-contact keys carry the normalized address as a `{hash tag}`, so all of one contact's
state lands in one Redis Cluster slot. Two keys are global: the change log (a stream the sync
reads) and the suppression index (a sorted set for listing and counting). One event is applied
by one Lua script: dedup, soft score, suppression record and change-log entry commit together
or not at all, and a redelivered task finds its events already counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

# KEYS: 1 contact, 2 soft days, 3 history, 4 suppression, 5 dedup, 6 change log, 7 index
# ARGV: 1 dedup ttl s, 2 action, 3 weight, 4 day, 5 occurred ms, 6 window days, 7 threshold,
#       8 email, 9 code, 10 category, 11 source, 12 history cap, 13 history json, 14 now ms,
#       15 diagnostic, 16 matched_by, 17 provider, 18 message id, 19 event id
_APPLY_EVENT = """
-- Parse every argument before the first write: Redis does not roll back a script that fails
-- half-way, and a dedup mark without its effect would lose the event on redelivery.
local action, day, at = ARGV[2], tonumber(ARGV[4]), tonumber(ARGV[5])
local window, now = tonumber(ARGV[6]), ARGV[14]
local weight, threshold, cap = tonumber(ARGV[3]), tonumber(ARGV[7]), tonumber(ARGV[12])
if not (day and at and window and weight and threshold and cap) then
  return redis.error_reply('apply_event: non-numeric argument')
end
if not redis.call('SET', KEYS[5], '1', 'NX', 'EX', ARGV[1]) then
  return {'duplicate', ''}
end
redis.call('LPUSH', KEYS[3], ARGV[13])
redis.call('LTRIM', KEYS[3], 0, cap - 1)
redis.call('HINCRBY', KEYS[1], 'events', 1)
redis.call('HSET', KEYS[1], 'last_at', ARGV[5], 'last_code', ARGV[9],
  'last_category', ARGV[10], 'last_diagnostic', ARGV[15], 'last_provider', ARGV[17])

local function suppress(source)
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('HSET', KEYS[4], 'last_seen_at', now)
    redis.call('HINCRBY', KEYS[4], 'hits', 1)
    return false
  end
  redis.call('HSET', KEYS[4], 'email', ARGV[8], 'code', ARGV[9], 'category', ARGV[10],
    'source', source, 'created_at', now, 'updated_at', now, 'last_seen_at', now,
    'hits', 1, 'occurred_at', ARGV[5], 'diagnostic', ARGV[15], 'matched_by', ARGV[16],
    'provider', ARGV[17], 'message_id', ARGV[18], 'event_id', ARGV[19])
  redis.call('ZADD', KEYS[7], now, ARGV[8])
  redis.call('XADD', KEYS[6], '*', 'op', 'add', 'email', ARGV[8], 'code', ARGV[9],
    'category', ARGV[10], 'source', source, 'at', now)
  return true
end

if action == 'suppress' then
  if suppress(ARGV[11]) then return {'suppressed', ''} end
  return {'already_suppressed', ''}
end

if action == 'reset' then
  local reset_at = tonumber(redis.call('HGET', KEYS[1], 'reset_at') or '0')
  if at > reset_at then redis.call('HSET', KEYS[1], 'reset_at', ARGV[5]) end
  for _, d in ipairs(redis.call('HKEYS', KEYS[2])) do
    if tonumber(d) <= day then redis.call('HDEL', KEYS[2], d) end
  end
  return {'reset', ''}
end

if action ~= 'soft' then
  return {'recorded', ''}
end

if at <= tonumber(redis.call('HGET', KEYS[1], 'reset_at') or '0') then
  return {'before_reset', ''}
end
local weights, newest = {}, nil
local flat = redis.call('HGETALL', KEYS[2])
for i = 1, #flat, 2 do
  local d = tonumber(flat[i])
  weights[d] = tonumber(flat[i + 1])
  if newest == nil or d > newest then newest = d end
end
if newest ~= nil and day <= newest - window then
  return {'stale', ''}
end
if weights[day] == nil or weight > weights[day] then
  weights[day] = weight
  redis.call('HSET', KEYS[2], day, ARGV[3])
end
if newest == nil or day > newest then newest = day end
for d, _ in pairs(weights) do
  if d <= newest - 2 * window then
    weights[d] = nil
    redis.call('HDEL', KEYS[2], d)
  end
end
local best = 0
for e, _ in pairs(weights) do
  if e >= day and e < day + window then
    local sum = 0
    for d, w in pairs(weights) do
      if d > e - window and d <= e then sum = sum + w end
    end
    if sum > best then best = sum end
  end
end
if best >= threshold then
  if suppress('escalated') then return {'escalated', tostring(best)} end
  return {'already_suppressed', tostring(best)}
end
return {'counted', tostring(best)}
"""


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
    history: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    email: str
    result: str  # duplicate | suppressed | escalated | counted | stale | before_reset | ...
    score: float | None


class Store:
    """Typed access to bouncekeeper's Redis state."""

    HISTORY_CAP = 20
    DEAD_LETTER_CAP = 1000

    def __init__(self, client: redis.Redis, prefix: str = "bk", dedup_ttl_s: int = 259_200):
        self.redis = client
        self.prefix = prefix
        self.dedup_ttl_s = dedup_ttl_s
        self._apply = client.register_script(_APPLY_EVENT)

    @classmethod
    def from_url(cls, url: str, prefix: str = "bk", dedup_ttl_s: int = 259_200) -> Store:
        client = redis.Redis.from_url(url, decode_responses=True, health_check_interval=30)
        return cls(client, prefix, dedup_ttl_s)

    # -- keys -----------------------------------------------------------------------------
    def _contact_key(self, kind: str, email: str) -> str:
        return f"{self.prefix}:{kind}:{{{email}}}"

    def contact_key(self, email: str) -> str:
        return self._contact_key("contact", email)

    def soft_days_key(self, email: str) -> str:
        return self._contact_key("soft", email)

    def history_key(self, email: str) -> str:
        return self._contact_key("history", email)

    def suppression_key(self, email: str) -> str:
        return self._contact_key("suppression", email)

    def dedup_key(self, email: str, event_id: str) -> str:
        return f"{self._contact_key('seen', email)}:{event_id}"

    @property
    def change_log_key(self) -> str:
        return f"{self.prefix}:changes"

    @property
    def suppression_index_key(self) -> str:
        return f"{self.prefix}:suppressed"

    @property
    def dead_letter_key(self) -> str:
        return f"{self.prefix}:deadletter"

    @property
    def heartbeat_key(self) -> str:
        return f"{self.prefix}:heartbeat"

    # -- writes ---------------------------------------------------------------------------
    def _keys(self, email: str, event_id: str) -> list[str]:
        return [
            self.contact_key(email),
            self.soft_days_key(email),
            self.history_key(email),
            self.suppression_key(email),
            self.dedup_key(email, event_id),
            self.change_log_key,
            self.suppression_index_key,
        ]

    def _args(self, item: Application, window_days: int, threshold: float, now_ms: int) -> list:
        return [
            self.dedup_ttl_s,
            item.action,
            repr(float(item.weight)),
            item.occurred_at_ms // 86_400_000,
            item.occurred_at_ms,
            window_days,
            repr(float(threshold)),
            item.email,
            "" if item.code is None else item.code,
            item.category,
            item.source,
            self.HISTORY_CAP,
            json.dumps(item.history, separators=(",", ":")),
            now_ms,
            item.diagnostic,
            item.matched_by,
            item.provider,
            item.message_id,
            item.event_id,
        ]

    def apply(
        self, applications: list[Application], window_days: int, threshold: float, now_ms: int
    ) -> list[Outcome]:
        """Apply a batch in one round trip; each event is its own atomic script call, so a
        batch cut short by a failure is safe to replay."""
        pipe = self.redis.pipeline(transaction=False)
        for item in applications:
            self._apply(
                keys=self._keys(item.email, item.event_id),
                args=self._args(item, window_days, threshold, now_ms),
                client=pipe,
            )
        replies = pipe.execute()
        return [
            Outcome(item.email, result, float(score) if score else None)
            for item, (result, score) in zip(applications, replies, strict=True)
        ]

    def dead_letter(self, provider: str, payload: Any, error: str, now_ms: int) -> None:
        """Keep poison input for an operator to inspect, capped so it cannot fill Redis."""
        entry = json.dumps({"at": now_ms, "provider": provider, "error": error, "payload": payload})
        pipe = self.redis.pipeline(transaction=True)
        pipe.lpush(self.dead_letter_key, entry)
        pipe.ltrim(self.dead_letter_key, 0, self.DEAD_LETTER_CAP - 1)
        pipe.execute()

    def record_heartbeat(self, now_ms: int) -> None:
        self.redis.set(self.heartbeat_key, now_ms)

    def last_heartbeat(self) -> int | None:
        value = self.redis.get(self.heartbeat_key)
        return int(value) if value else None

    # -- reads ----------------------------------------------------------------------------
    def suppression(self, email: str) -> dict[str, str] | None:
        record = self.redis.hgetall(self.suppression_key(email))
        return record or None

    def contact(self, email: str) -> dict[str, Any] | None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.hgetall(self.contact_key(email))
        pipe.hgetall(self.soft_days_key(email))
        pipe.lrange(self.history_key(email), 0, -1)
        summary, days, history = pipe.execute()
        if not summary:
            return None
        return {
            "summary": summary,
            "days": {int(d): float(w) for d, w in days.items()},
            "history": [json.loads(item) for item in history],
        }

    def change_log(self, count: int = 100) -> list[tuple[str, dict[str, str]]]:
        return self.redis.xrange(self.change_log_key, count=count)

    def ping(self) -> bool:
        return bool(self.redis.ping())
