-- Creates a user unless the email is taken, atomically, so two replicas registering the
-- same email at the same instant make one account and one 409.
-- KEYS[1] email index key, KEYS[2] user record; ARGV: id, email, displayName, roles, passwordHash, createdAt
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then
  return 0
end
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'email', ARGV[2], 'displayName', ARGV[3],
  'roles', ARGV[4], 'passwordHash', ARGV[5], 'createdAt', ARGV[6])
return 1
