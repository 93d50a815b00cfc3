-- Creates a session's record, the first step of creating a session (session-index.lua is the second).
-- One key, so that it is valid on Redis Cluster, where the record and the user's index live in different slots.
-- KEYS[1] session record; ARGV: userId, email, roles, userAgent, idle ms, absolute ms
-- Time comes from Redis so that replicas with skewed clocks agree on expiry.
-- Returns { now, absolute expiry } in ms, for the index step and for the caller's Session.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[5])
local abs = now + tonumber(ARGV[6])
redis.call('HSET', KEYS[1], 'uid', ARGV[1], 'email', ARGV[2], 'roles', ARGV[3], 'ua', ARGV[4],
  'created', now, 'seen', now, 'abs', abs)
redis.call('PEXPIRE', KEYS[1], math.min(idle, abs - now))
return { tostring(now), tostring(abs) }
