import type { ClientApiBase } from "azure-devops-node-api/ClientApiBases.js";

import { hasCode } from "../errors/has-code.js";
import {
  BreakerRegistry,
  type CircuitBreakerOptions,
  headerValue,
  LocalRateLimiter,
  type Now,
  OutboundPolicy,
  type Random,
  type RateLimiter,
  type RedisScriptRunner,
  SharedRateLimiter,
  type Sleep,
} from "../resilience/index.js";

/** A DevOps answer that was not 2xx: typed, with the status and headers retry and throttling read. */
export class DevOpsRequestError extends Error {
  override readonly name = "DevOpsRequestError";
  readonly code = "DEVOPS_REQUEST_FAILED";
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly url: string,
    body: string,
  ) {
    super(`GET ${url.replace(/\?.*/, "")} answered ${statusCode}: ${body.slice(0, 200)}`);
  }
}

/** Whether `e` is a {@link DevOpsRequestError}, also across two copies of the module. */
export function isDevOpsRequestError(e: unknown): e is DevOpsRequestError {
  return hasCode(e, "DEVOPS_REQUEST_FAILED");
}

/** Settings of {@link createDevOpsCalls}. */
export interface DevOpsCallSettings {
  /** The organisation (bucket key and breaker key). */
  organization: string;
  /** Requests per minute for the organisation, across all instances. @default 200 */
  requestsPerMinute?: number;
  /** Shares the limit across instances (the store's Redis); without it the limit is per process. */
  redis?: RedisScriptRunner;
  /** A limiter to use instead (tests). */
  limiter?: RateLimiter;
  /** @default 6 */
  maxAttempts?: number;
  /** @default 30_000 */
  attemptTimeoutMs?: number;
  /** @default 300_000 */
  maxTotalMs?: number;
  /** @default 10 consecutive failures; a probe after 30 s */
  breaker?: CircuitBreakerOptions;
  now?: Now;
  random?: Random;
  sleep?: Sleep;
}

/** Counters of one organisation's calls. */
export interface DevOpsCallStats {
  requests: number;
  throttled: number;
  retries: number;
  pages: number;
}

/** Where a list lives: the client's location id and api-version, as its typed method would ask. */
export interface DevOpsList {
  area: string;
  locationId: string;
  apiVersion: string;
  routeValues: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
}

/** One answer: `value` of a list envelope, the whole `body`, and the next page's token. */
export interface DevOpsPage {
  value: Record<string, unknown>[];
  body: Record<string, unknown>;
  continuationToken?: string;
}

/** The composition DevOps discovery sends every request through. */
export interface DevOpsCalls {
  /** One GET of a JSON list page through retry → breaker → limiter → timeout. */
  get(api: ClientApiBase, list: DevOpsList, continuationToken?: string, signal?: AbortSignal): Promise<DevOpsPage>;
  /** Every item of a list, following `x-ms-continuationtoken`. */
  listAll(api: ClientApiBase, list: DevOpsList, signal?: AbortSignal): Promise<Record<string, unknown>[]>;
  /** Runs a client call (e.g. `getGitApi()`, whose resource-area lookup is a request) through the same composition; `cost` tokens (the requests it sends). */
  run<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, cost?: number): Promise<T>;
  stats: DevOpsCallStats;
  breakers: BreakerRegistry;
}

/**
 * The per-organisation limit, shared through Redis when given: a burst of one second's budget (at least 2) and
 * a refill of the rest, so that no sliding minute (Azure DevOps counts usage in sliding windows)
 * holds more than `requestsPerMinute` requests.
 */
export function devopsLimiter(
  settings: Pick<DevOpsCallSettings, "organization" | "requestsPerMinute" | "redis" | "now" | "sleep">,
): RateLimiter {
  const perMinute = settings.requestsPerMinute ?? 200;
  // At least 2: a client's first call in an area costs two tokens.
  const burst = Math.max(2, Math.floor(perMinute / 60));
  const refillPerSecond = Math.max(1, perMinute - burst) / 60;
  const clock = { ...(settings.now && { now: settings.now }), ...(settings.sleep && { sleep: settings.sleep }) };
  if (settings.redis === undefined) return new LocalRateLimiter({ burst, refillPerSecond, ...clock });
  return new SharedRateLimiter({
    redis: settings.redis,
    key: `topdeck:ratelimit:devops:${settings.organization.toLowerCase()}`,
    burst,
    refillPerSecond,
    ...clock,
  });
}

/**
 * Reads Azure DevOps' throttling headers off an answer: `X-RateLimit-Remaining` lowers the level,
 * a `Retry-After` (sent before delays begin) or `X-RateLimit-Delay` holds every caller off.
 */
async function observeDevOpsHeaders(limiter: RateLimiter, headers: Record<string, string | string[] | undefined>): Promise<boolean> {
  const remaining = Number(headerValue(headers, "x-ratelimit-remaining"));
  if (headerValue(headers, "x-ratelimit-remaining") !== undefined && Number.isFinite(remaining)) await limiter.observeRemaining(remaining);
  const retryAfterS = Number(headerValue(headers, "retry-after"));
  const delayS = Number(headerValue(headers, "x-ratelimit-delay"));
  const holdMs = Math.max(Number.isFinite(retryAfterS) ? retryAfterS * 1000 : 0, Number.isFinite(delayS) ? delayS * 1000 : 0);
  if (holdMs > 0) await limiter.pause(holdMs);
  return holdMs > 0;
}

/** One organisation's DevOps call composition (retry → breaker → shared limit → timeout). */
export function createDevOpsCalls(settings: DevOpsCallSettings): DevOpsCalls {
  const limiter = settings.limiter ?? devopsLimiter(settings);
  const breakers = new BreakerRegistry(settings.breaker ?? { consecutiveFailures: 10 });
  const stats: DevOpsCallStats = { requests: 0, throttled: 0, retries: 0, pages: 0 };
  const calls: CallState = {
    policy: outboundPolicy(settings, limiter, breakers, stats),
    key: `devops/${settings.organization.toLowerCase()}`,
    limiter,
    stats,
    areasSeen: new Set<string>(),
  };
  const run = <T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, cost = 1): Promise<T> => runCall(calls, fn, signal, cost);
  const get: DevOpsCalls["get"] = (api, list, continuationToken, signal) => getPage(calls, api, list, continuationToken, signal);
  const listAll: DevOpsCalls["listAll"] = (api, list, signal) => listAllPages(get, api, list, signal);
  return { get, listAll, run, stats, breakers };
}

/** What one organisation's calls share. */
interface CallState {
  policy: OutboundPolicy;
  /** The breaker and limiter key of the organisation. */
  key: string;
  limiter: RateLimiter;
  stats: DevOpsCallStats;
  /** `<base URL>|<area>` of each area a request was sent to. */
  areasSeen: Set<string>;
}

/** The retry → breaker → limiter → timeout policy, counting every attempt and retry in `stats`. */
function outboundPolicy(
  settings: DevOpsCallSettings,
  limiter: RateLimiter,
  breakers: BreakerRegistry,
  stats: DevOpsCallStats,
): OutboundPolicy {
  const clock = {
    ...(settings.now && { now: settings.now }),
    ...(settings.random && { random: settings.random }),
    ...(settings.sleep && { sleep: settings.sleep }),
  };
  return new OutboundPolicy({
    ...clock,
    limiter,
    breakers,
    retry: { maxAttempts: settings.maxAttempts ?? 6, maxTotalMs: settings.maxTotalMs ?? 300_000, baseDelayMs: 500, maxDelayMs: 30_000 },
    attemptTimeoutMs: settings.attemptTimeoutMs ?? 30_000,
    onRequest: ({ attempt }) => {
      stats.requests += 1;
      if (attempt > 1) stats.retries += 1;
    },
  });
}

/** Runs `fn` through the policy at `cost` tokens, its HTTP failures as {@link DevOpsRequestError}s. */
function runCall<T>(calls: CallState, fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined, cost: number): Promise<T> {
  return calls.policy.execute(
    (a) =>
      fn(a.signal).catch((e: unknown) => {
        throw clientCallError(e, calls.stats);
      }),
    { key: calls.key, cost, ...(signal && { signal }) },
  );
}

/**
 * A client call's failure as retry and throttling read it: typed-rest-client (the client's
 * resource-area and OPTIONS calls) puts the answer's headers on `responseHeaders`, so an error
 * with a status becomes a {@link DevOpsRequestError} with them; anything else is left as it is.
 */
function clientCallError(e: unknown, stats: DevOpsCallStats): unknown {
  const { statusCode, responseHeaders } = e as { statusCode?: unknown; responseHeaders?: unknown };
  if (isDevOpsRequestError(e) || typeof statusCode !== "number") return e;
  if (statusCode === 429) stats.throttled += 1;
  return new DevOpsRequestError(statusCode, (responseHeaders ?? {}) as Record<string, string>, "(client call)", (e as Error).message);
}

/**
 * One page of a list through the policy. The client's first call in an area also sends OPTIONS
 * _apis/{area} (then cached): that attempt costs two tokens, so every request the server sees is paced.
 */
function getPage(
  calls: CallState,
  api: ClientApiBase,
  list: DevOpsList,
  continuationToken: string | undefined,
  signal: AbortSignal | undefined,
): Promise<DevOpsPage> {
  const area = `${api.baseUrl}|${list.area.toLowerCase()}`;
  const cost = calls.areasSeen.has(area) ? 1 : 2;
  calls.areasSeen.add(area);
  return runCall(calls, () => fetchPage(calls, api, list, continuationToken), signal, cost);
}

/** One GET of a list page: counts it (and a throttled answer), observes the throttling headers. */
async function fetchPage(
  calls: CallState,
  api: ClientApiBase,
  list: DevOpsList,
  continuationToken: string | undefined,
): Promise<DevOpsPage> {
  const { stats } = calls;
  const query = { ...list.query, ...(continuationToken === undefined ? {} : { continuationToken }) };
  // The client's own location discovery (OPTIONS _apis/{area}, cached per area) builds the URL.
  const { requestUrl, apiVersion } = await api.vsoClient.getVersioningData(
    list.apiVersion,
    list.area,
    list.locationId,
    { ...list.routeValues },
    query,
  );
  if (requestUrl === undefined) throw new Error(`no route for ${list.area}/${list.locationId}`);
  const res = await api.http.get(requestUrl, { Accept: api.createAcceptHeader("application/json", apiVersion) });
  const body = await res.readBody();
  const status = res.message.statusCode ?? 0;
  const headers = res.message.headers;
  if (status === 429) stats.throttled += 1;
  if (status < 200 || status > 299) throw new DevOpsRequestError(status, headers, requestUrl, body);
  if (await observeDevOpsHeaders(calls.limiter, headers)) stats.throttled += 1;
  stats.pages += 1;
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const next = headerValue(headers, "x-ms-continuationtoken");
  return {
    value: Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>[]) : [],
    body: parsed,
    ...(next !== undefined && next !== "" && { continuationToken: next }),
  };
}

/** Every item of a list, page after page. */
async function listAllPages(
  get: DevOpsCalls["get"],
  api: ClientApiBase,
  list: DevOpsList,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await get(api, list, token, signal);
    items.push(...page.value);
    token = page.continuationToken;
    // A token seen before would loop forever: a server bug, stop with what was read.
    if (token !== undefined && seen.has(token)) throw new Error(`continuation token ${token} repeated`);
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return items;
}
