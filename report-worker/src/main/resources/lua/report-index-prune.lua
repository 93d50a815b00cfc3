-- Drops ids of reports that no longer exist (expired or deleted) from a user's report index.
-- Records and index entries are created together by media-service in one script, so an id without a
-- record is always a leftover, never a report being created.
-- KEYS[1] the user's report index (sorted set of report ids)
-- ARGV[1] report record key prefix
-- Returns how many ids were dropped; the index itself disappears with its last id.
local dropped = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then
    dropped = dropped + redis.call('ZREM', KEYS[1], id)
  end
end
return dropped
