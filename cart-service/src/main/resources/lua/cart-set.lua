-- Sets the quantity of a line (0 removes it), atomically with the sku check, If-Match and limits.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version), KEYS[2] catalogue hash
-- ARGV[1] sku, ARGV[2] quantity (>= 0), ARGV[3] max quantity per line, ARGV[4] max lines,
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
  if current == 0 then
    local lines = redis.call('HLEN', KEYS[1]) - (version > 0 and 1 or 0)
    if lines >= tonumber(ARGV[4]) then
      return { 'line-limit', lines }
    end
  end
  redis.call('HSET', KEYS[1], ARGV[1], quantity)
end
redis.call('HSET', KEYS[1], '_version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return snapshot()
