-- Deletes one session of a user. Membership of the user's index proves ownership,
-- so one user can never revoke another's session by guessing its id.
-- KEYS[1] the user's session index; ARGV[1] session id (handle), ARGV[2] session key prefix
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('DEL', ARGV[2] .. ARGV[1])
