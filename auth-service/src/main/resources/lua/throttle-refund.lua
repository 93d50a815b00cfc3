-- Gives back the slots an attempt took, once it turned out not to be a failure (a correct password).
-- KEYS[1] is cleared: the counter of this account from this address, where the owner just proved the password.
-- KEYS[2..] each lose the one slot: the account-wide and address-wide counts of others' failures stay.
-- A counter that expired meanwhile would go negative: it is removed instead.
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if redis.call('DECR', KEYS[i]) <= 0 then
    redis.call('DEL', KEYS[i])
  end
end
return 1
