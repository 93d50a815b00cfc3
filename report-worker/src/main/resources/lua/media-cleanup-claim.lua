-- Claims one due entry of media-service's object cleanup set for deletion, atomically with the check
-- that no file record owns it. Once claimed the key is out of the cleanup set, so media-service can no
-- longer write a record for it (its file-create script refuses keys that are not reserved there): the
-- object may then be deleted without ever leaving a record that points at nothing. The claim is kept in
-- a set of its own until the object is gone, so a worker dying half-way leaves it to the next run.
-- KEYS[1] cleanup set (object key -> due ms), KEYS[2] claimed set (object key -> claim ms)
-- ARGV[1] object key, ARGV[2] file record key prefix
-- Returns 'claimed', 'owned' (a record owns it: only the entry is dropped), 'not-due' or 'gone'.
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due then
  return 'gone'
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(due) > now then
  return 'not-due'
end
local id = string.match(ARGV[1], '([^/]+)$') or ARGV[1]
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', ARGV[2] .. id) == 1 then
  return 'owned'
end
redis.call('ZADD', KEYS[2], now, ARGV[1])
return 'claimed'
