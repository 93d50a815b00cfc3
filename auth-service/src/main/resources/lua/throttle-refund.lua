-- Gives back the one slot an attempt took of a counter. One key, so that it is valid on Redis Cluster.
-- A counter that expired meanwhile would go negative: it is removed instead.
-- KEYS[1] the counter
if redis.call('DECR', KEYS[1]) <= 0 then
  redis.call('DEL', KEYS[1])
end
return 1
