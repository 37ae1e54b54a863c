import {
  BreakerRegistry,
  type CircuitBreakerOptions,
  LocalRateLimiter,
  type Now,
  OutboundPolicy,
  type Random,
  type RetryOptions,
  type Sleep,
} from "../resilience/index.js";
import type { CallRunner } from "./arm-http.js";

/** How discovery's ARM calls are paced and retried. */
export interface ArmCallSettings {
  /** ARM's read bucket per subscription (docs/platform.md, "ARM throttling"): 250 burst, 25 per second. */
  readBucket?: { burst: number; refillPerSecond: number };
  /** Requests per logical call, first included. @default 6 */
  maxAttempts?: number;
  /** Limit on one request. @default 30_000 */
  attemptTimeoutMs?: number;
  /** Limit on one logical call, waits included. @default 180_000 */
  maxTotalMs?: number;
  /** First backoff step. @default 500 */
  baseDelayMs?: number;
  /** Backoff cap. @default 20_000 */
  maxDelayMs?: number;
  /**
   * Breaker per (subscription, provider namespace).
   * @default 10 consecutive failures, or half failing over 40 calls; a probe after 30 s
   */
  breaker?: CircuitBreakerOptions;
  now?: Now;
  random?: Random;
  sleep?: Sleep;
}

/** The composition discovery runs its ARM calls through. */
export interface ArmCalls {
  run: CallRunner;
  /** Bound on requests per logical call. */
  maxRequestsPerCall: number;
  /** Every breaker, keyed `{subscription id, lower-cased, or "(tenant)"}/{namespace, lower-cased}`. */
  breakers: BreakerRegistry;
}

/**
 * One OutboundPolicy (retry → breaker → token → timeout) per subscription, because ARM's read
 * bucket is per subscription; one breaker per (subscription, provider namespace), because what a
 * provider refuses or fails is often one subscription's (its own throttling, a regional fault, a
 * policy): a blip in one subscription must not turn every subscription's reads stale. A refused
 * call waits for its breaker's probe time within its retry budget. Tenant-level calls have a
 * bucket and breakers of their own. The caller's `ctx.signal` aborts token waits, backoffs and
 * the request in flight.
 */
export function createArmCalls(settings: ArmCallSettings = {}): ArmCalls {
  const bucket = settings.readBucket ?? { burst: 250, refillPerSecond: 25 };
  const clock = {
    ...(settings.now && { now: settings.now }),
    ...(settings.random && { random: settings.random }),
    ...(settings.sleep && { sleep: settings.sleep }),
  };
  const breakers = new BreakerRegistry(
    settings.breaker ?? { consecutiveFailures: 10, failureRatio: { threshold: 0.5, minimumCalls: 40, windowMs: 30_000 } },
  );
  const retry: Omit<RetryOptions, "now" | "random" | "sleep"> = {
    maxAttempts: settings.maxAttempts ?? 6,
    maxTotalMs: settings.maxTotalMs ?? 180_000,
    baseDelayMs: settings.baseDelayMs ?? 500,
    maxDelayMs: settings.maxDelayMs ?? 20_000,
  };
  const policies = new Map<string, OutboundPolicy>();
  const policyFor = (subscriptionId: string | undefined): OutboundPolicy => {
    const scope = subscriptionId?.toLowerCase() ?? "(tenant)";
    let policy = policies.get(scope);
    if (policy === undefined) {
      policy = new OutboundPolicy({
        ...clock,
        limiter: new LocalRateLimiter({ burst: bucket.burst, refillPerSecond: bucket.refillPerSecond, ...clock }),
        breakers,
        retry,
        attemptTimeoutMs: settings.attemptTimeoutMs ?? 30_000,
      });
      policies.set(scope, policy);
    }
    return policy;
  };
  const run: CallRunner = (ctx, attempt) =>
    policyFor(ctx.subscriptionId).execute((a) => attempt(a.signal, (headers) => a.observeHeaders(headers)), {
      key: `${ctx.subscriptionId?.toLowerCase() ?? "(tenant)"}/${ctx.namespace.toLowerCase()}`,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
  return { run, maxRequestsPerCall: retry.maxAttempts!, breakers };
}
