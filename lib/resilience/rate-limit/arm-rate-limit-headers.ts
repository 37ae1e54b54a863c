import { type HeaderSource, headerValue } from "../common/headers.js";
import type { RateLimiter } from "./rate-limit-result.js";

/** The header on every ARM response that says how many reads the subscription has left (in this region). */
export const ARM_REMAINING_READS_HEADER = "x-ms-ratelimit-remaining-subscription-reads";

/** The same count for ARM's per-subscription global bucket, which newer ARM answers also carry. */
export const ARM_REMAINING_GLOBAL_READS_HEADER = "x-ms-ratelimit-remaining-subscription-global-reads";

function count(headers: HeaderSource | undefined, name: string): number | undefined {
  const raw = headerValue(headers, name);
  return raw === undefined || !/^\s*\d+\s*$/.test(raw) ? undefined : Number(raw);
}

/**
 * ARM's remaining reads from response headers: the lower of the regional and the global count
 * (either bucket running dry throttles us), or undefined when neither is present and well formed.
 */
export function remainingReadsOf(headers: HeaderSource | undefined): number | undefined {
  const regional = count(headers, ARM_REMAINING_READS_HEADER);
  const global = count(headers, ARM_REMAINING_GLOBAL_READS_HEADER);
  if (regional === undefined) return global;
  return global === undefined ? regional : Math.min(regional, global);
}

/**
 * Feeds an ARM response's remaining-reads headers into a limiter, so it adapts down to what the
 * server says is left. @returns the value used, if any.
 */
export async function observeArmHeaders(limiter: RateLimiter, headers: HeaderSource | undefined): Promise<number | undefined> {
  const remaining = remainingReadsOf(headers);
  if (remaining !== undefined) await limiter.observeRemaining(remaining);
  return remaining;
}
