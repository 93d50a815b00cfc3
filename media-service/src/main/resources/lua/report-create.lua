-- Creates a queued report, indexes it under its user and remembers the Idempotency-Key, in one step; or
-- finds the report an earlier request with the same key made.
-- KEYS[1] report record, KEYS[2] the user's report index, KEYS[3] idempotency record
-- ARGV: id, userId, type, format, retention ms, key retention ms, '1' when a key was sent, record prefix,
-- most reports queued or running, how many of the newest reports to look at for them
-- Returns { 'created', createdAt ms }, { 'existing', report id }, { 'key-reused' } (same key, other request)
-- or { 'busy' } (the user has the most reports queued or running).
local fingerprint = ARGV[3] .. '/' .. ARGV[4]
if ARGV[7] == '1' then
  local known = redis.call('HMGET', KEYS[3], 'report', 'fingerprint')
  if known[1] then
    if known[2] ~= fingerprint then
      return { 'key-reused' }
    end
    if redis.call('EXISTS', ARGV[8] .. known[1]) == 1 then
      return { 'existing', known[1] }
    end
    -- The report it made is gone (withdrawn or expired): the key may make a new one.
  end
end
-- Unfinished reports are among the newest: none can be made while the most are unfinished, and the
-- maintenance job fails those left behind. Looking at a bounded number keeps this script short.
local active = 0
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[10]) - 1)) do
  local status = redis.call('HGET', ARGV[8] .. id, 'status')
  if status == 'queued' or status == 'running' then
    active = active + 1
  end
end
if active >= tonumber(ARGV[9]) then
  return { 'busy' }
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'userId', ARGV[2], 'type', ARGV[3], 'format', ARGV[4],
  'status', 'queued', 'createdAt', now, 'updatedAt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[3], 'report', ARGV[1], 'fingerprint', fingerprint)
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
end
return { 'created', tostring(now) }
