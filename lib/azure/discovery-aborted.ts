import { hasCode } from "../errors/has-code.js";

const CODE = "DiscoveryAborted";

/**
 * Discovery stopped because its caller's AbortSignal aborted (a run that lost its lease): no
 * result, nothing to commit. `cause` is the signal's reason.
 */
export class DiscoveryAbortedError extends Error {
  override readonly name = "DiscoveryAbortedError";
  /** Stable code, checked by {@link isDiscoveryAbortedError}. */
  readonly code = CODE;

  constructor(
    /** The subscription being discovered, or undefined for a whole run. */
    readonly subscriptionId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(subscriptionId === undefined ? "Discovery was aborted" : `Discovery of subscription ${subscriptionId} was aborted`, options);
  }
}

/** True for a DiscoveryAbortedError, also one thrown by another copy of this package. */
export function isDiscoveryAbortedError(e: unknown): e is DiscoveryAbortedError {
  return hasCode(e, CODE);
}
