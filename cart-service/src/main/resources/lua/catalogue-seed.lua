-- Seeds the catalogue without ever overwriting: HSETNX per product, so N replicas starting at
-- once make one catalogue, and an admin's change survives every restart and redeploy.
-- When anything was added, replicas are told to drop their copy (a new release may add products).
-- KEYS[1] catalogue hash (sku -> product JSON)
-- ARGV[1] changes channel, ARGV[2] change id, ARGV[3..] sku, product JSON, sku, product JSON, ...
local added = 0
for i = 3, #ARGV, 2 do
  added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
end
if added > 0 then
  redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' *')
end
return added
