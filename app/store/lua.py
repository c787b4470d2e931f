"""The Lua scripts behind app.store: each multi-step update is one script, so it commits whole.

Every script reads and computes first and writes last: Redis does not roll back a script that
fails half-way, and a dedup mark without its effect would lose an event on redelivery.

The contact's state is one MessagePack string (`cmsgpack`), one key per contact, because
per-contact memory is the store's main cost (bench/RESULTS.md): STATE_CODEC below packs it and
docs/ARCHITECTURE.md describes the layout. Inside a script the state is the plain table
  r: reset_at ms   l: lifted_at ms (an operator's unsuppress)   n: events applied
  d: {utc day: heaviest weight}   e: {8-byte event digest: seen s}
  h: history, newest first, packed as STATE_CODEC says
"""

# Shared by every script that reads or writes a contact's state. Stored, the state is the
# array [r, l, n, d, e, h]. One contact's bounces mostly repeat their provider, action, code,
# diagnostic and the message id's domain, so only the newest history entry is whole:
# {occurred ms, code, action, provider, message id up to its last '@', the rest of the
# message id, diagnostic}, with actions and known providers as small ints. Each older entry
# holds its time as ms before the newer entry's and `false` for any other field equal to the
# newer entry's. A new event thus re-packs one entry, and dropping the oldest needs nothing.
# A state in the first format (a map with 16-hex digests and whole entries) is read as well
# and written back in this one.
STATE_CODEC = """
local ACTION_ID = {suppress = 1, soft = 2, sender_side = 3, ignore = 4, reset = 5}
local ACTION_NAME = {'suppress', 'soft', 'sender_side', 'ignore', 'reset'}
-- append only: the numbers are stored
local PROVIDER_NAME = {'zeptomail', 'sendgrid', 'ses', 'mailgun', 'postmark', 'sparkpost', 'brevo',
  'mailjet', 'generic'}
local PROVIDER_ID = {}
for id, name in ipairs(PROVIDER_NAME) do PROVIDER_ID[name] = id end

-- the first 16 hex characters of a SHA-1 as its first 8 bytes
local function digest_bytes(hex)
  return struct.pack('>I4I4', tonumber(string.sub(hex, 1, 8), 16),
    tonumber(string.sub(hex, 9, 16), 16))
end

local function history_row(at, code, action, provider, message_id, diagnostic)
  local cut = string.find(message_id, '@[^@]*$') or #message_id + 1
  return {at, code, ACTION_ID[action] or action, PROVIDER_ID[provider] or provider,
    string.sub(message_id, 1, cut - 1), string.sub(message_id, cut), diagnostic}
end

-- put a whole row in front; the entry that was newest becomes relative to it
local function push_history(h, row, cap)
  local newer = h[1]
  if newer then
    newer[1] = row[1] - newer[1]
    for f = 2, 7 do
      if newer[f] == row[f] then newer[f] = false end
    end
  end
  table.insert(h, 1, row)
  while #h > cap do table.remove(h) end
end

-- {occurred ms, code, action, provider, message id, diagnostic} per entry, newest first
local function history_entries(h)
  local entries, newer = {}, nil
  for i = 1, #h do
    local row = h[i]
    if newer then
      local whole = {newer[1] - row[1]}
      for f = 2, 7 do
        if row[f] == false then whole[f] = newer[f] else whole[f] = row[f] end
      end
      row = whole
    end
    entries[i] = {row[1], row[2], ACTION_NAME[row[3]] or row[3], PROVIDER_NAME[row[4]] or row[4],
      row[5] .. row[6], row[7]}
    newer = row
  end
  return entries
end

local function load_state(raw)
  if not raw then return {r = 0, l = 0, n = 0, d = {}, e = {}, h = {}} end
  local s = cmsgpack.unpack(raw)
  if not s.n then return {r = s[1], l = s[2], n = s[3], d = s[4], e = s[5], h = s[6]} end
  local e, h = {}, {}
  for hex, seen in pairs(s.e) do e[digest_bytes(hex)] = seen end
  for i = #s.h, 1, -1 do
    local x = s.h[i]
    push_history(h, history_row(x[1], x[2], x[3], x[4], x[5], x[6]), #s.h)
  end
  return {r = s.r, l = s.l or 0, n = s.n, d = s.d, e = e, h = h}
end

local function dump_state(s)
  return cmsgpack.pack({s.r, s.l, s.n, s.d, s.e, s.h})
end
"""

# KEYS: 1 contact state, 2 suppression, 3 change log, 4 suppression index,
#       5 domain-hour counters, 6 domain-day counters, 7 alerts stream,
#       8 stats day hash, 9 stats day domains, 10 stats day sender-side domains, 11 events stream
# ARGV[1]: one JSON array A (one argument is far cheaper for the client to send than 23):
#       1 now ms, 2 dedup ttl ms, 3 state ttl ms, 4 event id, 5 action, 6 weight,
#       7 occurred ms, 8 window days, 9 threshold, 10 email, 11 code, 12 category, 13 source,
#       14 history cap, 15 dedup cap, 16 provider, 17 message id, 18 diagnostic, 19 matched_by,
#       20 alert min rejections, 21 alert min ratio, 22 domain, 23 domain counter ttl ms
APPLY_EVENT = (
    STATE_CODEC
    + """
local A = cjson.decode(ARGV[1])
local now, dedup_ttl, state_ttl = tonumber(A[1]), tonumber(A[2]), tonumber(A[3])
local event_id, action, weight, at = A[4], A[5], tonumber(A[6]), tonumber(A[7])
local window, threshold = tonumber(A[8]), tonumber(A[9])
local email, code, category, source = A[10], A[11], A[12], A[13]
local history_cap, dedup_cap = tonumber(A[14]), tonumber(A[15])
local alert_min, alert_ratio = tonumber(A[20]), tonumber(A[21])
local domain, domain_ttl = A[22], tonumber(A[23])
if not (now and dedup_ttl and state_ttl and weight and at and window and threshold
        and history_cap and dedup_cap and alert_min and alert_ratio and domain_ttl) then
  return redis.error_reply('apply_event: non-numeric argument')
end
local day = math.floor(at / 86400000)

local state = load_state(redis.call('GET', KEYS[1]))
local now_s, dedup_ttl_s = math.floor(now / 1000), math.floor(dedup_ttl / 1000)
-- dedup ids: forget those past their ttl, and the oldest beyond the cap
local ids = {}
for id, seen in pairs(state.e) do
  if seen <= now_s - dedup_ttl_s then state.e[id] = nil else ids[#ids + 1] = id end
end
local digest = digest_bytes(redis.sha1hex(event_id))  -- 64 bits: see docs/POLICY.md
if state.e[digest] then
  return {'duplicate', ''}
end
if #ids >= dedup_cap then
  table.sort(ids, function(a, b) return state.e[a] < state.e[b] end)
  for i = 1, #ids - dedup_cap + 1 do state.e[ids[i]] = nil end
end
state.e[digest] = now_s
state.n = state.n + 1
push_history(state.h, history_row(at, tonumber(code) or code, action, A[16], A[17], A[18]),
  history_cap)

local existing = redis.call('HGET', KEYS[2], 'source')
local result, score, suppress_as = 'recorded', '', nil

if action == 'suppress' then
  if at <= state.l then
    result = 'before_lift'
  elseif not existing then
    result, suppress_as = 'suppressed', source
  elseif source == 'complaint' and existing ~= 'complaint' then
    result, suppress_as = 'upgraded', source
  else
    result = 'already_suppressed'
  end
elseif action == 'reset' then
  if at > state.r then state.r = at end
  for d, _ in pairs(state.d) do
    if d <= day then state.d[d] = nil end
  end
  result = 'reset'
elseif action == 'soft' then
  local newest = nil
  for d, _ in pairs(state.d) do
    if newest == nil or d > newest then newest = d end
  end
  if at <= state.r then
    result = 'before_reset'
  elseif newest ~= nil and day <= newest - window then
    result = 'stale'
  else
    if state.d[day] == nil or weight > state.d[day] then state.d[day] = weight end
    if newest == nil or day > newest then newest = day end
    for d, _ in pairs(state.d) do
      if d <= newest - 2 * window then state.d[d] = nil end
    end
    local best = 0
    for e, _ in pairs(state.d) do
      if e >= day and e < day + window then
        local sum = 0
        for d, w in pairs(state.d) do
          if d > e - window and d <= e then sum = sum + w end
        end
        if sum > best then best = sum end
      end
    end
    score = tostring(best)
    if best < threshold then
      result = 'counted'
    elseif existing then
      result = 'already_suppressed'
    else
      result, suppress_as = 'escalated', 'escalated'
    end
  end
end

-- writes, all after the last possible error
redis.call('SET', KEYS[1], dump_state(state), 'PX', state_ttl)
if suppress_as then
  if existing then
    redis.call('HSET', KEYS[2], 'source', suppress_as, 'previous_source', existing,
      'updated_at', now, 'last_seen_at', now)
  else
    redis.call('HSET', KEYS[2], 'email', email, 'code', code, 'category', category,
      'source', suppress_as, 'created_at', now, 'updated_at', now, 'last_seen_at', now,
      'hits', 1, 'occurred_at', at, 'diagnostic', A[18], 'matched_by', A[19],
      'provider', A[16], 'message_id', A[17], 'event_id', event_id)
    redis.call('ZADD', KEYS[4], now, email)
  end
  redis.call('XADD', KEYS[3], '*', 'op', 'add', 'email', email, 'code', code,
    'category', category, 'source', suppress_as, 'at', now)
elseif existing and result == 'already_suppressed' then
  redis.call('HSET', KEYS[2], 'last_seen_at', now)
  redis.call('HINCRBY', KEYS[2], 'hits', 1)
end
if domain ~= '' then
  -- a counter's ttl is set when it is created, not on every event: two calls saved
  local total = redis.call('HINCRBY', KEYS[5], 'total', 1)
  if total == 1 then redis.call('PEXPIRE', KEYS[5], domain_ttl) end
  if redis.call('HINCRBY', KEYS[6], 'total', 1) == 1 then
    redis.call('PEXPIRE', KEYS[6], domain_ttl)
  end
  if action == 'sender_side' then
    local rejected = redis.call('HINCRBY', KEYS[5], 'sender_side', 1)
    redis.call('HINCRBY', KEYS[6], 'sender_side', 1)
    if rejected >= alert_min and rejected >= alert_ratio * total
        and redis.call('HSETNX', KEYS[5], 'alerted', now) == 1 then
      redis.call('XADD', KEYS[7], 'MAXLEN', '~', 10000, '*', 'domain', domain,
        'hour', math.floor(at / 3600000) * 3600000, 'sender_side', rejected, 'total', total,
        'code', code, 'at', now)
      result = 'sender_side_alert'
    end
  end
end
-- stats: every applied event counted on its day, and a capped stream of the recent ones
local provider = A[16]
if redis.call('HINCRBY', KEYS[8], 'total', 1) == 1 then
  redis.call('PEXPIRE', KEYS[8], domain_ttl)  -- day keys get their TTL once, when created
end
redis.call('HINCRBY', KEYS[8], 'code:' .. (code ~= '' and code or 'none'), 1)
redis.call('HINCRBY', KEYS[8], 'category:' .. (category ~= '' and category or 'none'), 1)
redis.call('HINCRBY', KEYS[8], 'provider:' .. provider, 1)
redis.call('HINCRBY', KEYS[8], 'action:' .. action, 1)
local function count_domain(key)
  if tonumber(redis.call('ZINCRBY', key, 1, domain)) == 1 and redis.call('ZCARD', key) == 1 then
    redis.call('PEXPIRE', key, domain_ttl)
  end
end
if domain ~= '' then
  count_domain(KEYS[9])
  if action == 'sender_side' then count_domain(KEYS[10]) end
end
redis.call('XADD', KEYS[11], 'MAXLEN', '~', 10000, '*', 'email', email, 'domain', domain,
  'code', code, 'category', category, 'action', action, 'result', result,
  'provider', provider, 'at', at, 'diagnostic', string.sub(A[18], 1, 200))
return {result, score}
"""
)

# KEYS: 1 contact state, 2 suppression, 3 change log, 4 suppression index, 5 audit stream
# ARGV: 1 now ms, 2 actor, 3 reason, 4 force ('1' lifts a complaint), 5 state ttl ms
UNSUPPRESS = (
    STATE_CODEC
    + """
local now, state_ttl = tonumber(ARGV[1]), tonumber(ARGV[5])
if not (now and state_ttl) then return redis.error_reply('unsuppress: non-numeric argument') end
local record = redis.call('HGETALL', KEYS[2])
if #record == 0 then return 'not_suppressed' end
local fields = {}
for i = 1, #record, 2 do fields[record[i]] = record[i + 1] end
if fields.source == 'complaint' and ARGV[4] ~= '1' then return 'complaint' end
local raw = redis.call('GET', KEYS[1])
if raw then
  local state = load_state(raw)
  state.d = {}
  if now > state.r then state.r = now end
  state.l = now
  redis.call('SET', KEYS[1], dump_state(state), 'PX', state_ttl)
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[4], fields.email)
redis.call('XADD', KEYS[3], '*', 'op', 'remove', 'email', fields.email, 'code', fields.code or '',
  'category', fields.category or '', 'source', fields.source, 'at', now)
redis.call('XADD', KEYS[5], '*', 'op', 'unsuppress', 'email', fields.email, 'actor', ARGV[2],
  'reason', ARGV[3], 'previous_source', fields.source, 'previous_code', fields.code or '',
  'at', now)
return 'removed'
"""
)

# KEYS: 1 suppression, 2 change log, 3 suppression index, 4 audit stream
# ARGV: 1 now ms, 2 email, 3 code, 4 category, 5 source, 6 diagnostic, 7 actor, 8 reason
SUPPRESS = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 'already_suppressed' end
redis.call('HSET', KEYS[1], 'email', ARGV[2], 'code', ARGV[3], 'category', ARGV[4],
  'source', ARGV[5], 'created_at', ARGV[1], 'updated_at', ARGV[1], 'last_seen_at', ARGV[1],
  'hits', 1, 'diagnostic', ARGV[6], 'matched_by', 'operator:' .. ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('XADD', KEYS[2], '*', 'op', 'add', 'email', ARGV[2], 'code', ARGV[3],
  'category', ARGV[4], 'source', ARGV[5], 'at', ARGV[1])
redis.call('XADD', KEYS[4], '*', 'op', 'suppress', 'email', ARGV[2], 'actor', ARGV[7],
  'reason', ARGV[8], 'source', ARGV[5], 'code', ARGV[3], 'at', ARGV[1])
return 'suppressed'
"""

# The SUPPRESS script over a batch (bulk import): the same writes per record, one call for up to
# a thousand, so neither the client nor Redis pays per-call costs a million times.
# KEYS: 1 change log, 2 suppression index, 3 audit stream, then one suppression key per record
# ARGV[1]: JSON [now ms as text, actor, reason, [[email, code, category, source, diagnostic]...]]
SUPPRESS_MANY = """
local A = cjson.decode(ARGV[1])
local now, actor, reason, records = A[1], A[2], A[3], A[4]
if type(now) ~= 'string' or not tonumber(now) then
  return redis.error_reply('suppress_many: now must be a numeric string')
end
local results = {}
for i, r in ipairs(records) do
  local key = KEYS[i + 3]
  if redis.call('EXISTS', key) == 1 then
    results[i] = 'already_suppressed'
  else
    local email, code, category, source, diagnostic = r[1], r[2], r[3], r[4], r[5]
    redis.call('HSET', key, 'email', email, 'code', code, 'category', category,
      'source', source, 'created_at', now, 'updated_at', now, 'last_seen_at', now,
      'hits', 1, 'diagnostic', diagnostic, 'matched_by', 'operator:' .. actor)
    redis.call('ZADD', KEYS[2], now, email)
    redis.call('XADD', KEYS[1], '*', 'op', 'add', 'email', email, 'code', code,
      'category', category, 'source', source, 'at', now)
    redis.call('XADD', KEYS[3], '*', 'op', 'suppress', 'email', email, 'actor', actor,
      'reason', reason, 'source', source, 'code', code, 'at', now)
    results[i] = 'suppressed'
  end
end
return results
"""

# KEYS: 1 contact state. The state as JSON for the Python side (days as string keys: JSON
# objects have no integer keys), so clients keep decoding replies as text.
CONTACT_JSON = (
    STATE_CODEC
    + """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local state = load_state(raw)
local days = {}
for d, w in pairs(state.d) do days[tostring(d)] = w end
return cjson.encode({r = state.r, l = state.l, n = state.n, d = days,
  h = history_entries(state.h)})
"""
)

# The sync scripts. A sink's lock is a random token with a lease (SET NX PX); every write a
# sync run makes checks that it still holds the token, so a run whose lease ran out (a stalled
# worker) can neither move the cursor nor clobber the run that took over.

# KEYS: 1 sync state hash, 2 lock, 3 failed-entries hash
# ARGV: 1 token, 2 cursor the batch was read after, 3 id of the batch's last entry, 4 now ms,
#       5 lease ms, 6 JSON array of the addresses the sink accepted,
#       7 JSON object {address: JSON detail} of those it rejected
SYNC_COMMIT = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'lost_lock' end
if (redis.call('HGET', KEYS[1], 'cursor') or '0-0') ~= ARGV[2] then return 'moved' end
local accepted, rejected = cjson.decode(ARGV[6]), cjson.decode(ARGV[7])
local now, lease = tonumber(ARGV[4]), tonumber(ARGV[5])
if not (now and lease) then return redis.error_reply('sync_commit: non-numeric argument') end
for i = 1, #accepted, 1000 do
  redis.call('HDEL', KEYS[3], unpack(accepted, i, math.min(i + 999, #accepted)))
end
local n_rejected = 0
for email, detail in pairs(rejected) do
  redis.call('HSET', KEYS[3], email, detail)
  n_rejected = n_rejected + 1
end
redis.call('HSET', KEYS[1], 'cursor', ARGV[3], 'last_success', now, 'failures', 0,
  'not_before', 0)
redis.call('HINCRBY', KEYS[1], 'accepted', #accepted)
redis.call('HINCRBY', KEYS[1], 'rejected', n_rejected)
redis.call('PEXPIRE', KEYS[2], lease)
return 'ok'
"""

# KEYS: 1 sync state hash, 2 lock
# ARGV: 1 token, 2 now ms, 3 not before (ms), 4 error text
# A failed push: count it, remember the error and when to try again, and let the lock go.
SYNC_FAIL = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'not_before', ARGV[3], 'last_error', ARGV[4],
  'last_error_at', ARGV[2])
redis.call('DEL', KEYS[2])
return failures
"""

# KEYS: 1 lock. ARGV: 1 token. Let the lock go only if it is still ours.
SYNC_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: 1 change log, 2.. the sync state hash of every configured sink.
# Trim the change log below the lowest cursor: entries every sink has confirmed. A sink that
# has no cursor yet has read nothing, so nothing is trimmed then.
TRIM_CHANGES = """
local low_ms, low_seq, low = nil, nil, nil
for i = 2, #KEYS do
  local cursor = redis.call('HGET', KEYS[i], 'cursor')
  if not cursor then return 0 end
  local ms, seq = string.match(cursor, '^(%d+)-(%d+)$')
  ms, seq = tonumber(ms), tonumber(seq)
  if low == nil or ms < low_ms or (ms == low_ms and seq < low_seq) then
    low_ms, low_seq, low = ms, seq, cursor
  end
end
if low == nil then return 0 end
return redis.call('XTRIM', KEYS[1], 'MINID', low)
"""

# KEYS: 1 change log. ARGV: 1 cursor, 2 cap.
# How far a sink is behind: entries after its cursor (counted up to the cap) and the oldest
# of them, counted inside Redis so a status call never ships the backlog to the client.
SYNC_LAG = """
local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))
if #entries == 0 then return {0, ''} end
return {#entries, entries[1][1]}
"""
