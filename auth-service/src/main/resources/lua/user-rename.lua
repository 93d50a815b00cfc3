-- Changes the display name only while the user exists (a bare HSET would resurrect a husk).
-- KEYS[1] user record; ARGV[1] new display name
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'displayName', ARGV[1])
  return 1
end
return 0
