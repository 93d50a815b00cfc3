-- Withdraws a report whose job the broker did not confirm, unless another request (a retry with the
-- same Idempotency-Key) got it confirmed meanwhile. A job that reaches a worker later finds no report
-- and is dropped.
-- KEYS[1] report record, KEYS[2] the user's report index, KEYS[3] idempotency record
-- ARGV[1] report id, ARGV[2] '1' when a key was sent
-- Returns 1 when withdrawn, 0 when kept.
if redis.call('HGET', KEYS[1], 'published') then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] == '1' and redis.call('HGET', KEYS[3], 'report') == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
return 1
