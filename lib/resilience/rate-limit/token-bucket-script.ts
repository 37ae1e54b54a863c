/**
 * The shared token bucket as one atomic Redis script, so concurrent instances never both spend the
 * last token. State is a hash {tokens, ts}; the key expires when the bucket would be full anyway.
 *
 * KEYS[1] bucket key. ARGV: capacity, refill per second, cost (0: only look; negative: give back),
 * now (epoch ms, the caller's clock), ceiling ("" for none: else the level is first lowered to it).
 * Returns integers (Redis truncates Lua numbers): {granted 0|1, whole tokens left, ms until `cost`
 * would be granted (0 when granted), ms until full}.
 */
export const TOKEN_BUCKET_SCRIPT = `
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local ceiling = ARGV[5]
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
elseif now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * perMs)
  ts = now
end
if ceiling ~= '' then
  tokens = math.min(tokens, tonumber(ceiling))
end
local granted = 0
local waitMs = 0
if cost <= tokens then
  tokens = math.min(capacity, tokens - cost)
  granted = 1
else
  waitMs = math.ceil((cost - tokens) / perMs)
end
local fullMs = math.ceil((capacity - tokens) / perMs)
if fullMs > 0 then
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(ts))
  redis.call('PEXPIRE', key, fullMs)
else
  redis.call('DEL', key)
end
return { granted, math.floor(math.max(tokens, 0)), waitMs, fullMs }
`;
