-- Lists a user's live sessions, pruning the index of ids that expired or were deleted.
-- KEYS[1] the user's session index; ARGV[1] session key prefix
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local s = redis.call('HMGET', ARGV[1] .. id, 'created', 'seen', 'ua')
  if s[1] then
    table.insert(out, { id, s[1], s[2], s[3] or '' })
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
