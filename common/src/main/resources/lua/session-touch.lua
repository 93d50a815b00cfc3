-- Reads a session, checking idle and absolute expiry, and refreshes its idle timeout at most
-- once per refresh interval: a read within the interval of the last refresh writes nothing.
-- KEYS[1] session record; ARGV[1] idle ms, ARGV[2] refresh interval ms
-- Returns nil when the session does not exist or has expired (and then deletes it); otherwise
-- uid, email, roles, created, seen, abs, ua, and Redis's clock now (ms) as the 8th element.
local s = redis.call('HMGET', KEYS[1], 'uid', 'email', 'roles', 'created', 'seen', 'abs', 'ua')
if not s[1] then
  return nil
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local idle = tonumber(ARGV[1])
local abs = tonumber(s[6])
if now >= abs or now - tonumber(s[5]) >= idle then
  redis.call('DEL', KEYS[1])
  return nil
end
if now - tonumber(s[5]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'seen', now)
  redis.call('PEXPIRE', KEYS[1], math.min(idle, abs - now))
  s[5] = tostring(now)
end
s[7] = s[7] or ''
s[8] = tostring(now)
return s
