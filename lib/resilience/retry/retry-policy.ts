import { type ClockOptions, type Now, type Random, type Sleep, systemSleep, throwIfAborted } from "../common/clock.js";
import { withTimeout } from "../timeout/with-timeout.js";
import { backoffDelayMs } from "./backoff.js";
import { isRetryable } from "./classify.js";
import { retryAfterMsOf } from "./retry-after.js";

/** What {@link RetryOptions.onRetry} is told before each wait. */
export interface RetryEvent {
  /** The attempt that just failed (1 for the first). */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  /** Where the delay came from: the server's retry-after header or our backoff. */
  source: "retry-after" | "backoff";
  /** The failure being retried. */
  cause: unknown;
}

/** What each attempt receives. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborts when the caller aborts or the total budget runs out. */
  signal: AbortSignal;
}

/** Options of {@link RetryPolicy}. */
export interface RetryOptions extends ClockOptions {
  /** Attempts in all, the first included. @default 4 */
  maxAttempts?: number;
  /**
   * Budget for all attempts and waits together. A wait that would end past it is not started (the
   * last error is thrown instead); an attempt still running when it ends is aborted with a
   * TimeoutError. @default 60_000
   */
  maxTotalMs?: number;
  /** Backoff before the first retry, before jitter. @default 1_000 */
  baseDelayMs?: number;
  /** Cap on every backoff delay, jitter included (a server's retry-after is not capped). @default 30_000 */
  maxDelayMs?: number;
  /** Share of each backoff delay randomised away, 0 to 1. @default 0.5 */
  jitter?: number;
  /** Which failures get another attempt. @default isRetryable */
  isRetryable?: (e: unknown) => boolean;
  /**
   * How long a failure asks to wait before the next attempt, if it says; otherwise backoff.
   * @default retryAfterMsOf (the server's retry-after headers)
   */
  retryAfterMs?: (e: unknown, now: Now) => number | undefined;
  /** Called before each wait; for logs and counters. Must not throw. */
  onRetry?: (event: RetryEvent) => void;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected \`${name}\` to be an integer from 1 and up, got ${v}`);
  return v;
}

function nonNegative(name: string, v: number): number {
  if (Number.isNaN(v) || v < 0) throw new RangeError(`Expected \`${name}\` to be a number from 0 and up, got ${v}`);
  return v;
}

/**
 * Retries a failing async call: the server's retry-after first, else exponential backoff with
 * jitter under a cap; bounded by attempts and by total time; abortable at any point.
 */
export class RetryPolicy {
  /** Attempts in all; the bound the outbound composition states. */
  readonly maxAttempts: number;
  /** Total time budget in ms. */
  readonly maxTotalMs: number;
  private readonly backoff: { baseDelayMs: number; maxDelayMs: number; jitter: number };
  private readonly retryable: (e: unknown) => boolean;
  private readonly retryAfterMs: (e: unknown, now: Now) => number | undefined;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly now: Now;
  private readonly random: Random;
  private readonly sleep: Sleep;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = positiveInt("maxAttempts", options.maxAttempts ?? 4);
    this.maxTotalMs = nonNegative("maxTotalMs", options.maxTotalMs ?? 60_000);
    this.backoff = {
      baseDelayMs: nonNegative("baseDelayMs", options.baseDelayMs ?? 1_000),
      maxDelayMs: nonNegative("maxDelayMs", options.maxDelayMs ?? 30_000),
      jitter: Math.min(1, nonNegative("jitter", options.jitter ?? 0.5)),
    };
    this.retryable = options.isRetryable ?? isRetryable;
    this.retryAfterMs = options.retryAfterMs ?? retryAfterMsOf;
    this.onRetry = options.onRetry;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? systemSleep;
  }

  /**
   * Runs `fn` until it succeeds, fails with something not retryable, or attempts or time run out;
   * then rethrows the last error unchanged (so `isRestError` and friends keep working).
   * @throws TimeoutError when the total budget ends during an attempt.
   */
  async execute<T>(fn: (context: AttemptContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const started = this.now();
    return withTimeout((budget) => this.loop(fn, budget, started), {
      timeoutMs: this.maxTotalMs,
      signal,
      what: "retry budget",
      sleep: this.sleep,
    });
  }

  private async loop<T>(fn: (context: AttemptContext) => Promise<T>, signal: AbortSignal, started: number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      try {
        return await fn({ attempt, signal });
      } catch (e) {
        if (signal.aborted || attempt >= this.maxAttempts || !this.retryable(e)) throw e;
        const retryAfterMs = this.retryAfterMs(e, this.now);
        const delayMs = retryAfterMs ?? backoffDelayMs(attempt, this.backoff, this.random);
        // Not worth it: the server told us to wait longer than we have left.
        if (this.now() - started + delayMs >= this.maxTotalMs) throw e;
        this.onRetry?.({ attempt, delayMs, source: retryAfterMs === undefined ? "backoff" : "retry-after", cause: e });
        await this.sleep(delayMs, signal);
      }
    }
  }
}
