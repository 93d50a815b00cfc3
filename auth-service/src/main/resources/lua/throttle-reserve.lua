-- Takes one slot of every counter for an attempt, before the attempt is judged, or none at all.
-- Check and increment are one step, so N parallel attempts can never be let through beyond a limit
-- (a read, then a later increment, let 12 of 30 parallel guesses through a limit of 5).
-- KEYS[i] a counter; ARGV[1] window ms; ARGV[1 + i] the limit of KEYS[i].
-- Returns 0 when every slot was taken; else {i, ms until KEYS[i] expires} for the first counter at its limit.
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[1 + i]) then
    return {i, redis.call('PTTL', KEYS[i])}
  end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
return 0
