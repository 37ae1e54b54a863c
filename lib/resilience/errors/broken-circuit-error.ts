import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_BROKEN_CIRCUIT";

/** A circuit breaker refused the call without running it: it is open, or its one probe is out. */
export class BrokenCircuitError extends Error {
  override readonly name = "BrokenCircuitError";
  /** Stable code, checked by {@link isBrokenCircuitError}. */
  readonly code = CODE;

  constructor(
    /** Which breaker refused (an ARM provider namespace, a Redis endpoint). */
    readonly key: string,
    /** `open`: cooling down; `half-open`: another call is probing. */
    readonly state: "open" | "half-open",
    /** Milliseconds until the breaker admits a probe; 0 when unknown or already due. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      state === "open"
        ? `Circuit "${key}" is open; a probe is admitted in ${retryAfterMs} ms`
        : `Circuit "${key}" is half-open and its probe is in flight`,
      options,
    );
  }
}

/** True for a BrokenCircuitError, also one thrown by another copy of this package. */
export function isBrokenCircuitError(e: unknown): e is BrokenCircuitError {
  return hasCode(e, CODE);
}
