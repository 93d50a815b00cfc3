-- One page of a user's kept events after a given one, read in one step, so that "the given event is still
-- kept" and "these follow it" are true of the same moment (a trim between two separate reads would leave a
-- gap unnoticed).
-- KEYS[1] the user's event stream (contracts' NotificationKeys.events)
-- ARGV[1] the id after which to start, or '' for the oldest kept; ARGV[2] most events to answer
-- Returns {'lost'} when ARGV[1] is no longer in the stream (trimmed or expired: what followed it may be gone
-- too), else {'kept', more (1 when events follow the page, else 0), id, event JSON, id, event JSON, ...}.
local start = '-'
if ARGV[1] ~= '' then
  if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then
    return { 'lost' }
  end
  start = '(' .. ARGV[1]
end
local limit = tonumber(ARGV[2])
local entries = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', limit + 1)
local reply = { 'kept', #entries > limit and 1 or 0 }
for i = 1, math.min(#entries, limit) do
  local fields = entries[i][2]
  for j = 1, #fields, 2 do
    if fields[j] == 'event' then
      table.insert(reply, entries[i][1])
      table.insert(reply, fields[j + 1])
    end
  end
end
return reply
