-- Deletes every session of a user ("log out everywhere").
-- KEYS[1] the user's session index; ARGV[1] session key prefix
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  n = n + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
return n
