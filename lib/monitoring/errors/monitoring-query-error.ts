import { hasCode } from "../../errors/has-code.js";
import type { MonitoringBackendName } from "./monitoring-unavailable-error.js";

const CODE = "TOPDECK_MONITORING_QUERY";

/**
 * The backend answered but refused the query (Prometheus `bad_data` / 400, `execution` / 422; a
 * Loki parse error). Not retried and not counted by the breaker: the backend is up. Routes answer 502
 * when the query came from a template, since the caller cannot fix it.
 */
export class MonitoringQueryError extends Error {
  override readonly name = "MonitoringQueryError";
  /** Stable code, checked by {@link isMonitoringQueryError}. */
  readonly code = CODE;

  constructor(
    readonly backend: MonitoringBackendName,
    /** HTTP status of the refusal. */
    readonly status: number,
    /** The backend's error type (`bad_data`, `execution`, ...) or `http`. */
    readonly errorType: string,
    /** The backend's message. */
    readonly detail: string,
    /** The query that was refused. */
    readonly query: string,
  ) {
    super(`${backend} refused the query (${status} ${errorType}): ${detail}`);
  }
}

/** True for a MonitoringQueryError, also one thrown by another copy of this package. */
export function isMonitoringQueryError(e: unknown): e is MonitoringQueryError {
  return hasCode(e, CODE);
}
