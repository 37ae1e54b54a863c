import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_STORE_UNAVAILABLE";

/** Why the store could not answer: the breaker refused the call, it timed out, or Redis failed it. */
export type StoreUnavailableReason = "breaker-open" | "timeout" | "failed";

/**
 * Redis could not serve an operation: it is unreachable, too slow, or its breaker is open. Cache
 * helpers turn it into a miss or a dropped write; snapshot writes and commits throw it.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  /** Stable code, checked by {@link isStoreUnavailableError}. */
  readonly code = CODE;

  constructor(
    /** The operation that could not run ("get", "snapshot.commit", ...). */
    readonly operation: string,
    readonly reason: StoreUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`Store operation ${operation} could not run (${reason})`, options);
  }
}

/** True for a StoreUnavailableError, also one thrown by another copy of this package. */
export function isStoreUnavailableError(e: unknown): e is StoreUnavailableError {
  return hasCode(e, CODE);
}
