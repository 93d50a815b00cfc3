-- Records a direct upload that a client may PUT, and reserves its object key until the completion
-- deadline: past it, the maintenance job removes the object unless a file record claims it.
-- KEYS[1] upload record, KEYS[2] object cleanup set
-- ARGV: id, owner, name, size, contentType, object key, URL expiry ms, deadline ms
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'owner', ARGV[2], 'name', ARGV[3], 'size', ARGV[4],
  'type', ARGV[5], 'key', ARGV[6], 'expires', ARGV[7], 'deadline', ARGV[8])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[8], ARGV[6])
return 1
