-- Creates a session and indexes it under its user, atomically.
-- KEYS[1] session record, KEYS[2] the user's session index
-- ARGV: userId, email, roles, userAgent, idle ms, absolute ms
-- Time comes from Redis so that replicas with skewed clocks agree on expiry.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[5])
local abs = now + tonumber(ARGV[6])
redis.call('HSET', KEYS[1], 'uid', ARGV[1], 'email', ARGV[2], 'roles', ARGV[3], 'ua', ARGV[4],
  'created', now, 'seen', now, 'abs', abs)
redis.call('PEXPIRE', KEYS[1], math.min(idle, abs - now))
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], abs, ARGV[7])
redis.call('PEXPIREAT', KEYS[2], abs)
return { tostring(now), tostring(abs) }
