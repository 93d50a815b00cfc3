-- One page of a user's reports, newest first (see index-page.lua), dropping index entries whose report expired.
-- KEYS[1] the user's report index; ARGV[1] record prefix, ARGV[2] page size,
-- ARGV[3] the cursor's score ('' for the first page), ARGV[4] the cursor's id
-- Returns { rows, next score ('' when this is the last page), next id };
-- a row is { id, type, format, status, createdAt, finishedAt, objectKey, error, published }.
local rows, next_score, next_id = index_page(KEYS[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], function(id)
  local r = redis.call('HMGET', ARGV[1] .. id, 'type', 'format', 'status', 'createdAt', 'finishedAt', 'objectKey', 'error', 'published')
  if r[3] then
    return { id, r[1], r[2], r[3], r[4], r[5] or '', r[6] or '', r[7] or '', r[8] or '' }
  end
  return nil
end)
return { rows, next_score, next_id }
