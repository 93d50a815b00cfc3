-- A prelude (RedisScript.fromResources): one newest-first page of a sorted-set index whose scores are
-- creation times (ms) and whose members are ids, for the paged lists.
--
-- index_page(key, limit, after_score, after_id, row_of) -> rows, next_score, next_id
--   after_score '' (first page) or the cursor's score; the page holds the entries after
--   (after_score, after_id) in (score desc, id desc) order, the order ZREVRANGEBYSCORE gives.
--   row_of(id) answers the row of an entry, or nil when its record is gone: such an entry is removed
--   from the index and skipped. next_score is '' when no live entry follows the page.
local function index_page(key, limit, after_score, after_id, row_of)
  local rows, next_score, next_id = {}, '', ''
  local max = after_score == '' and '+inf' or after_score
  local offset, batch = 0, limit + 1
  while next_score == '' do
    local entries = redis.call('ZREVRANGEBYSCORE', key, max, '-inf', 'WITHSCORES', 'LIMIT', offset, batch)
    local removed = 0
    for i = 1, #entries, 2 do
      local id, score = entries[i], entries[i + 1]
      local seen = after_score ~= '' and tonumber(score) == tonumber(after_score) and id >= after_id
      if not seen then
        local row = row_of(id)
        if not row then
          redis.call('ZREM', key, id)
          removed = removed + 1
        elseif #rows < limit then
          table.insert(rows, row)
          next_id = id
          next_score = ''
          rows.last_score = score
        else
          -- A live entry after a full page: there is a next page, which starts after the page's last row.
          next_score = rows.last_score
          break
        end
      end
    end
    if next_score ~= '' or #entries < batch * 2 then
      break
    end
    offset = offset + batch - removed
  end
  if next_score == '' then
    next_id = ''
  end
  rows.last_score = nil
  return rows, next_score, next_id
end
