import { BreakerRegistry } from "../breaker/breaker-registry.js";
import { type ClockOptions, type Sleep, systemSleep } from "../common/clock.js";
import { headersOf, type HeaderSource, statusOf } from "../common/headers.js";
import { isBrokenCircuitError } from "../errors/broken-circuit-error.js";
import { RateLimitedError } from "../errors/rate-limited-error.js";
import { isTokenWaitError, TokenWaitError } from "../errors/token-wait-error.js";
import { observeArmHeaders } from "../rate-limit/arm-rate-limit-headers.js";
import type { RateLimiter } from "../rate-limit/rate-limit-result.js";
import { isRetryable } from "../retry/classify.js";
import { parseRetryAfterMs, retryAfterMsOf } from "../retry/retry-after.js";
import { type RetryOptions, RetryPolicy } from "../retry/retry-policy.js";
import { withTimeout } from "../timeout/with-timeout.js";

/** What one attempt of an outbound call receives. */
export interface OutboundAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborts on the attempt's timeout, the retry budget, or the caller's signal: pass it as `abortSignal`. */
  signal: AbortSignal;
  /** Feed a response's headers (the SDK's `onResponse`) so the limiter adapts to ARM's remaining reads. */
  observeHeaders(headers: HeaderSource | undefined): Promise<void>;
}

/** Options of {@link OutboundPolicy}. */
export interface OutboundPolicyOptions extends ClockOptions {
  /** Token bucket for the calls (ARM reads: burst 250, 25/s per subscription). */
  limiter: RateLimiter;
  /** Breakers, one per key (ARM provider namespace). @default new BreakerRegistry() */
  breakers?: BreakerRegistry;
  /** Retry settings; `maxAttempts` is the bound on requests per call. @default {} (RetryPolicy defaults) */
  retry?: Omit<RetryOptions, keyof ClockOptions>;
  /** Limit on one attempt, counted from when its request is sent (after the token). @default 30_000 */
  attemptTimeoutMs?: number;
  /** Longest wait for a token before the attempt is refused (RateLimitedError). @default Infinity (the retry budget bounds it) */
  maxTokenWaitMs?: number;
  /** Told each time a request is really sent (after breaker and token): for request counters. */
  onRequest?: (event: { key: string; attempt: number }) => void;
}

/** Per-call options of {@link OutboundPolicy.execute}. */
export interface OutboundCallOptions {
  /** Breaker key (discovery's ARM calls use `{subscription}/{provider namespace}`, lib/azure/arm-calls.ts). @default "arm" */
  key?: string;
  /** The caller's signal. */
  signal?: AbortSignal;
  /** Tokens one request costs. @default 1 */
  cost?: number;
}

/**
 * The one composition for outbound calls, outermost first: retry → circuit breaker → rate limit →
 * timeout → request. Each attempt passes the breaker (so a refused attempt costs no token and is
 * not sent), then takes exactly one token right before it is sent (never during a backoff), then
 * runs under its own timeout. With the SDK's retries off (`retryOptions: { maxRetries: 0 }`), one
 * logical call sends at most {@link maxRequestsPerCall} requests.
 */
export class OutboundPolicy {
  /** Bound on requests per logical call: `retry.maxAttempts` (each attempt sends one request, SDK retries off). */
  readonly maxRequestsPerCall: number;
  private readonly retry: RetryPolicy;
  private readonly breakers: BreakerRegistry;
  private readonly sleep: Sleep;

  constructor(private readonly options: OutboundPolicyOptions) {
    const { now, random } = options;
    this.sleep = options.sleep ?? systemSleep;
    const retryable = options.retry?.isRetryable ?? isRetryable;
    this.retry = new RetryPolicy({
      ...options.retry,
      // A call the breaker refused was never sent: within the budget, it waits for the breaker's
      // probe time (or backs off while another call probes) and tries again.
      isRetryable: (e) => isBrokenCircuitError(e) || retryable(e),
      retryAfterMs: (e, clock) => (isBrokenCircuitError(e) ? e.retryAfterMs || undefined : retryAfterMsOf(e, clock)),
      sleep: this.sleep,
      ...(now && { now }),
      ...(random && { random }),
    });
    this.breakers = options.breakers ?? new BreakerRegistry();
    this.maxRequestsPerCall = this.retry.maxAttempts;
  }

  /**
   * Runs one logical call. `fn` must send at most one request per invocation (an SDK call with
   * `retryOptions: { maxRetries: 0 }`) and honour `attempt.signal`.
   * A call the breaker refuses is retried like a failure, after the breaker's probe time.
   * @throws the last error when retries are exhausted or it is not retryable; BrokenCircuitError
   * (refused, and the probe time lies past the budget or the attempts are spent);
   * RateLimitedError; TimeoutError (attempt or budget); the signal's reason when aborted.
   */
  async execute<T>(fn: (attempt: OutboundAttempt) => Promise<T>, call: OutboundCallOptions = {}): Promise<T> {
    const { key = "arm", signal, cost = 1 } = call;
    const { limiter, attemptTimeoutMs = 30_000, maxTokenWaitMs = Infinity, onRequest } = this.options;
    const observeHeaders = async (headers: HeaderSource | undefined): Promise<void> => {
      await observeArmHeaders(limiter, headers);
    };
    return this.retry.execute(
      ({ attempt, signal: budget }) =>
        this.breakers
          .get(key)
          .execute(async (admitted) => {
            // Waiting for a token sends nothing: its end (abort, budget) must not count as the
            // provider failing, so the breaker sees it as a TokenWaitError, unwrapped below.
            const token = await limiter.acquire({ cost, signal: admitted, maxWaitMs: maxTokenWaitMs }).catch((cause: unknown) => {
              throw new TokenWaitError({ cause });
            });
            if (!token.success) throw new RateLimitedError(token);
            onRequest?.({ key, attempt });
            try {
              return await withTimeout((s) => fn({ attempt, signal: s, observeHeaders }), {
                timeoutMs: attemptTimeoutMs,
                signal: admitted,
                what: "attempt",
                sleep: this.sleep,
              });
            } catch (e) {
              await this.observeFailure(e);
              throw e;
            }
          }, budget)
          .catch((e: unknown) => {
            throw isTokenWaitError(e) ? e.cause : e;
          }),
      signal,
    );
  }

  private async observeFailure(e: unknown): Promise<void> {
    const headers = headersOf(e);
    await observeArmHeaders(this.options.limiter, headers);
    const retryAfterMs = statusOf(e) === 429 ? parseRetryAfterMs(headers, this.options.now) : undefined;
    // Throttled: every caller holds off, not just this one, or the next request earns a new Retry-After.
    if (retryAfterMs !== undefined) await this.options.limiter.pause(retryAfterMs);
  }
}
