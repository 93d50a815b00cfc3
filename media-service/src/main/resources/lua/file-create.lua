-- Records a file whose object is complete, indexes it under its owner and claims its object from the
-- cleanup set, atomically. Refuses when the object is no longer reserved: then the maintenance job may
-- already have removed it, and a record must never point at a missing object.
-- KEYS[1] file record, KEYS[2] the owner's file index, KEYS[3] object cleanup set
-- ARGV: id, owner, name, size, contentType, sha256 ('' when unknown), object key
-- Returns the creation time (Redis's clock, the same for every replica), or nil when refused.
if not redis.call('ZSCORE', KEYS[3], ARGV[7]) then
  return nil
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'owner', ARGV[2], 'name', ARGV[3], 'size', ARGV[4],
  'type', ARGV[5], 'sha256', ARGV[6], 'key', ARGV[7], 'created', now)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[7])
return tostring(now)
