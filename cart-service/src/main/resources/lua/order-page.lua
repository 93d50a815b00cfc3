-- One page of a user's order ids, newest first. The list grows at its head (LPUSH, newest first), so a
-- page is addressed from the tail, where positions never change: the cursor is the tail position that
-- the page lists below, and orders placed meanwhile neither repeat an id nor push one off a page.
-- KEYS[1] the user's order list; ARGV[1] page size, ARGV[2] the cursor ('' for the first page)
-- Returns { ids, next cursor ('' when this is the last page) }.
local n = redis.call('LLEN', KEYS[1])
local limit = tonumber(ARGV[1])
local below = n
if ARGV[2] ~= '' then
  below = math.min(tonumber(ARGV[2]), n)
end
if below <= 0 then
  return { {}, '' }
end
-- Tail positions below-1 down to below-limit; the list index of tail position t is -(t + 1).
local ids = redis.call('LRANGE', KEYS[1], -below, -math.max(1, below - limit + 1))
local next = ''
if below - limit > 0 then
  next = tostring(below - limit)
end
return { ids, next }
