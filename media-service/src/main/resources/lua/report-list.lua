-- Lists a user's newest reports, dropping index entries whose report expired.
-- KEYS[1] the user's report index; ARGV[1] record prefix, ARGV[2] most reports to return
-- Returns rows { id, type, format, status, createdAt, finishedAt, objectKey, error, published }.
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  local r = redis.call('HMGET', ARGV[1] .. id, 'type', 'format', 'status', 'createdAt', 'finishedAt', 'objectKey', 'error', 'published')
  if r[3] then
    table.insert(out, { id, r[1], r[2], r[3], r[4], r[5] or '', r[6] or '', r[7] or '', r[8] or '' })
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
