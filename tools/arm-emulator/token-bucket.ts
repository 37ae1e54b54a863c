/** The outcome of taking one token: whether the read may go ahead, and what to tell the client. */
export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request (the remaining-reads header). */
  remaining: number;
  /** Seconds until a token is available again (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * A token bucket as ARM throttles reads: `burst` tokens, refilled continuously at
 * `refillPerSecond`; every request takes one.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token if there is one. */
  take(): TakeResult {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, remaining: Math.floor(this.tokens), retryAfterSeconds: 0 };
    }
    const seconds = Math.max(1, Math.ceil((1 - this.tokens) / this.refillPerSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds: seconds };
  }

  /** Whole tokens available now, without taking one. */
  peek(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const at = this.now();
    const elapsedMs = Math.max(0, at - this.last);
    this.last = at;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.refillPerSecond);
  }
}
