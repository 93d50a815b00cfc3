-- Removes a line, honouring If-Match. Removing a line that is not there changes nothing.
-- KEYS[1] cart hash (sku -> quantity, '_version' -> version)
-- ARGV[1] sku, ARGV[2] inactivity expiry ms, ARGV[3] accepted versions ('' = any)
-- Returns { 'ok', version, sku, quantity, ... } or { 'stale', version }.
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
