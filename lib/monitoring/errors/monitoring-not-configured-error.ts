import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_MONITORING_NOT_CONFIGURED";

/**
 * A monitoring backend is needed but its setting is unset. Routes answer 503 problem+json naming
 * {@link setting}.
 */
export class MonitoringNotConfiguredError extends Error {
  override readonly name = "MonitoringNotConfiguredError";
  /** Stable code, checked by {@link isMonitoringNotConfiguredError}. */
  readonly code = CODE;

  constructor(
    /** The environment setting to set: `PROMETHEUS_URL` or `LOKI_URL`. */
    readonly setting: string,
    /** What could not be answered without it, for the message. */
    readonly what: string,
  ) {
    super(`${what} needs ${setting}, which is not set`);
  }
}

/** True for a MonitoringNotConfiguredError, also one thrown by another copy of this package. */
export function isMonitoringNotConfiguredError(e: unknown): e is MonitoringNotConfiguredError {
  return hasCode(e, CODE);
}
