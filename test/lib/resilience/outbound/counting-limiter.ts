import { LocalRateLimiter } from "../../../../lib/resilience/rate-limit/local-rate-limiter.js";
import type { AcquireOptions, RateLimiter, RateLimitResult } from "../../../../lib/resilience/rate-limit/rate-limit-result.js";

/** A local limiter that logs every token it grants, with the time. */
export class CountingLimiter implements RateLimiter {
  readonly inner: LocalRateLimiter;
  readonly grants: number[] = [];
  constructor(burst = 1_000, refillPerSecond = 1_000) {
    this.inner = new LocalRateLimiter({ burst, refillPerSecond });
  }
  async acquire(options?: AcquireOptions): Promise<RateLimitResult> {
    const r = await this.inner.acquire(options);
    if (r.success) this.grants.push(Date.now());
    return r;
  }
  observeRemaining(remaining: number): void {
    this.inner.observeRemaining(remaining);
  }
  pause(ms: number): void {
    this.inner.pause(ms);
  }
}
