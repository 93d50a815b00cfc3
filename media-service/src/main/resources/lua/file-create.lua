-- Records a file whose object is complete, indexes it under its owner, counts its bytes and claims its
-- object from the cleanup set, atomically. Refuses when the object is no longer reserved: then the
-- maintenance job may already have removed it, and a record must never point at a missing object.
-- Refuses too when the owner's quota would be passed (checked here as well as before the upload,
-- because parallel uploads all pass the early check).
-- KEYS[1] file record, KEYS[2] the owner's file index, KEYS[3] object cleanup set, KEYS[4] the owner's usage
-- ARGV: id, owner, name, size, contentType, sha256 ('' when unknown), object key, most files, most bytes
-- Returns the creation time (Redis's clock, the same for every replica); nil when the object is not
-- reserved; 'files' or 'bytes' when that quota would be passed.
if not redis.call('ZSCORE', KEYS[3], ARGV[7]) then
  return nil
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[8]) then
  return 'files'
end
if tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0') + tonumber(ARGV[4]) > tonumber(ARGV[9]) then
  return 'bytes'
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'owner', ARGV[2], 'name', ARGV[3], 'size', ARGV[4],
  'type', ARGV[5], 'sha256', ARGV[6], 'key', ARGV[7], 'created', now)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('HINCRBY', KEYS[4], 'bytes', ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[7])
return tostring(now)
