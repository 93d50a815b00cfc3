-- Publishes a near-cache barrier and answers whom it must wait for, in one atomic step: every
-- replica whose lease had not ended (less a margin for Redis's clock) when the barrier went out.
-- KEYS[1] the lease set; ARGV[1] barrier channel, ARGV[2] message, ARGV[3] clock margin ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holders = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - tonumber(ARGV[3])), '+inf')
redis.call('PUBLISH', ARGV[1], ARGV[2])
return holders
