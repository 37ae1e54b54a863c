import { abortReason, type Now, type Sleep, startTimer, systemSleep } from "../common/clock.js";
import type { AcquireOptions, RateLimiter, RateLimitReason, RateLimitResult } from "./rate-limit-result.js";
import { TokenBucket } from "./token-bucket.js";

/** Options of {@link LocalRateLimiter}. */
export interface LocalRateLimiterOptions {
  /** Most tokens held, i.e. the largest burst (ARM reads: 250). */
  burst: number;
  /** Tokens added per second (ARM reads: 25). */
  refillPerSecond: number;
  /** Tokens at start. @default burst */
  initialTokens?: number;
  /** @default Date.now */
  now?: Now;
  /** @default systemSleep */
  sleep?: Sleep;
}

interface Waiter {
  cost: number;
  resolve(result: RateLimitResult): void;
  detach(): void;
}

function costError(cost: number): RangeError | undefined {
  return cost > 0 && Number.isFinite(cost) ? undefined : new RangeError(`Expected \`cost\` to be a number above 0, got ${cost}`);
}

/**
 * An in-process token bucket with a FIFO queue. Waiting callers hold nothing: the limiter keeps
 * one timer for the head of the queue, and any caller may abort, check, or report the server's
 * remaining budget while others wait.
 */
export class LocalRateLimiter implements RateLimiter {
  private readonly bucket: TokenBucket;
  private readonly queue: Waiter[] = [];
  private readonly now: Now;
  private readonly sleep: Sleep;
  private stopTimer: (() => void) | undefined;

  constructor(options: LocalRateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? systemSleep;
    this.bucket = new TokenBucket(options.burst, options.refillPerSecond, this.now, options.initialTokens);
  }

  /** Callers waiting in the queue. */
  get queued(): number {
    return this.queue.length;
  }

  /** Takes `cost` tokens now or answers `empty`; never jumps the queue. */
  tryAcquire(cost = 1): RateLimitResult {
    const bad = costError(cost);
    if (bad) throw bad;
    if (cost > this.bucket.capacity) return this.result(false, "exceeds-burst");
    const granted = this.queue.length === 0 && this.bucket.take(cost);
    return this.result(granted, granted ? "granted" : "empty");
  }

  /**
   * Waits in FIFO order for `cost` tokens.
   * @returns `granted`, or at once `max-wait` / `exceeds-burst` without queueing.
   * Rejects with the signal's reason if aborted while waiting; the place is given up.
   */
  acquire(options: AcquireOptions = {}): Promise<RateLimitResult> {
    const { cost = 1, signal, maxWaitMs = Infinity } = options;
    const bad = costError(cost);
    if (bad) return Promise.reject(bad);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (cost > this.bucket.capacity) return Promise.resolve(this.result(false, "exceeds-burst"));
    if (this.queue.length === 0 && this.bucket.take(cost)) return Promise.resolve(this.result(true, "granted"));
    const ahead = this.queue.reduce((sum, w) => sum + w.cost, 0);
    if (this.bucket.msUntil(ahead + cost) > maxWaitMs) return Promise.resolve(this.result(false, "max-wait"));

    return new Promise<RateLimitResult>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(abortReason(signal));
        // The head may have changed: someone cheaper behind it may fit now.
        this.drain();
      };
      const waiter: Waiter = {
        cost,
        resolve,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.drain();
    });
  }

  /** Adapt down to the server's view (ARM's remaining-reads header); waiting callers wait longer. */
  observeRemaining(remaining: number): void {
    if (!(remaining >= 0)) return;
    this.bucket.limitTo(remaining);
    this.drain();
  }

  /** The server throttled for `ms`: nothing is granted until then, and the bucket refills from empty. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.bucket.limitTo((-ms * this.bucket.refillPerSecond) / 1000);
    this.drain();
  }

  private drain(): void {
    for (let head = this.queue[0]; head && this.bucket.take(head.cost); head = this.queue[0]) {
      this.queue.shift();
      head.detach();
      head.resolve(this.result(true, "granted"));
    }
    this.stopTimer?.();
    this.stopTimer = undefined;
    const head = this.queue[0];
    if (!head) return;
    // One timer, for the head of the queue only; waiting callers hold nothing.
    const stop = startTimer(Math.max(1, this.bucket.msUntil(head.cost)), this.sleep, () => {
      if (this.stopTimer === stop) this.drain();
    });
    this.stopTimer = stop;
  }

  private result(success: boolean, reason: RateLimitReason): RateLimitResult {
    return { success, remaining: Math.max(0, Math.floor(this.bucket.tokens)), reset: this.bucket.resetAt(), reason };
  }
}
