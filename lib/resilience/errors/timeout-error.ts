import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_TIMEOUT";

/** An operation ran past its time limit; its AbortSignal was aborted with this error as reason. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  /** Stable code, checked by {@link isTimeoutError}. */
  readonly code = CODE;

  constructor(
    /** The limit that was exceeded. */
    readonly timeoutMs: number,
    /** What timed out, for the message: "attempt", "task", "retry budget", ... */
    readonly what = "operation",
    options?: { cause?: unknown },
  ) {
    super(`The ${what} timed out after ${timeoutMs} ms`, options);
  }
}

/** True for a TimeoutError, also one thrown by another copy of this package. */
export function isTimeoutError(e: unknown): e is TimeoutError {
  return hasCode(e, CODE);
}
