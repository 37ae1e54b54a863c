import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_MONITORING_INVALID_RANGE";

/** A time range that cannot be queried (end before start, step too small for the span). Routes answer 400. */
export class InvalidTimeRangeError extends Error {
  override readonly name = "InvalidTimeRangeError";
  /** Stable code, checked by {@link isInvalidTimeRangeError}. */
  readonly code = CODE;

  constructor(
    /** Which field is wrong: `startMs`, `endMs` or `stepSeconds`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** True for an InvalidTimeRangeError, also one thrown by another copy of this package. */
export function isInvalidTimeRangeError(e: unknown): e is InvalidTimeRangeError {
  return hasCode(e, CODE);
}
