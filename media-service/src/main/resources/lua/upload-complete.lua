-- Turns a verified direct upload into a file, once; a repeated call answers the same file. Counts the
-- file's bytes, and refuses when the owner's quota would be passed.
-- KEYS[1] upload record, KEYS[2] file record, KEYS[3] the owner's file index, KEYS[4] the owner's usage,
-- KEYS[5] the owner's pending uploads
-- ARGV[1] caller, ARGV[2] most files, ARGV[3] most bytes
-- Returns nil when the caller has no such upload (or its deadline passed and the record expired),
-- 'files' or 'bytes' when that quota would be passed, else the creation time of the file. The cleanup
-- entry stays until the deadline, because the signed URL may be used again until it expires; the
-- maintenance job leaves objects that a record claims.
local u = redis.call('HMGET', KEYS[1], 'owner', 'id', 'name', 'size', 'type', 'key', 'completed')
if not u[1] or u[1] ~= ARGV[1] then
  return nil
end
if u[7] then
  return redis.call('HGET', KEYS[2], 'created')
end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[2]) then
  return 'files'
end
if tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0') + tonumber(u[4]) > tonumber(ARGV[3]) then
  return 'bytes'
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[2], 'id', u[2], 'owner', u[1], 'name', u[3], 'size', u[4],
  'type', u[5], 'sha256', '', 'key', u[6], 'created', now)
redis.call('ZADD', KEYS[3], now, u[2])
redis.call('HINCRBY', KEYS[4], 'bytes', u[4])
redis.call('ZREM', KEYS[5], u[2])
redis.call('HSET', KEYS[1], 'completed', now)
return tostring(now)
