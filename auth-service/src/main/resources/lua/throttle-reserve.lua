-- Takes one slot of a counter for an attempt, before the attempt is judged, unless it is at its limit.
-- Check and increment are one step, so N parallel attempts can never be let through beyond a limit
-- (a read, then a later increment, let 12 of 30 parallel guesses through a limit of 5).
-- One key, so that it is valid on Redis Cluster: an attempt's counters live in different slots and are taken
-- one by one (see LoginThrottle).
-- KEYS[1] the counter; ARGV[1] window ms; ARGV[2] its limit.
-- Returns 0 when the slot was taken; else {ms until the counter expires}, and nothing was taken.
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[2]) then
  return {redis.call('PTTL', KEYS[1])}
end
if redis.call('INCR', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 0
