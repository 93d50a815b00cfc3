-- Grants (or renews) a replica's near-cache lease: while it holds one, changes wait for its
-- confirmation (near-cache-barrier.lua). Expired leases are pruned here.
-- KEYS[1] the lease set (member: the replica's inbox, score: lease end in Redis ms)
-- ARGV[1] the replica's inbox, ARGV[2] lease ms. Returns Redis's clock now (ms).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return now
