/**
 * Resilience and fan-out for outbound calls: retry, circuit breaker, rate limiter (local and
 * shared over Redis), timeout, error tracker, worker pool, and the one composition for ARM calls.
 * See docs/resilience.md.
 */
export { BreakerRegistry } from "./breaker/BreakerRegistry.js";
export { type BreakerSnapshot, parseBreakerSnapshot } from "./breaker/BreakerSnapshot.js";
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitStateName,
  isBreakerFailure,
} from "./breaker/CircuitBreaker.js";
export { type FailureRatioOptions } from "./breaker/ConsecutiveOrRatioBreaker.js";
export { providerNamespaceOf } from "./breaker/providerNamespace.js";
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
export { AllFailedError, isAllFailedError } from "./errors/AllFailedError.js";
export { BrokenCircuitError, isBrokenCircuitError } from "./errors/BrokenCircuitError.js";
export { isRateLimitedError, RateLimitedError } from "./errors/RateLimitedError.js";
export { isTimeoutError, TimeoutError } from "./errors/TimeoutError.js";
export { azureSdkRetryOptions } from "./outbound/azureSdkRetryOptions.js";
export {
  type OutboundAttempt,
  type OutboundCallOptions,
  OutboundPolicy,
  type OutboundPolicyOptions,
} from "./outbound/OutboundPolicy.js";
export { parallelMap } from "./pool/parallelMap.js";
export { type PoolOptions, runPool } from "./pool/runPool.js";
export { type PoolProgress, type TaskContext, type TaskRecord } from "./pool/TaskRecord.js";
export {
  ARM_REMAINING_GLOBAL_READS_HEADER,
  ARM_REMAINING_READS_HEADER,
  observeArmHeaders,
  remainingReadsOf,
} from "./rateLimit/armRateLimitHeaders.js";
export { LocalRateLimiter, type LocalRateLimiterOptions } from "./rateLimit/LocalRateLimiter.js";
export {
  type AcquireOptions,
  type RateLimiter,
  type RateLimitReason,
  type RateLimitResult,
} from "./rateLimit/RateLimitResult.js";
export { type RedisScriptRunner, SharedRateLimiter, type SharedRateLimiterOptions } from "./rateLimit/SharedRateLimiter.js";
export { TokenBucket } from "./rateLimit/TokenBucket.js";
export { TOKEN_BUCKET_SCRIPT } from "./rateLimit/tokenBucketScript.js";
export { backoffDelayMs,type BackoffOptions } from "./retry/backoff.js";
export { isRetryable, isRetryableStatus, RETRYABLE_NETWORK_CODES } from "./retry/classify.js";
export { parseRetryAfterMs, retryAfterMsOf } from "./retry/retryAfter.js";
export { type AttemptContext, type RetryEvent, type RetryOptions, RetryPolicy } from "./retry/RetryPolicy.js";
export { type TimeoutOptions,withTimeout } from "./timeout/withTimeout.js";
export { type ErrorSummary } from "./tracker/ErrorSummary.js";
export { describeError, ErrorTracker,type TrackedError } from "./tracker/ErrorTracker.js";
