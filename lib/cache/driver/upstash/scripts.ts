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
 * KEYS: pointer, counter, list, then lock and fence when fenced, then the required keys.
 * ARGV: "1" when the pointer is expected present (else "0"), expected value, next value, "1" when
 * fenced (else "0"), lock owner, fencing token, list items...
 * Returns {"committed", counter} | {"conflict"} | {"fenced", holder or false, token} | {"missing", key}.
 */
export const SWAP_POINTER = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return {'conflict'} end
elseif current then
  return {'conflict'}
end
local first = 4
if ARGV[4] == '1' then
  first = 6
  local holder = redis.call('GET', KEYS[4])
  local token = redis.call('GET', KEYS[5]) or '0'
  if holder ~= ARGV[5] or token ~= ARGV[6] then return {'fenced', holder, token} end
end
for i = first, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then return {'missing', KEYS[i]} end
end
for i = first, #KEYS do redis.call('PERSIST', KEYS[i]) end
redis.call('SET', KEYS[1], ARGV[3])
for i = 7, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
return {'committed', redis.call('INCR', KEYS[2])}`;

/**
 * KEYS: key. ARGV: "1" when the key is expected present (else "0"), expected value, value, ttlMs.
 * Compare-and-set: returns 1 when it wrote.
 */
export const SET_IF_VALUE = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1`;
