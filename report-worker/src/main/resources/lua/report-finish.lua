-- Records the outcome of a report and announces it in the same atomic step, so that a client that
-- hears the event always finds the same status with GET, and the event is sent (and kept) once per outcome.
-- 'done' is final; 'failed' is replaced only by 'done' (a late success beats an earlier give-up).
-- Composed after notification-announce.lua (announce, is_events_of).
-- KEYS[1] report record, KEYS[2] the owner's event stream
-- ARGV[1] outcome 'done' or 'failed', ARGV[2] object key (done) or error text (failed),
-- ARGV[3] signed download URL (done) or '', ARGV[4..7] as notification-announce.lua says
-- Returns the status the record has afterwards, 'missing', or 'foreign' (KEYS[2] is not the owner's stream:
-- nothing changed).
local s = redis.call('HMGET', KEYS[1], 'status', 'userId', 'id')
if not s[1] then
  return 'missing'
end
if not is_events_of(KEYS[2], s[2]) then
  return 'foreign'
end
if s[1] == 'done' or s[1] == ARGV[1] then
  return s[1]
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local event
if ARGV[1] == 'done' then
  redis.call('HSET', KEYS[1], 'status', 'done', 'objectKey', ARGV[2], 'finishedAt', now, 'updatedAt', now)
  redis.call('HDEL', KEYS[1], 'error')
  event = { type = 'report.done', id = s[3], downloadUrl = ARGV[3] }
else
  redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[2], 'finishedAt', now, 'updatedAt', now)
  event = { type = 'report.failed', id = s[3], error = ARGV[2] }
end
announce(KEYS[2], s[2], event, now)
return ARGV[1]
