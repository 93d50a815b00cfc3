-- Turns a verified direct upload into a file, once; a repeated call answers the same file.
-- KEYS[1] upload record, KEYS[2] file record, KEYS[3] the owner's file index
-- ARGV[1] caller
-- Returns nil when the caller has no such upload (or its deadline passed and the record expired),
-- else the creation time of the file. The cleanup entry stays until the deadline, because the signed
-- URL may be used again until it expires; the maintenance job leaves objects that a record claims.
local u = redis.call('HMGET', KEYS[1], 'owner', 'id', 'name', 'size', 'type', 'key', 'completed')
if not u[1] or u[1] ~= ARGV[1] then
  return nil
end
if u[7] then
  return redis.call('HGET', KEYS[2], 'created')
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[2], 'id', u[2], 'owner', u[1], 'name', u[3], 'size', u[4],
  'type', u[5], 'sha256', '', 'key', u[6], 'created', now)
redis.call('ZADD', KEYS[3], now, u[2])
redis.call('HSET', KEYS[1], 'completed', now)
return tostring(now)
