/**
 * Why a limiter answered as it did.
 * - `granted`: tokens taken.
 * - `empty`: not enough tokens now (non-waiting check).
 * - `max-wait`: the wait would exceed the caller's `maxWaitMs`, so it did not queue.
 * - `exceeds-burst`: the cost is larger than the bucket; it can never be granted.
 * - `redis-error`, `redis-timeout`, `redis-circuit-open`: the shared bucket could not be asked, so
 *   the call was let through (fail open); `detail` says more.
 */
export type RateLimitReason = "granted" | "empty" | "max-wait" | "exceeds-burst" | "redis-error" | "redis-timeout" | "redis-circuit-open";

/** A limiter's answer: expected outcomes are data, not errors. */
export interface RateLimitResult {
  /** Whether the call may go ahead. */
  success: boolean;
  /** Whole tokens left after this answer; -1 when unknown (fail open). */
  remaining: number;
  /** Epoch ms at which the bucket is full again. */
  reset: number;
  /** Why; see {@link RateLimitReason}. */
  reason: RateLimitReason;
  /** The underlying error message when the shared bucket failed open. */
  detail?: string;
}

/** Options of a waiting acquire. */
export interface AcquireOptions {
  /** Tokens this call costs. @default 1 */
  cost?: number;
  /** Gives up the wait (rejecting with the signal's reason) and the place in the queue. */
  signal?: AbortSignal;
  /** Refuse at once, with reason `max-wait`, when the wait would be longer. @default Infinity */
  maxWaitMs?: number;
}

/** What the outbound composition needs from a rate limiter, local or shared. */
export interface RateLimiter {
  /** Waits for `cost` tokens, abortably; answers with data, rejects only when aborted. */
  acquire(options?: AcquireOptions): Promise<RateLimitResult>;
  /** Adapt down: the server says at most `remaining` requests are left now. Never raises the level. */
  observeRemaining(remaining: number): void | Promise<void>;
  /** The server throttled: grant nothing for `ms`, and refill from empty after that. */
  pause(ms: number): void | Promise<void>;
}
