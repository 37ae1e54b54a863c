import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_HTTP_STATUS";

/**
 * A non-2xx answer from a monitoring backend, with `status` and `headers` where the resilience
 * layer looks for them (so 5xx is retried and Retry-After honoured), and the start of the body.
 */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  /** Stable code, checked by {@link isHttpStatusError}. */
  readonly code = CODE;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The body, cut to 2,000 characters. */
    readonly body: string,
    readonly endpoint: string,
  ) {
    super(`HTTP ${status} from ${endpoint}`);
  }
}

/** True for an HttpStatusError, also one thrown by another copy of this package. */
export function isHttpStatusError(e: unknown): e is HttpStatusError {
  return hasCode(e, CODE);
}
