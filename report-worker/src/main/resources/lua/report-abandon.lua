-- Marks a report failed when it has sat in one status for too long: its job is gone (a publisher died
-- before publishing, or the broker dead-lettered a job that killed every worker). Checked and written in
-- one step, so a worker that picks the report up meanwhile is never overruled, and two sweeps at once
-- fail it once. Composed after notification-announce.lua (announce, is_events_of).
-- KEYS[1] report record, KEYS[2] the owner's event stream
-- ARGV[1] the stale status ('queued' or 'running'), ARGV[2] age in ms past which it is stale,
-- ARGV[3] error text, ARGV[4..7] as notification-announce.lua says
-- Returns 1 when the report was marked failed, else 0 (also when KEYS[2] is not the owner's stream).
local s = redis.call('HMGET', KEYS[1], 'status', 'userId', 'id', 'updatedAt', 'createdAt')
if s[1] ~= ARGV[1] or not is_events_of(KEYS[2], s[2]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local since = tonumber(s[4] or s[5] or '0') or 0
if now - since < tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[3], 'finishedAt', now, 'updatedAt', now)
announce(KEYS[2], s[2], { type = 'report.failed', id = s[3], error = ARGV[3] }, now)
return 1
