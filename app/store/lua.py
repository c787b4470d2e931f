"""The Lua scripts behind app.store: each multi-step update is one script, so it commits whole.

Every script reads and computes first and writes last (the event script: for each event of its
batch): Redis does not roll back a script that fails half-way, and a dedup mark without its
effect would lose an event on redelivery.

The contact's state is one MessagePack string (`cmsgpack`), one key per contact, because
per-contact memory is the store's main cost (bench/RESULTS.md): STATE_CODEC below packs it and
docs/ARCHITECTURE.md describes the layout. Inside a script the state is the plain table
  r: reset_at ms   l: lifted_at ms (an operator's unsuppress)   n: events applied
  d: {utc day: heaviest weight}   e: {8-byte event digest: seen s}
  h: history, newest first, packed as STATE_CODEC says
  x: {ESP suppression list: newest reactivation there, ms}
"""

# Shared by every script that reads or writes a contact's state. Stored, the state is the
# array [h, r, n, d, e, l, x], with `x` left out while it is empty and `l` while it is 0 too
# (a state whose first value is an
# array is in this format, so it needs no version marker). One contact's bounces mostly repeat
# their provider, action, code, diagnostic and parts of their message ids, so only the newest
# history entry is whole: {occurred ms, code, action, provider, diagnostic, message id part...},
# with actions and known providers as small ints and the message id as the parts that
# app/store/message_ids.py cuts and packs (in Python: no script needs an id unpacked). Each
# older entry holds its time as ms before the newer entry's and `false` for any other field
# equal to the newer entry's field at the same place. A new event thus re-packs one entry, and
# dropping the oldest needs nothing.
# Two earlier formats are read as well and written back in this one: the first (a map with
# 16-hex digests and whole entries) and the second ([r, l, n, d, e, h], entries {occurred,
# code, action, provider, message id up to its last '@', the rest, diagnostic} with the id as
# text, which message_ids reads as its own packed form once its non-ASCII bytes are wrapped).
STATE_CODEC = """
local ACTION_ID = {suppress = 1, soft = 2, sender_side = 3, ignore = 4, reset = 5,
  esp_suppress = 6, reactivate = 7}
local ACTION_NAME = {'suppress', 'soft', 'sender_side', 'ignore', 'reset', 'esp_suppress',
  'reactivate'}
-- append only: the numbers are stored
local PROVIDER_NAME = {'zeptomail', 'sendgrid', 'ses', 'mailgun', 'postmark', 'sparkpost', 'brevo',
  'mailjet', 'generic'}
local PROVIDER_ID = {zeptomail = 1, sendgrid = 2, ses = 3, mailgun = 4, postmark = 5,
  sparkpost = 6, brevo = 7, mailjet = 8, generic = 9}

-- the first 16 hex characters of a SHA-1 as its first 8 bytes
local function digest_bytes(hex)
  return struct.pack('>I4I4', tonumber(string.sub(hex, 1, 8), 16),
    tonumber(string.sub(hex, 9, 16), 16))
end

-- text stored before ids were packed, as message_ids reads it: non-ASCII bytes in 0xF8 runs
local function wrap_utf8(run)
  local out = {}
  for i = 1, #run, 255 do
    local chunk = string.sub(run, i, i + 254)
    out[#out + 1] = string.char(248, #chunk) .. chunk
  end
  return table.concat(out)
end
local function packed_text(text)
  if not text then return text end
  return (string.gsub(text, '[\\128-\\255]+', wrap_utf8))
end

-- put a whole row in front; the entry that was newest becomes relative to it
local function push_history(h, row, cap)
  local newer = h[1]
  if newer then
    newer[1] = row[1] - newer[1]
    for f = 2, #newer do
      if newer[f] == row[f] then newer[f] = false end
    end
  end
  table.insert(h, 1, row)
  while #h > cap do table.remove(h) end
end

local function hex(bytes)
  return (string.gsub(bytes, '.', function(c) return string.format('%02x', string.byte(c)) end))
end

-- a history's rows whole again (each stored relative to its newer neighbour)
local function whole_rows(h)
  local rows, newer = {}, nil
  for i = 1, #h do
    local row = h[i]
    if newer then
      local whole = {newer[1] - row[1]}
      for f = 2, #row do
        if row[f] == false then whole[f] = newer[f] else whole[f] = row[f] end
      end
      row = whole
    end
    rows[i] = row
    newer = row
  end
  return rows
end

-- {occurred ms, code, action, provider, diagnostic, packed message id as hex} per entry,
-- newest first
local function history_entries(h)
  local entries = {}
  for i, row in ipairs(whole_rows(h)) do
    entries[i] = {row[1], row[2], ACTION_NAME[row[3]] or row[3], PROVIDER_NAME[row[4]] or row[4],
      row[5], hex(table.concat(row, '', 6))}
  end
  return entries
end

-- an entry of the first format (whole, the message id as text) as a row of this one
local function first_format_row(x)
  local message_id = x[5]
  local cut = string.find(message_id, '@[^@]*$') or #message_id + 1
  return {x[1], x[2], ACTION_ID[x[3]] or x[3], PROVIDER_ID[x[4]] or x[4], x[6],
    packed_text(string.sub(message_id, 1, cut - 1)), packed_text(string.sub(message_id, cut))}
end

local function load_state(raw)
  if not raw then return {r = 0, l = 0, n = 0, d = {}, e = {}, h = {}, x = {}} end
  local s = cmsgpack.unpack(raw)
  if type(s[1]) == 'table' then
    return {h = s[1], r = s[2], n = s[3], d = s[4], e = s[5], l = s[6] or 0, x = s[7] or {}}
  end
  local h = {}
  if s.n then  -- the first format
    local e = {}
    for hex_digest, seen in pairs(s.e) do e[digest_bytes(hex_digest)] = seen end
    for i = #s.h, 1, -1 do push_history(h, first_format_row(s.h[i]), #s.h) end
    return {r = s.r, l = s.l or 0, n = s.n, d = s.d, e = e, h = h, x = {}}
  end
  for i, x in ipairs(s[6]) do  -- the second: same packing, fields in another order
    h[i] = {x[1], x[2], x[3], x[4], x[7], packed_text(x[5]), packed_text(x[6])}
  end
  return {r = s[1], l = s[2], n = s[3], d = s[4], e = s[5], h = h, x = {}}
end

local function dump_state(s)
  if next(s.x) then return cmsgpack.pack({s.h, s.r, s.n, s.d, s.e, s.l, s.x}) end
  if s.l == 0 then return cmsgpack.pack({s.h, s.r, s.n, s.d, s.e}) end
  return cmsgpack.pack({s.h, s.r, s.n, s.d, s.e, s.l})
end
"""

# The event script, over a batch: each event in order exactly as one call per event would apply
# it (each sees the writes of those before it), in one call, so Redis pays the call, the
# argument decoding and the definitions above once per batch, and the per-day counters are
# written once per batch with the batch's sums (the domain-hour counters stay per event: their
# running totals decide alerts). Store.apply cuts batches at APPLY_BATCH events, so one call
# keeps the server busy for a few milliseconds at most.
# KEYS: 1 change log, 2 suppression index, 3 alerts stream, 4 events stream, 5 audit stream,
#       6 the stats day hash of `now` (new suppressions are counted on the day they are made),
#       then the batch's other keys, each once, which each event names by position (below).
# ARGV[1]: one JSON array C: 1 now ms, 2 dedup ttl ms, 3 state ttl ms, 4 window days,
#       5 threshold, 6 history cap, 7 dedup cap, 8 alert min rejections, 9 alert min ratio,
#       10 day counter ttl ms, 11 the events, each an array E of
#       1-7 positions in KEYS of: contact state, suppression, domain-hour counters, domain-day
#       counters, stats day hash, stats day domains, stats day sender-side domains;
#       8 event id, 9 action, 10 weight, 11 occurred ms, 12 email, 13 code, 14 category,
#       15 source, 16 provider, 17 message id (whole, only for a new suppression record),
#       18 diagnostic, 19 matched_by, 20 domain, 21 evidence grade (app.classify.Grade),
#       22 time note (app.events.TimeNote), 23 the ESP's reported time when the event is dated
#       by its arrival instead, 24 the ESP suppression list of an esp_suppress or reactivate
#       event (app.events.BounceEvent.esp_list), 25 the event's kind (app.events.EventType),
#       counted per day as `kind:<kind>` so rates have deliveries to divide by
# A suppression record made by esp_suppress events alone holds `esp_lists`, JSON {list: ms of
# the newest such event}; an ESP reactivation removes its list from it and lifts the record
# when none is left. Evidence of bouncekeeper's own (a bounce it classified, a complaint, an
# escalation) drops the field, in whichever order the two arrive: the ESP then no longer
# decides alone. Operators' records never have it.
# ARGV[2]: MessagePack, per event [8-byte event digest, packed message id part...] (bytes,
#       which JSON cannot carry): the digest is the SHA-1's first 8 bytes (docs/POLICY.md),
#       the parts are app/store/message_ids.pack_segments of the message id.
APPLY_EVENTS = (
    STATE_CODEC
    + """
local C = cjson.decode(ARGV[1])
local B = cmsgpack.unpack(ARGV[2])
local now, dedup_ttl, state_ttl = tonumber(C[1]), tonumber(C[2]), tonumber(C[3])
local window, threshold = tonumber(C[4]), tonumber(C[5])
local history_cap, dedup_cap = tonumber(C[6]), tonumber(C[7])
local alert_min, alert_ratio, domain_ttl = tonumber(C[8]), tonumber(C[9]), tonumber(C[10])
local events = C[11]
if not (now and dedup_ttl and state_ttl and window and threshold and history_cap and dedup_cap
        and alert_min and alert_ratio and domain_ttl) then
  return redis.error_reply('apply_events: non-numeric argument')
end
for i, E in ipairs(events) do
  if not (tonumber(E[10]) and tonumber(E[11]) and type(B[i]) == 'table') then
    return redis.error_reply('apply_events: non-numeric argument')
  end
end
local now_s, dedup_ttl_s = math.floor(now / 1000), math.floor(dedup_ttl / 1000)

-- the per-day counters (hashes) and day domains (sorted sets), summed over the batch and
-- written at its end
local counts, ranks, count_keys, rank_keys = {}, {}, {}, {}
local function add(sums, order, k, field)
  local t = sums[k]
  if not t then t = {}; sums[k] = t; order[#order + 1] = k end
  t[field] = (t[field] or 0) + 1
end
local function count(k, field) add(counts, count_keys, k, field) end
local function rank(k, member) add(ranks, rank_keys, k, member) end

local function apply(E, packed)
  local event_id, action, weight, at = E[8], E[9], tonumber(E[10]), tonumber(E[11])
  local email, code, category, source = E[12], E[13], E[14], E[15]
  local provider, diagnostic, domain, esp_list = E[16], E[18], E[20], E[24] or ''
  local contact_key, suppression_key = KEYS[E[1]], KEYS[E[2]]
  local day = math.floor(at / 86400000)

  local state = load_state(redis.call('GET', contact_key))
  -- dedup ids: forget those past their ttl, and the oldest beyond the cap
  local ids = {}
  for id, seen in pairs(state.e) do
    if seen <= now_s - dedup_ttl_s then state.e[id] = nil else ids[#ids + 1] = id end
  end
  local digest = packed[1]  -- 64 bits: see docs/POLICY.md
  if state.e[digest] then
    return {'duplicate', ''}
  end
  if #ids >= dedup_cap then
    table.sort(ids, function(a, b) return state.e[a] < state.e[b] end)
    for i = 1, #ids - dedup_cap + 1 do state.e[ids[i]] = nil end
  end
  state.e[digest] = now_s
  state.n = state.n + 1
  local row = {at, tonumber(code) or code, ACTION_ID[action] or action,
    PROVIDER_ID[provider] or provider, diagnostic}
  for f = 2, #packed do row[f + 4] = packed[f] end
  push_history(state.h, row, history_cap)

  local held = redis.call('HMGET', suppression_key, 'source', 'esp_lists', 'code', 'category')
  local existing, lists = held[1], held[2] and cjson.decode(held[2])
  -- esp_write: nil leaves `esp_lists` as it is, false drops it, a string is its new value
  local result, score, suppress_as, esp_write = 'recorded', '', nil, nil

  if action == 'suppress' or action == 'esp_suppress' then
    local from_esp = action == 'esp_suppress'
    if from_esp and at <= (state.x[esp_list] or -1) then
      result = 'before_reactivation'
    elseif at <= state.l then
      result = 'before_lift'
    elseif not existing then
      result, suppress_as = 'suppressed', source
      if from_esp then esp_write = cjson.encode({[esp_list] = at}) end
    else
      if source == 'complaint' and existing ~= 'complaint' then
        result, suppress_as = 'upgraded', source
      else
        result = 'already_suppressed'
      end
      if from_esp and lists then
        lists[esp_list] = math.max(lists[esp_list] or 0, at)
        esp_write = cjson.encode(lists)
      elseif lists then
        esp_write = false
        if not suppress_as and existing ~= source and existing ~= 'complaint' then
          result, suppress_as = 'confirmed', source
        end
      end
    end
  elseif action == 'reactivate' then
    if at > (state.x[esp_list] or 0) then state.x[esp_list] = at end
    if not existing then
      result = 'not_suppressed'
    elseif not lists then
      result = 'kept_own_evidence'  -- bouncekeeper's own evidence or an operator holds it
    elseif not lists[esp_list] or lists[esp_list] > at then
      result = 'kept_esp'  -- another list holds it, or this one suppressed it again later
    else
      lists[esp_list] = nil
      if next(lists) then
        result, esp_write = 'kept_esp', cjson.encode(lists)
      else
        result = 'reactivated'
      end
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
      elseif existing and lists then  -- our own evidence now holds what the ESP's list did
        esp_write = false
        if existing == 'complaint' or existing == 'escalated' then
          result = 'already_suppressed'
        else
          result, suppress_as = 'confirmed', 'escalated'
        end
      elseif existing then
        result = 'already_suppressed'
      else
        result, suppress_as = 'escalated', 'escalated'
      end
    end
  end

  -- writes, all after the last possible error
  redis.call('SET', contact_key, dump_state(state), 'PX', state_ttl)
  if suppress_as then
    if existing then
      redis.call('HSET', suppression_key, 'source', suppress_as, 'previous_source', existing,
        'updated_at', now, 'last_seen_at', now)
    else
      redis.call('HSET', suppression_key, 'email', email, 'code', code, 'category', category,
        'source', suppress_as, 'created_at', now, 'updated_at', now, 'last_seen_at', now,
        'hits', 1, 'occurred_at', at, 'diagnostic', diagnostic, 'matched_by', E[19],
        'grade', E[21] or '', 'provider', provider, 'message_id', E[17], 'event_id', event_id)
      redis.call('ZADD', KEYS[2], now, email)
      count(6, 'new:' .. suppress_as)
    end
    redis.call('XADD', KEYS[1], '*', 'op', 'add', 'email', email, 'code', code,
      'category', category, 'source', suppress_as, 'at', now)
  elseif existing and result == 'already_suppressed' then
    redis.call('HSET', suppression_key, 'last_seen_at', now)
    redis.call('HINCRBY', suppression_key, 'hits', 1)
  end
  if esp_write then
    redis.call('HSET', suppression_key, 'esp_lists', esp_write)
  elseif esp_write == false then
    redis.call('HDEL', suppression_key, 'esp_lists')
  end
  if result == 'reactivated' then
    redis.call('DEL', suppression_key)
    redis.call('ZREM', KEYS[2], email)
    redis.call('XADD', KEYS[1], '*', 'op', 'remove', 'email', email, 'code', held[3] or '',
      'category', held[4] or '', 'source', existing, 'at', now)
    redis.call('XADD', KEYS[5], '*', 'op', 'unsuppress', 'email', email, 'actor',
      'esp:' .. esp_list, 'reason', diagnostic, 'previous_source', existing,
      'previous_code', held[3] or '', 'at', now)
  elseif result == 'kept_own_evidence' or result == 'kept_esp' then
    redis.call('XADD', KEYS[5], '*', 'op', 'reactivation_kept', 'email', email, 'actor',
      'esp:' .. esp_list, 'reason', diagnostic, 'result', result, 'source', existing, 'at', now)
  end
  if domain ~= '' then
    -- a counter's ttl is set when it is created, not on every event
    local hour_key = KEYS[E[3]]
    local total = redis.call('HINCRBY', hour_key, 'total', 1)
    if total == 1 then redis.call('PEXPIRE', hour_key, domain_ttl) end
    count(E[4], 'total')
    if action == 'sender_side' then
      local rejected = redis.call('HINCRBY', hour_key, 'sender_side', 1)
      count(E[4], 'sender_side')
      if rejected >= alert_min and rejected >= alert_ratio * total
          and redis.call('HSETNX', hour_key, 'alerted', now) == 1 then
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'domain', domain,
          'hour', math.floor(at / 3600000) * 3600000, 'sender_side', rejected, 'total', total,
          'code', code, 'at', now)
        result = 'sender_side_alert'
      end
    end
  end
  -- stats: every applied event counted on its day, and a capped stream of the recent ones
  count(E[5], 'total')
  count(E[5], 'code:' .. (code ~= '' and code or 'none'))
  count(E[5], 'category:' .. (category ~= '' and category or 'none'))
  count(E[5], 'provider:' .. provider)
  count(E[5], 'action:' .. action)
  if E[25] and E[25] ~= '' then count(E[5], 'kind:' .. E[25]) end
  if domain ~= '' then
    rank(E[6], domain)
    if action == 'sender_side' then rank(E[7], domain) end
  end
  local recent = {'email', email, 'domain', domain, 'code', code, 'category', category,
    'action', action, 'result', result, 'provider', provider, 'at', at,
    'diagnostic', string.sub(diagnostic, 1, 200)}
  if score ~= '' then  -- the soft score this event left (the dashboard's near-threshold list)
    table.insert(recent, 'score'); table.insert(recent, score)
  end
  if E[22] and E[22] ~= '' then  -- dated by its arrival: say why, and what the ESP said
    table.insert(recent, 'time_note'); table.insert(recent, E[22])
    table.insert(recent, 'reported_at'); table.insert(recent, E[23])
  end
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 10000, '*', unpack(recent))
  return {result, score}
end

-- each counter key gets its ttl once, when this batch creates it: a hash whose `total` is
-- what the batch added, a sorted set that did not exist
local function write_sums()
  for _, k in ipairs(count_keys) do
    local key, fields = KEYS[k], counts[k]
    local added, fresh = fields.total, false
    if added then fresh = redis.call('HINCRBY', key, 'total', added) == added end
    for field, n in pairs(fields) do
      if field ~= 'total' then redis.call('HINCRBY', key, field, n) end
    end
    -- KEYS[6] may count new suppressions alone: no `total` (events), so its ttl is checked
    if fresh or (not added and redis.call('PTTL', key) == -1) then
      redis.call('PEXPIRE', key, domain_ttl)
    end
  end
  for _, k in ipairs(rank_keys) do
    local key = KEYS[k]
    local fresh = redis.call('EXISTS', key) == 0
    for member, n in pairs(ranks[k]) do redis.call('ZINCRBY', key, n, member) end
    if fresh then redis.call('PEXPIRE', key, domain_ttl) end
  end
end

-- an event that fails (a key of another type) ends the batch; the events before it stay
-- applied and counted, so the batch is safe to send again
local replies = {}
for i, E in ipairs(events) do
  local ok, reply = pcall(apply, E, B[i])
  if not ok then
    write_sums()
    return redis.error_reply(type(reply) == 'table' and reply.err or tostring(reply))
  end
  replies[i] = reply
end
write_sums()
return replies
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

# KEYS: 1 suppression, 2 change log, 3 suppression index, 4 audit stream, 5 stats day hash of
#       now (`new:<source>` counts it, as the event script does)
# ARGV: 1 now ms, 2 email, 3 code, 4 category, 5 source, 6 diagnostic, 7 actor, 8 reason,
#       9 the day counters' ttl ms
# A signed request's nonce (its signature or token), claimed by the worker for the request the
# web accepted: KEYS[1] the nonce key; ARGV[1] the claim (an id the web gave that request),
# ARGV[2] ttl s. 1 when the nonce is free or already this claim's (a redelivery of the same
# message), 0 when another request holds it (a replay).
CLAIM_NONCE = """
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
  return 1
end
if held == ARGV[1] then return 1 end
return 0
"""

# KEYS: 1 heartbeat (the worker's clock, ms), 2 the state Redis's clock when it was written
# ARGV: 1 the worker's now ms. Both stamps in one call, so `/readyz` can tell the heartbeat's
# age by one clock (Redis's) and the worker's clock skew from their difference.
HEARTBEAT = """
local t = redis.call('TIME')
local server_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], server_ms)
return server_ms
"""

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
redis.call('HINCRBY', KEYS[5], 'new:' .. ARGV[5], 1)
if redis.call('PTTL', KEYS[5]) == -1 then redis.call('PEXPIRE', KEYS[5], ARGV[9]) end
return 'suppressed'
"""

# The SUPPRESS script over a batch (bulk import): the same writes per record, one call for up to
# a thousand, so neither the client nor Redis pays per-call costs a million times.
# KEYS: 1 change log, 2 suppression index, 3 audit stream, 4 stats day hash of now, then one
#       suppression key per record
# ARGV[1]: JSON [now ms as text, actor, reason, [[email, code, category, source, diagnostic]...],
#       the day counters' ttl ms]
SUPPRESS_MANY = """
local A = cjson.decode(ARGV[1])
local now, actor, reason, records, stats_ttl = A[1], A[2], A[3], A[4], tonumber(A[5])
if type(now) ~= 'string' or not tonumber(now) or not stats_ttl then
  return redis.error_reply('suppress_many: now and the ttl must be numeric')
end
local results, new = {}, {}
for i, r in ipairs(records) do
  local key = KEYS[i + 4]
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
    new[source] = (new[source] or 0) + 1
    results[i] = 'suppressed'
  end
end
for source, n in pairs(new) do redis.call('HINCRBY', KEYS[4], 'new:' .. source, n) end
if next(new) and redis.call('PTTL', KEYS[4]) == -1 then
  redis.call('PEXPIRE', KEYS[4], stats_ttl)
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

# KEYS: 1 lock. ARGV: 1 token, 2 lease ms. Extend the lease only if the lock is still ours.
SYNC_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return 0
"""

# KEYS: 1 lock. ARGV: 1 token. Let the lock go only if it is still ours (a sink's sync lock,
# and the mailbox poller's, app/store/mailbox_lock.py).
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

# app.broker's take (Celery's queue, not our state; kept here with every other script): moves
# up to ARGV[1] messages from the queue KEYS[1] to its in-flight list KEYS[2], in the order
# BLMOVE takes them, and returns them.
BROKER_MOVE_MORE = """
local moved = {}
for i = 1, tonumber(ARGV[1]) do
  local item = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not item then break end
  moved[i] = item
end
return moved
"""

# app.broker's record: from the in-flight list KEYS[1] to `unacked` (index KEYS[2], hash
# KEYS[3]) what kombu's `append` writes for each task message, and into the poison list
# KEYS[4] (capped at ARGV[2] entries) what is not one. A message is recorded only if this
# consumer still finds it in flight (LREM says so): one put back onto its queue meanwhile (by a
# consumer starting, or BROKER_RECLAIM) belongs to whichever consumer takes it next, so it is
# not delivered twice.
# ARGV: 1 now (s, kombu's unacked score), 2 poison cap, 3 number n of task messages, then n
# triples (message, delivery tag, `,exchange,routing key]` closing kombu's unacked entry), then
# the poison items. Returns, per task message, 1 when it was recorded here, else 0; then the
# number of poison items moved.
BROKER_RECORD = """
local n = tonumber(ARGV[3])
local recorded = {}
for i = 1, n do
  local at = 4 + (i - 1) * 3
  local item, tag = ARGV[at], ARGV[at + 1]
  if redis.call('LREM', KEYS[1], 1, item) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[1], tag)
    redis.call('HSET', KEYS[3], tag, '[' .. item .. ARGV[at + 2])
    recorded[i] = 1
  else
    recorded[i] = 0
  end
end
local poisoned = 0
for at = 4 + n * 3, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[at]) == 1 then
    redis.call('LPUSH', KEYS[4], ARGV[at])
    poisoned = poisoned + 1
  end
end
if poisoned > 0 then redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[2]) - 1) end
recorded[n + 1] = poisoned
return recorded
"""

# `bouncekeeper migrate-addresses` (app/store/address_keys.py): one address's keys moved to
# its new normal form in one call, merged where the new form has keys already, so a crash
# between two addresses leaves each either wholly moved or untouched, and a second run finds
# nothing left to do.
# KEYS: 1 old suppression, 2 new suppression, 3 suppression index, 4 change log, 5 audit
#       stream, 6 old contact state, 7 new contact state, then each sink's failed-entries hash
# ARGV: 1 old address, 2 new address, 3 now ms, 4 actor, 5 history cap, 6 dedup cap
# Suppression: moved whole, or merged into the new form's record (that record stays, unless
# only the old one is a complaint: a complaint is the stronger evidence), hits added, the
# earlier creation kept; the change log gets `remove` of the old address (the sinks were given
# it) and `add` of the new one when its record is new or changed; audited as `migrate_address`.
# Contact state: renamed (keeping its TTL), or merged: markers and ESP reactivations the
# later, counted days the heavier of each day, events added up, dedup digests joined (the
# newest kept up to the cap), histories interleaved by time (the newest kept up to the cap),
# TTL the longer. Failed entries: the field renamed unless the new one has its own.
# Returns {suppression: none|moved|merged, contact: none|moved|merged, failed entries moved}.
MIGRATE_ADDRESS = (
    STATE_CODEC
    + """
local old_email, new_email, now, actor = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local history_cap, dedup_cap = tonumber(ARGV[5]), tonumber(ARGV[6])

local function record_of(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local fields = {}
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
  return fields
end

local function earlier(a, b)
  if not a then return b end
  if not b then return a end
  if tonumber(a) < tonumber(b) then return a end
  return b
end

local suppression = 'none'
local old = record_of(KEYS[1])
if old then
  local new = record_of(KEYS[2])
  local old_score = redis.call('ZSCORE', KEYS[3], old_email)
  local record, changed = old, true
  local score = old_score or old.created_at or now
  if new then
    changed = old.source == 'complaint' and new.source ~= 'complaint'
    if not changed then record = new end
    record.hits = tostring((tonumber(old.hits) or 1) + (tonumber(new.hits) or 1))
    record.created_at = earlier(old.created_at, new.created_at)
    score = earlier(score, redis.call('ZSCORE', KEYS[3], new_email))
    suppression = 'merged'
  else
    suppression = 'moved'
  end
  record.email = new_email
  local flat = {}
  for field, value in pairs(record) do
    flat[#flat + 1] = field
    flat[#flat + 1] = value
  end
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], unpack(flat))
  redis.call('ZREM', KEYS[3], old_email)
  redis.call('ZADD', KEYS[3], score, new_email)
  redis.call('XADD', KEYS[4], '*', 'op', 'remove', 'email', old_email, 'code', old.code or '',
    'category', old.category or '', 'source', old.source or '', 'at', now)
  if changed then
    redis.call('XADD', KEYS[4], '*', 'op', 'add', 'email', new_email, 'code', record.code or '',
      'category', record.category or '', 'source', record.source or '', 'at', now)
  end
  redis.call('XADD', KEYS[5], '*', 'op', 'migrate_address', 'email', old_email, 'to', new_email,
    'actor', actor, 'result', suppression, 'at', now)
end

local function merged(a, b)
  local m = {r = math.max(a.r, b.r), l = math.max(a.l, b.l), n = a.n + b.n, d = {}, e = {},
    x = {}, h = {}}
  for _, s in ipairs({a, b}) do
    for day, weight in pairs(s.d) do m.d[day] = math.max(m.d[day] or 0, weight) end
    for list, at in pairs(s.x) do m.x[list] = math.max(m.x[list] or 0, at) end
    for digest, seen in pairs(s.e) do m.e[digest] = math.max(m.e[digest] or 0, seen) end
  end
  local digests = {}
  for digest, seen in pairs(m.e) do digests[#digests + 1] = {digest, seen} end
  if #digests > dedup_cap then
    table.sort(digests, function(p, q) return p[2] > q[2] end)
    m.e = {}
    for i = 1, dedup_cap do m.e[digests[i][1]] = digests[i][2] end
  end
  local rows = whole_rows(a.h)
  for _, row in ipairs(whole_rows(b.h)) do rows[#rows + 1] = row end
  table.sort(rows, function(p, q) return p[1] > q[1] end)
  for i = math.min(#rows, history_cap), 1, -1 do push_history(m.h, rows[i], history_cap) end
  return m
end

local contact = 'none'
local raw_old = redis.call('GET', KEYS[6])
if raw_old then
  local raw_new = redis.call('GET', KEYS[7])
  if raw_new then
    local ttl = math.max(redis.call('PTTL', KEYS[6]), redis.call('PTTL', KEYS[7]))
    local state = dump_state(merged(load_state(raw_old), load_state(raw_new)))
    if ttl > 0 then
      redis.call('SET', KEYS[7], state, 'PX', ttl)
    else
      redis.call('SET', KEYS[7], state)
    end
    redis.call('DEL', KEYS[6])
    contact = 'merged'
  else
    redis.call('RENAME', KEYS[6], KEYS[7])
    contact = 'moved'
  end
end

local failed = 0
for i = 8, #KEYS do
  local entry = redis.call('HGET', KEYS[i], old_email)
  if entry then
    redis.call('HSETNX', KEYS[i], new_email, entry)
    redis.call('HDEL', KEYS[i], old_email)
    failed = failed + 1
  end
end
return {suppression, contact, failed}
"""
)

# A domain counter hash (`<prefix>:domain:{domain}:hour|day:<n>`) moved to its domain's new
# normal form: counts added into the new key's, `alerted` the earlier, TTL the longer.
# KEYS: 1 old hash, 2 new hash. Returns 1 when there was something to move.
MIGRATE_COUNTERS = """
local flat = redis.call('HGETALL', KEYS[1])
if #flat == 0 then return 0 end
local old_ttl, new_ttl = redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])
for i = 1, #flat, 2 do
  local field, value = flat[i], flat[i + 1]
  if field == 'alerted' then
    local held = redis.call('HGET', KEYS[2], field)
    if not held or tonumber(value) < tonumber(held) then
      redis.call('HSET', KEYS[2], field, value)
    end
  elseif string.match(value, '^%-?%d+$') then
    redis.call('HINCRBY', KEYS[2], field, value)
  else
    redis.call('HSETNX', KEYS[2], field, value)
  end
end
redis.call('DEL', KEYS[1])
if old_ttl > 0 and new_ttl ~= -1 then
  redis.call('PEXPIRE', KEYS[2], math.max(old_ttl, new_ttl))
end
return 1
"""

# A member of a sorted set of domains (`<prefix>:stats:<day>:domains|sender_side`) renamed,
# its score added to the new member's. KEYS: 1 the set; ARGV: 1 old member, 2 new member.
MIGRATE_MEMBER = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZINCRBY', KEYS[1], score, ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""

# app.broker's reclaim: puts back onto the queue KEYS[1] each message that has been in its
# in-flight list KEYS[2] for at least ARGV[1] ms, by the broker's clock (`TIME`, so hosts'
# clocks do not matter). A live consumer records what it took within a round trip; a message
# still there that long was left by a consumer that died between take and record. When a
# message was first seen in flight is kept in the hash KEYS[3] (SHA-1 of its length and last
# 256 bytes -> ms: kombu's envelope ends with the message's unique delivery tag, and hashing
# whole 30 KB messages cost ~6 ms of the broker's time per 100 in flight), pruned to the
# messages still there. A consumer that does record a message after it was put
# back finds it gone from the in-flight list and does not deliver it (BROKER_RECORD), so the
# message is delivered once, by whoever takes it next. Returns how many were put back.
BROKER_RECLAIM = """
local items = redis.call('LRANGE', KEYS[2], 0, -1)
if #items == 0 then
  redis.call('DEL', KEYS[3])
  return 0
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local after = tonumber(ARGV[1])
local seen = {}
local flat = redis.call('HGETALL', KEYS[3])
for i = 1, #flat, 2 do seen[flat[i]] = tonumber(flat[i + 1]) end
local keep, moved = {}, 0
for _, item in ipairs(items) do
  local id = redis.sha1hex(#item .. ':' .. string.sub(item, -256))
  local first = seen[id] or now
  if now - first >= after then
    redis.call('LREM', KEYS[2], 1, item)
    redis.call('RPUSH', KEYS[1], item)
    moved = moved + 1
  else
    keep[id] = first
  end
end
redis.call('DEL', KEYS[3])
for id, first in pairs(keep) do redis.call('HSET', KEYS[3], id, first) end
return moved
"""
