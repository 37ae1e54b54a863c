import { hasCode } from "../../errors/has-code.js";
import type { RateLimitResult } from "../rate-limit/rate-limit-result.js";

const CODE = "TOPDECK_RATE_LIMITED";

/**
 * A call could not get a rate-limit token within its allowed wait, so it was not sent. The limiter
 * itself returns this outcome as data; the outbound composition turns it into this error.
 */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  /** Stable code, checked by {@link isRateLimitedError}. */
  readonly code = CODE;

  constructor(
    /** The limiter's answer. */
    readonly result: RateLimitResult,
    options?: { cause?: unknown },
  ) {
    super(`Rate limit refused the call (${result.reason}); the bucket is full again at ${new Date(result.reset).toISOString()}`, options);
  }
}

/** True for a RateLimitedError, also one thrown by another copy of this package. */
export function isRateLimitedError(e: unknown): e is RateLimitedError {
  return hasCode(e, CODE);
}
