-- Notes that the broker confirmed the report's job. Only an existing report is touched: one withdrawn
-- meanwhile stays gone (a plain HSET would bring back a record with nothing but this field).
-- KEYS[1] report record
-- Returns 1 when noted, 0 when the report is gone.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'published', '1')
return 1
