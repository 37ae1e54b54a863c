import type { Now } from "../common/clock.js";

/**
 * Token-bucket arithmetic, with no waiting in it: `capacity` tokens at most, refilled continuously
 * at `refillPerSecond`. The level may go below zero (a pause is a debt that refills back to zero).
 */
export class TokenBucket {
  private level: number;
  private at: number;

  constructor(
    /** Most tokens the bucket holds: the burst. */
    readonly capacity: number,
    /** Tokens added per second. */
    readonly refillPerSecond: number,
    private readonly now: Now,
    initial = capacity,
  ) {
    if (!(capacity > 0) || !Number.isFinite(capacity)) throw new RangeError(`Expected \`burst\` to be a number above 0, got ${capacity}`);
    if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) {
      throw new RangeError(`Expected \`refillPerSecond\` to be a number above 0, got ${refillPerSecond}`);
    }
    this.level = Math.min(capacity, initial);
    this.at = now();
  }

  /** Tokens available now (may be negative during a pause). */
  get tokens(): number {
    this.refill();
    return this.level;
  }

  /** Takes `cost` tokens if the bucket has them. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.level) return false;
    this.level -= cost;
    return true;
  }

  /** Lowers the level to at most `max`; never raises it. */
  limitTo(max: number): void {
    this.refill();
    this.level = Math.min(this.level, max);
  }

  /** Milliseconds until the bucket holds `amount` tokens (0 if it does now). */
  msUntil(amount: number): number {
    const missing = amount - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.refillPerSecond);
  }

  /** Epoch ms at which the bucket is full again. */
  resetAt(): number {
    return this.at + this.msUntil(this.capacity);
  }

  private refill(): void {
    const t = this.now();
    // A clock that steps back adds nothing and does not move the mark, so it cannot mint tokens.
    if (t <= this.at) return;
    this.level = Math.min(this.capacity, this.level + ((t - this.at) * this.refillPerSecond) / 1000);
    this.at = t;
  }
}
