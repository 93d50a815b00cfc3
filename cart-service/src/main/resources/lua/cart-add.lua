-- Adds units of a product to a cart: sku check, If-Match, both limits and the write in one
-- atomic step, so concurrent adds through any replicas never lose an increment or pass a limit.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version), KEYS[2] catalogue hash
-- ARGV[1] sku, ARGV[2] quantity to add (>= 1), ARGV[3] max quantity per line, ARGV[4] max lines,
-- ARGV[5] inactivity expiry ms, ARGV[6] accepted versions ('' = any)
-- Returns { 'ok', version, sku, quantity, ... } or { outcome, detail }.
-- Runs composed after cart-prelude.lua, which defines snapshot, accepted, lineLimitReached.
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return { 'unknown-sku', 0 }
end
local version = tonumber(redis.call('HGET', KEYS[1], '_version') or '0')
if not accepted(version, ARGV[6]) then
  return { 'stale', version }
end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then
  return { 'quantity-limit', current }
end
local lines = lineLimitReached(current, version, tonumber(ARGV[4]))
if lines then
  return { 'line-limit', lines }
end
redis.call('HSET', KEYS[1], ARGV[1], wanted, '_version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return snapshot()
