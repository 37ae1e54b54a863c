import { hasCode } from "../../errors/has-code.js";
import type { MonitoringBackendName } from "./monitoring-unavailable-error.js";

const CODE = "TOPDECK_MONITORING_BAD_RESPONSE";

/**
 * The backend answered 2xx with a body that is not its documented format (a proxy's HTML page, a
 * truncated body, an unknown result type). `issues` says what did not fit.
 */
export class MonitoringResponseError extends Error {
  override readonly name = "MonitoringResponseError";
  /** Stable code, checked by {@link isMonitoringResponseError}. */
  readonly code = CODE;

  constructor(
    readonly backend: MonitoringBackendName,
    readonly endpoint: string,
    /** What did not fit, e.g. `data.result[0].value: expected array`. */
    readonly issues: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend} answered ${endpoint} with an unexpected body: ${issues}`, options);
  }
}

/** True for a MonitoringResponseError, also one thrown by another copy of this package. */
export function isMonitoringResponseError(e: unknown): e is MonitoringResponseError {
  return hasCode(e, CODE);
}
