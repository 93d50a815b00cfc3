-- One page of an owner's files, newest first (see index-page.lua), pruning index entries whose record is gone.
-- KEYS[1] the owner's file index; ARGV[1] file record key prefix, ARGV[2] page size,
-- ARGV[3] the cursor's score ('' for the first page), ARGV[4] the cursor's id
-- Returns { rows, next score ('' when this is the last page), next id }.
local rows, next_score, next_id = index_page(KEYS[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], function(id)
  local f = redis.call('HMGET', ARGV[1] .. id, 'id', 'owner', 'name', 'size', 'type', 'sha256', 'key', 'created')
  if f[1] then
    return f
  end
  return nil
end)
return { rows, next_score, next_id }
