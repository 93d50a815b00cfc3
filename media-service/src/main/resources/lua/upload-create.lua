-- Records a direct upload that a client may PUT, and reserves its object key until the completion
-- deadline: past it, the maintenance job removes the object unless a file record claims it. Refuses
-- when the owner already has the most pending uploads allowed (those past their deadline no longer count).
-- KEYS[1] upload record, KEYS[2] object cleanup set, KEYS[3] the owner's pending uploads (id by deadline)
-- ARGV: id, owner, name, size, contentType, object key, URL expiry ms, deadline ms, most pending uploads
-- Returns 1, or 'pending' when refused.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[9]) then
  return 'pending'
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'owner', ARGV[2], 'name', ARGV[3], 'size', ARGV[4],
  'type', ARGV[5], 'key', ARGV[6], 'expires', ARGV[7], 'deadline', ARGV[8])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[8], ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[1])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[8]) - now then
  redis.call('PEXPIREAT', KEYS[3], ARGV[8])
end
return 1
