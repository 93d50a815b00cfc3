-- A prelude (RedisScript.fromResources) of every script that announces an event to a user. The event is kept in
-- the user's bounded history and published live in the same atomic step, so that a client that reconnects with
-- the last eventId it saw finds exactly what it missed, and never an event that was not also published.
--
-- The caller passes the user's stream (contracts' NotificationKeys.events) in KEYS, as Redis asks of every key a
-- script touches. The record's key and the stream's are not co-located on one Cluster slot (no hash tag): on a
-- Redis Cluster these scripts would fail with CROSSSLOT. The stack runs one Redis (with a replica); co-locating
-- the keys is a later step.
--
-- Every announcing script takes the same trailing arguments:
--   ARGV[4] prefix of the users' live channels, ARGV[5] prefix of the event streams, ARGV[6] most events kept per user,
--   ARGV[7] longest an event is kept (ms).

-- True when `stream` is the stream of `user_id`: a job that names another user than the record's must not
-- write into anyone's history (the script then changes nothing).
local function is_events_of(stream, user_id)
  return type(user_id) == 'string' and stream == ARGV[5] .. user_id
end

-- announce(stream, user_id, event, now) -> the event's id
--   Appends `event` (a table, encoded as JSON without its id) to `stream`, trims the stream to the newest
--   ARGV[6] entries and to those younger than ARGV[7] ms, lets the whole stream expire ARGV[7] ms after this
--   event (an idle user's history vanishes), and publishes {userId, event} with event.eventId set to the entry
--   id. Trimming is exact (no '~'): an approximate trim only drops whole radix-tree nodes (100 entries by default),
--   which would keep up to twice the bound and make "no longer kept" depend on node boundaries; with bounds of a
--   few hundred entries the exact trim costs about one entry per append.
local function announce(stream, user_id, event, now)
  local max_age = tonumber(ARGV[7])
  local id = redis.call('XADD', stream, 'MAXLEN', '=', ARGV[6], '*', 'event', cjson.encode(event))
  redis.call('XTRIM', stream, 'MINID', '=', tostring(now - max_age))
  redis.call('PEXPIRE', stream, max_age)
  event.eventId = id
  redis.call('PUBLISH', ARGV[4] .. user_id, cjson.encode({ userId = user_id, event = event }))
  return id
end
