import type { Now } from "../common/clock.js";
import { headersOf, type HeaderSource, headerValue } from "../common/headers.js";

const secondsOnly = /^\s*\d+(\.\d+)?\s*$/;

function nonNegativeMs(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms`, then `x-ms-retry-after-ms`
 * (milliseconds), then `Retry-After` (seconds, or an HTTP date measured against `now`; a date in
 * the past means 0). Undefined when none is present and valid.
 */
export function parseRetryAfterMs(headers: HeaderSource | undefined, now: Now = Date.now): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = nonNegativeMs(headerValue(headers, name));
    if (ms !== undefined) return ms;
  }
  const retryAfter = headerValue(headers, "retry-after");
  if (retryAfter === undefined) return undefined;
  if (secondsOnly.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - now()) : undefined;
}

/** {@link parseRetryAfterMs} applied to the response headers an error carries. */
export function retryAfterMsOf(e: unknown, now: Now = Date.now): number | undefined {
  return parseRetryAfterMs(headersOf(e), now);
}
