import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_MONITORING_UNAVAILABLE";

/** Which monitoring backend a call went to. */
export type MonitoringBackendName = "prometheus" | "loki";

/** Why a backend could not answer. */
export type UnavailableReason = "unreachable" | "circuit-open" | "timeout" | "rate-limited" | "server-error";

/**
 * A monitoring backend could not answer: refused or broken connection, open circuit, timeout, or a
 * 5xx. `cause` is the underlying error. Routes answer 503 (or 504 for `timeout`).
 */
export class MonitoringUnavailableError extends Error {
  override readonly name = "MonitoringUnavailableError";
  /** Stable code, checked by {@link isMonitoringUnavailableError}. */
  readonly code = CODE;

  constructor(
    readonly backend: MonitoringBackendName,
    /** The endpoint called, e.g. `http://prometheus:9090/api/v1/query_range`. */
    readonly endpoint: string,
    readonly reason: UnavailableReason,
    /** Milliseconds until the breaker admits a probe, when it is open; else 0. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${backend} is unavailable (${reason}) at ${endpoint}${detailOf(options?.cause)}`, options);
  }
}

function detailOf(cause: unknown): string {
  if (!(cause instanceof Error)) return "";
  const inner = (cause as { cause?: unknown }).cause;
  const code = typeof inner === "object" && inner !== null ? (inner as { code?: unknown }).code : undefined;
  return `: ${cause.message}${typeof code === "string" ? ` (${code})` : ""}`;
}

/** True for a MonitoringUnavailableError, also one thrown by another copy of this package. */
export function isMonitoringUnavailableError(e: unknown): e is MonitoringUnavailableError {
  return hasCode(e, CODE);
}
