import { isAbortError } from "../common/clock.js";
import { statusOf } from "../common/headers.js";
import { isTimeoutError } from "../errors/timeout-error.js";

/**
 * Network error codes worth another try: the connection broke or went silent. Refused connections
 * and unknown hosts are left out on purpose: they usually mean a wrong endpoint, not a blip.
 */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** 408, 429 and 5xx except 501 (Not Implemented) and 505 (HTTP Version Not Supported). */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

function networkCodeOf(e: unknown): string | undefined {
  // fetch wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNRESET" } }).
  for (let cur = e, depth = 0; depth < 3 && typeof cur === "object" && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_NETWORK_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The default answer to "is another attempt worth it?": retryable HTTP statuses, broken or silent
 * connections, and our own {@link TimeoutError}. A caller's abort, an open breaker, a refused
 * rate-limit token and every other 4xx are not.
 */
export function isRetryable(e: unknown): boolean {
  if (isTimeoutError(e)) return true;
  if (isAbortError(e)) return false;
  const status = statusOf(e);
  if (status !== undefined) return isRetryableStatus(status);
  return networkCodeOf(e) !== undefined;
}
