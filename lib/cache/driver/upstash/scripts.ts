// Lua run by EVAL on Redis (and Upstash): each is one atomic step. Every key a script touches is
// passed in KEYS, as Upstash and Redis Cluster expect.

/** KEYS: lock, fence. ARGV: owner, ttlMs. Returns the new fencing token, or 0 when the lock is held. */
export const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;

/** KEYS: lock. ARGV: owner, ttlMs. Returns 1 when the owner still held the lock and its TTL was reset. */
export const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** KEYS: lock. ARGV: owner. Compare-and-delete: returns 1 when the owner's lock was deleted. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * KEYS: pointer, counter, list, required keys... ARGV: "1" when the pointer is expected present
 * (else "0"), expected value, next value, list items...
 * Returns {"committed", counter} | {"conflict"} | {"missing", key}.
 */
export const SWAP_POINTER = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return {'conflict'} end
elseif current then
  return {'conflict'}
end
for i = 4, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then return {'missing', KEYS[i]} end
end
for i = 4, #KEYS do redis.call('PERSIST', KEYS[i]) end
redis.call('SET', KEYS[1], ARGV[3])
for i = 4, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
return {'committed', redis.call('INCR', KEYS[2])}`;
