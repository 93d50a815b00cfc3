-- Lists an owner's files, newest first, pruning index entries whose record is gone.
-- KEYS[1] the owner's file index; ARGV[1] file record key prefix
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  local f = redis.call('HMGET', ARGV[1] .. id, 'id', 'owner', 'name', 'size', 'type', 'sha256', 'key', 'created')
  if f[1] then
    table.insert(out, f)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
