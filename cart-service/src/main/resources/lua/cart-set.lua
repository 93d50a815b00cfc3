-- Sets the quantity of a line (0 removes it), atomically with the sku check, If-Match and limits.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version), KEYS[2] catalogue hash
-- ARGV[1] sku, ARGV[2] quantity (>= 0), ARGV[3] max quantity per line, ARGV[4] max lines,
-- ARGV[5] inactivity expiry ms, ARGV[6] accepted versions ('' = any)
-- Returns { 'ok', version, sku, quantity, ... } or { outcome, detail }.
-- Runs composed after cart-prelude.lua, which defines snapshot, accepted, lineLimitReached.
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return { 'unknown-sku', 0 }
end
local version = tonumber(redis.call('HGET', KEYS[1], '_version') or '0')
local quantity = tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if quantity == current then
  -- Nothing changes, so the version stays: a repeated PUT is idempotent. This comes before If-Match
  -- (RFC 9110 13.1.1 allows a 2xx when the requested change is already in place): a proxy that resends
  -- a PUT whose replica applied it and died before answering must not turn the user's own write into 412.
  return snapshot()
end
if not accepted(version, ARGV[6]) then
  return { 'stale', version }
end
if quantity > tonumber(ARGV[3]) then
  return { 'quantity-limit', current }
end
if quantity == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  local lines = lineLimitReached(current, version, tonumber(ARGV[4]))
  if lines then
    return { 'line-limit', lines }
  end
  redis.call('HSET', KEYS[1], ARGV[1], quantity)
end
redis.call('HSET', KEYS[1], '_version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return snapshot()
