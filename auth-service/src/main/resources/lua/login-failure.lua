-- Counts a failed login for the account and for the client address within a window.
-- KEYS[1] account counter, KEYS[2] address counter; ARGV[1] window ms
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
return 1
