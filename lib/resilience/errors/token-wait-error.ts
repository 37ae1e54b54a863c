import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_TOKEN_WAIT";

/**
 * The wait for a rate-limit token ended (aborted, or the retry budget ran out) before any request
 * was sent. The outbound composition throws it inside the breaker, so the breaker can tell "never
 * sent" from "the dependency failed", and hands its `cause` on to the caller.
 */
export class TokenWaitError extends Error {
  override readonly name = "TokenWaitError";
  /** Stable code, checked by {@link isTokenWaitError}. */
  readonly code = CODE;

  constructor(options: { cause: unknown }) {
    super("The wait for a rate-limit token ended before the request was sent", options);
  }
}

/** True for a TokenWaitError, also one thrown by another copy of this package. */
export function isTokenWaitError(e: unknown): e is TokenWaitError {
  return hasCode(e, CODE);
}
