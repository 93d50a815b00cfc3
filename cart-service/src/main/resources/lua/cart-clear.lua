-- Empties a cart, honouring If-Match. The version survives (and moves on), so an ETag taken
-- from the old cart can never match a new cart that happens to reach the same version number.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version)
-- ARGV[1] inactivity expiry ms, ARGV[2] accepted versions ('' = any)
-- Returns { 'ok', version } or { 'stale', version }.
-- Runs composed after cart-prelude.lua, which defines accepted, lineCount.
local version = tonumber(redis.call('HGET', KEYS[1], '_version') or '0')
if lineCount(version) <= 0 then
  -- Already empty: done whatever If-Match says (RFC 9110 13.1.1), as for a retried line removal.
  return { 'ok', version }
end
if not accepted(version, ARGV[2]) then
  return { 'stale', version }
end
version = version + 1
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '_version', version)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return { 'ok', version }
