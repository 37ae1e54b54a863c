import { BreakerRegistry } from "../../resilience/breaker/breaker-registry.js";
import type { CircuitStateName } from "../../resilience/breaker/circuit-breaker.js";
import type { ClockOptions } from "../../resilience/common/clock.js";
import { OutboundPolicy } from "../../resilience/outbound/outbound-policy.js";
import { LocalRateLimiter } from "../../resilience/rate-limit/local-rate-limiter.js";
import { isBackendFailure } from "./connection-failure.js";

/** Options of {@link backendPolicy}. */
export interface BackendPolicyOptions extends ClockOptions {
  /** Limit on one request. @default 3_000 */
  attemptTimeoutMs?: number;
  /** Attempts per logical call, the first included. @default 2 */
  maxAttempts?: number;
  /** Queries admitted at once before the limiter makes callers wait. @default 50 */
  burst?: number;
  /** Queries per second sustained. @default 25 */
  refillPerSecond?: number;
  /** Consecutive failures that open an endpoint's breaker. @default 3 */
  consecutiveFailures?: number;
  /** How long an open breaker refuses before one probe. @default 15_000 */
  halfOpenAfterMs?: number;
  /** Told of breaker transitions, for logs. */
  onStateChange?: (key: string, state: CircuitStateName) => void;
}

/** The resilience composition for one monitoring backend, and the breakers it uses. */
export interface BackendPolicy {
  policy: OutboundPolicy;
  breakers: BreakerRegistry;
}

/**
 * The outbound composition for a monitoring backend: a local token bucket, one breaker per
 * endpoint that also counts refused connections, a short retry budget. Monitoring answers a person
 * waiting on a page, so a dead backend must fail in a few seconds, not a minute.
 */
export function backendPolicy(options: BackendPolicyOptions = {}): BackendPolicy {
  const { attemptTimeoutMs = 3_000, maxAttempts = 2, now, random, sleep } = options;
  const breakers = new BreakerRegistry({
    consecutiveFailures: options.consecutiveFailures ?? 3,
    halfOpenAfterMs: options.halfOpenAfterMs ?? 15_000,
    isFailure: isBackendFailure,
    ...(options.onStateChange && { onStateChange: options.onStateChange }),
  });
  const limiter = new LocalRateLimiter({
    burst: options.burst ?? 50,
    refillPerSecond: options.refillPerSecond ?? 25,
    ...(now && { now }),
    ...(sleep && { sleep }),
  });
  const policy = new OutboundPolicy({
    limiter,
    breakers,
    retry: { maxAttempts, maxTotalMs: attemptTimeoutMs * maxAttempts + 1_000, baseDelayMs: 200, maxDelayMs: 1_000 },
    attemptTimeoutMs,
    maxTokenWaitMs: 2_000,
    ...(now && { now }),
    ...(random && { random }),
    ...(sleep && { sleep }),
  });
  return { policy, breakers };
}
