-- Adds units of a product to a cart: sku check, If-Match, both limits and the write in one
-- atomic step, so concurrent adds through any replicas never lose an increment or pass a limit.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version), KEYS[2] catalogue hash
-- ARGV[1] sku, ARGV[2] quantity to add (>= 1), ARGV[3] max quantity per line, ARGV[4] max lines,
-- ARGV[5] inactivity expiry ms, ARGV[6] accepted versions ('' = any)
-- Returns { 'ok', version, sku, quantity, ... } or { outcome, detail }.
local function snapshot()
  local flat = redis.call('HGETALL', KEYS[1])
  local out = { 'ok', 0 }
  for i = 1, #flat, 2 do
    if flat[i] == '_version' then
      out[2] = tonumber(flat[i + 1])
    else
      out[#out + 1] = flat[i]
      out[#out + 1] = tonumber(flat[i + 1])
    end
  end
  return out
end

local function accepted(version, versions)
  if versions == '' then
    return true
  end
  for v in string.gmatch(versions, '%d+') do
    if tonumber(v) == version then
      return true
    end
  end
  return false
end

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
if current == 0 then
  local lines = redis.call('HLEN', KEYS[1]) - (version > 0 and 1 or 0)
  if lines >= tonumber(ARGV[4]) then
    return { 'line-limit', lines }
  end
end
redis.call('HSET', KEYS[1], ARGV[1], wanted, '_version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return snapshot()
