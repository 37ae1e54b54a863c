import { type HeaderSource, headerValue } from "../common/headers.js";
import type { RateLimiter } from "./RateLimitResult.js";

/** The header on every ARM response that says how many reads the subscription has left. */
export const ARM_REMAINING_READS_HEADER = "x-ms-ratelimit-remaining-subscription-reads";

/** ARM's remaining-reads count from response headers, or undefined when absent or malformed. */
export function remainingReadsOf(headers: HeaderSource | undefined): number | undefined {
  const raw = headerValue(headers, ARM_REMAINING_READS_HEADER);
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * Feeds an ARM response's remaining-reads header into a limiter, so it adapts down to what the
 * server says is left. @returns the value read, if any.
 */
export async function observeArmHeaders(limiter: RateLimiter, headers: HeaderSource | undefined): Promise<number | undefined> {
  const remaining = remainingReadsOf(headers);
  if (remaining !== undefined) await limiter.observeRemaining(remaining);
  return remaining;
}
