import { isBreakerFailure } from "../../resilience/breaker/circuit-breaker.js";

/**
 * Socket error codes that mean "nothing answers there". The retry layer leaves them alone on
 * purpose (a wrong endpoint is not a blip), but for a monitoring backend they are exactly what the
 * breaker must count, or an unreachable Prometheus would be dialled on every request.
 */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_FAIL",
  "EAI_AGAIN",
  "ECONNRESET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/** The socket error code behind a failed fetch (`TypeError: fetch failed` wraps it in `cause`). */
export function connectionCodeOf(e: unknown): string | undefined {
  for (let cur = e, depth = 0; depth < 4 && typeof cur === "object" && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      // Happy-eyeballs dials (IPv4 and IPv6) fail as an AggregateError of both.
      for (const inner of errors) {
        const found = connectionCodeOf(inner);
        if (found !== undefined) return found;
      }
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a monitoring backend's breaker counts: the default failures plus refused or unknown hosts. */
export function isBackendFailure(e: unknown): boolean {
  return isBreakerFailure(e) || connectionCodeOf(e) !== undefined;
}
