-- Claims a report for one attempt: a job whose report is finished (or gone) is not worked on again.
-- KEYS[1] report record
-- ARGV[1] attempt number, ARGV[2] worker replica, ARGV[3] user id the job claims the report belongs to
-- Returns the status the worker acts on: 'running' (work on it), 'done', 'failed', 'missing' or 'foreign'.
local s = redis.call('HMGET', KEYS[1], 'status', 'userId')
if not s[1] then
  return 'missing'
end
if s[2] ~= ARGV[3] then
  return 'foreign'
end
if s[1] == 'done' or s[1] == 'failed' then
  return s[1]
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'status', 'running', 'attempts', ARGV[1], 'worker', ARGV[2], 'updatedAt', now)
redis.call('HSETNX', KEYS[1], 'startedAt', now)
return 'running'
