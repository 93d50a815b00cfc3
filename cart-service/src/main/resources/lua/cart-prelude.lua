-- Shared by the cart scripts: RedisScript.fromResources puts it in front of each, and the two run as one
-- chunk, so these file-level locals are the script's own. It only defines functions and runs no command,
-- so every script still does its checks in its own order. The functions take what they need as arguments:
-- a script's own locals (version, current) come later in the chunk and are not visible here.
-- KEYS[1] is the cart hash (sku -> quantity, '_version' -> version) in every cart script.

-- The cart as the scripts answer it: { 'ok', version, sku, quantity, ... }.
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

-- If-Match: whether the cart's version is one of the accepted versions ('' = any).
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

-- The cart's lines: every field but '_version', which is there once the cart has a version (> 0).
local function lineCount(version)
  return redis.call('HLEN', KEYS[1]) - (version > 0 and 1 or 0)
end

-- The line limit: the cart's line count when a new line (current quantity 0) would pass maxLines,
-- nil when the line fits or is already in the cart.
local function lineLimitReached(current, version, maxLines)
  if current == 0 then
    local lines = lineCount(version)
    if lines >= maxLines then
      return lines
    end
  end
  return nil
end
