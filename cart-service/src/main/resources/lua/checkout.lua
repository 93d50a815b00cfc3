-- Checkout in ONE atomic step: check the idempotency key, check the cart, write the order with
-- prices frozen from the catalogue as it is now, list it under the user, remember key -> order,
-- empty the cart. A replica killed at any instant leaves either none of this or all of it.
-- KEYS[1] cart hash, KEYS[2] idempotency record, KEYS[3] catalogue hash, KEYS[4] the user's
-- order list, KEYS[5] the new order's key
-- ARGV[1] new order id, ARGV[2] user id, ARGV[3] idempotency key retention ms,
-- ARGV[4] cart inactivity expiry ms, ARGV[5] order key prefix (to read a replayed order)
-- Returns { 'created', order JSON }, { 'replayed', order JSON }, { 'key-reused' }, { 'empty' }
-- or { 'unknown-sku', sku }.
local lines = {}
local version = 0
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  if flat[i] == '_version' then
    version = tonumber(flat[i + 1])
  else
    lines[#lines + 1] = { flat[i], tonumber(flat[i + 1]) }
  end
end
table.sort(lines, function(a, b) return a[1] < b[1] end)

-- What was bought, independent of field order in the hash: compared when a key comes back.
local canonical = {}
for i, line in ipairs(lines) do
  canonical[i] = line[1] .. '=' .. line[2]
end
local fingerprint = redis.sha1hex(table.concat(canonical, '\n'))

local known = redis.call('HMGET', KEYS[2], 'order', 'fingerprint')
if known[1] then
  -- The same key again: the retry of a checkout that emptied the cart, or of one whose cart
  -- still holds exactly what was bought, gets the same order; any other cart is a misuse of the key.
  if #lines == 0 or known[2] == fingerprint then
    return { 'replayed', redis.call('GET', ARGV[5] .. known[1]) }
  end
  return { 'key-reused' }
end
if #lines == 0 then
  return { 'empty' }
end

local items = {}
local total = 0
for i, line in ipairs(lines) do
  local raw = redis.call('HGET', KEYS[3], line[1])
  if not raw then
    return { 'unknown-sku', line[1] }
  end
  local product = cjson.decode(raw)
  items[i] = { sku = line[1], name = product.name, quantity = line[2], priceCents = product.priceCents }
  total = total + line[2] * product.priceCents
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local order = cjson.encode({ id = ARGV[1], userId = ARGV[2], items = items, totalCents = total, createdAt = now })

redis.call('SET', KEYS[5], order)
redis.call('LPUSH', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[2], 'order', ARGV[1], 'fingerprint', fingerprint)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '_version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { 'created', order }
