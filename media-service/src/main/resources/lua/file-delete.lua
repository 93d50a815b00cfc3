-- Deletes a file's record if the caller owns it, gives its bytes back to the owner's quota, and puts
-- its object in the cleanup set in the same step, so that the object is removed even if this replica
-- dies before removing it itself.
-- KEYS[1] file record, KEYS[2] the owner's file index, KEYS[3] object cleanup set, KEYS[4] the owner's usage
-- ARGV[1] caller, ARGV[2] file id
-- Returns the object key, or nil when the caller has no such file.
local f = redis.call('HMGET', KEYS[1], 'owner', 'key', 'size')
if not f[1] or f[1] ~= ARGV[1] then
  return nil
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
if redis.call('HINCRBY', KEYS[4], 'bytes', -tonumber(f[3] or '0')) <= 0 then
  redis.call('DEL', KEYS[4])
end
redis.call('ZADD', KEYS[3], now, f[2])
return f[2]
