-- Removes a line, honouring If-Match. Removing a line that is not there changes nothing.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version)
-- ARGV[1] sku, ARGV[2] inactivity expiry ms, ARGV[3] accepted versions ('' = any)
-- Returns { 'ok', version, sku, quantity, ... } or { 'stale', version }.
-- Runs composed after cart-prelude.lua, which defines snapshot, accepted.
local version = tonumber(redis.call('HGET', KEYS[1], '_version') or '0')
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  -- Already gone: the answer is the cart whatever If-Match says (RFC 9110 13.1.1), so that a retried
  -- DELETE whose first attempt was applied does not answer 412.
  return snapshot()
end
if not accepted(version, ARGV[3]) then
  return { 'stale', version }
end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], '_version', version + 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return snapshot()
