-- Changes an existing product and announces the change in the same atomic step: a replica that
-- is subscribed when the new value becomes readable also hears about it.
-- KEYS[1] catalogue hash (sku -> product JSON)
-- ARGV[1] sku, ARGV[2] product JSON, ARGV[3] changes channel, ARGV[4] change id
-- Returns -1 for an unknown sku (a PUT does not create products), else how many subscribers heard it.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. ARGV[1])
