import { type TakeResult, TokenBucket } from "./token-bucket.js";
import type { ThrottleSettings } from "./types.js";

/** Which bucket a request draws from: the tenant's, or one subscription's. */
export type ThrottleScope = { kind: "tenant" } | { kind: "subscription"; subscriptionId: string };

/** ARM's default read limits (docs/platform.md, "ARM throttling"): 250 burst, 25 per second. */
export const defaultThrottle: ThrottleSettings = { burst: 250, refillPerSecond: 25 };

/** Token buckets per scope; with "off" every request is allowed and no bucket is kept. */
export class ReadThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly settings: ThrottleSettings | "off",
    private readonly now: () => number = Date.now,
  ) {}

  /** True when throttling is off. */
  get off(): boolean {
    return this.settings === "off";
  }

  /** Takes a token from the scope's bucket. */
  take(scope: ThrottleScope): TakeResult {
    const bucket = this.bucket(scope);
    return bucket ? bucket.take() : { allowed: true, remaining: 0, retryAfterSeconds: 0 };
  }

  /** Tokens left in the scope's bucket, without taking one; undefined when throttling is off. */
  peek(scope: ThrottleScope): number | undefined {
    return this.bucket(scope)?.peek();
  }

  private bucket(scope: ThrottleScope): TokenBucket | undefined {
    if (this.settings === "off") return undefined;
    const key = scope.kind === "tenant" ? "tenant" : `subscription:${scope.subscriptionId.toLowerCase()}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.settings.burst, this.settings.refillPerSecond, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/**
 * The remaining-reads headers ARM sends for a scope. A subscription's answers carry both the
 * regional count and `-global-reads` (ARM's newer, per-subscription global bucket); the emulator
 * has one bucket per subscription and reports it in both.
 */
export function remainingReadsHeaders(scope: ThrottleScope): string[] {
  return scope.kind === "tenant"
    ? ["x-ms-ratelimit-remaining-tenant-reads"]
    : ["x-ms-ratelimit-remaining-subscription-reads", "x-ms-ratelimit-remaining-subscription-global-reads"];
}
