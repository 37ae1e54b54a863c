import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_MONITORING_UNKNOWN_RESOURCE";

/** The resource key is not in the topology. Routes answer 404. */
export class UnknownResourceError extends Error {
  override readonly name = "UnknownResourceError";
  /** Stable code, checked by {@link isUnknownResourceError}. */
  readonly code = CODE;

  constructor(
    /** The key asked for, as given. */
    readonly key: string,
  ) {
    super(`No resource ${JSON.stringify(key)} in the topology`);
  }
}

/** True for an UnknownResourceError, also one thrown by another copy of this package. */
export function isUnknownResourceError(e: unknown): e is UnknownResourceError {
  return hasCode(e, CODE);
}
