/**
 * Resilience and fan-out for outbound calls: retry, circuit breaker, rate limiter (local and
 * shared over Redis), timeout, worker pool, error description, and the one composition for ARM calls.
 * See docs/resilience.md.
 */
export { BreakerRegistry } from "./breaker/breaker-registry.js";
export { type BreakerSnapshot, parseBreakerSnapshot } from "./breaker/breaker-snapshot.js";
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitStateName, isBreakerFailure } from "./breaker/circuit-breaker.js";
export { type FailureRatioOptions } from "./breaker/consecutive-or-ratio-breaker.js";
export {
  abortReason,
  type ClockOptions,
  isAbortError,
  type Now,
  type Random,
  type Sleep,
  systemSleep,
  throwIfAborted,
} from "./common/clock.js";
export { headersOf, type HeaderSource, headerValue, statusOf } from "./common/headers.js";
export { BrokenCircuitError, isBrokenCircuitError } from "./errors/broken-circuit-error.js";
export { describeError } from "./errors/describe-error.js";
export { isRateLimitedError, RateLimitedError } from "./errors/rate-limited-error.js";
export { isTimeoutError, TimeoutError } from "./errors/timeout-error.js";
export { type OutboundAttempt, type OutboundCallOptions, OutboundPolicy, type OutboundPolicyOptions } from "./outbound/outbound-policy.js";
export { type PoolOptions, runPool } from "./pool/run-pool.js";
export { type PoolProgress, type TaskContext, type TaskRecord } from "./pool/task-record.js";
export {
  ARM_REMAINING_GLOBAL_READS_HEADER,
  ARM_REMAINING_READS_HEADER,
  observeArmHeaders,
  remainingReadsOf,
} from "./rate-limit/arm-rate-limit-headers.js";
export { LocalRateLimiter, type LocalRateLimiterOptions } from "./rate-limit/local-rate-limiter.js";
export { type AcquireOptions, type RateLimiter, type RateLimitReason, type RateLimitResult } from "./rate-limit/rate-limit-result.js";
export { type RedisScriptRunner, SharedRateLimiter, type SharedRateLimiterOptions } from "./rate-limit/shared-rate-limiter.js";
export { TokenBucket } from "./rate-limit/token-bucket.js";
export { TOKEN_BUCKET_SCRIPT } from "./rate-limit/token-bucket-script.js";
export { backoffDelayMs, type BackoffOptions } from "./retry/backoff.js";
export { isRetryable, isRetryableStatus, RETRYABLE_NETWORK_CODES } from "./retry/classify.js";
export { parseRetryAfterMs, retryAfterMsOf } from "./retry/retry-after.js";
export { type AttemptContext, type RetryEvent, type RetryOptions, RetryPolicy } from "./retry/retry-policy.js";
export { type TimeoutOptions, withTimeout } from "./timeout/with-timeout.js";
