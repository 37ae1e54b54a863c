import { hasCode } from "../../errors/has-code.js";
import type { ErrorSummary } from "../tracker/error-summary.js";

const CODE = "TOPDECK_ALL_FAILED";

/** Every tracked item failed: the run produced nothing usable. `cause` is the first error. */
export class AllFailedError extends Error {
  override readonly name = "AllFailedError";
  /** Stable code, checked by {@link isAllFailedError}. */
  readonly code = CODE;

  constructor(
    /** Totals at the moment of the check. */
    readonly summary: ErrorSummary,
    options?: { cause?: unknown },
  ) {
    const top = Object.entries(summary.byType)
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} x${n}`)
      .join(", ");
    super(`All ${summary.total} items failed (${top})`, options);
  }
}

/** True for an AllFailedError, also one thrown by another copy of this package. */
export function isAllFailedError(e: unknown): e is AllFailedError {
  return hasCode(e, CODE);
}
