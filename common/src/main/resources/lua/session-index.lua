-- Indexes a session under its user, the second step of creating one, once its record exists: so every handle in
-- an index had a record, and a handle whose record is gone is one that ended (list may drop it).
-- KEYS[1] the user's session index; ARGV[1] the session's absolute expiry (ms), ARGV[2] its handle
-- Drops the handles that expired by Redis's clock and keeps the index until its last session's absolute expiry.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
