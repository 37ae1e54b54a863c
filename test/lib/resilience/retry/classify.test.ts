import { describe, expect, it } from "vitest";

import { BrokenCircuitError } from "../../../../lib/resilience/errors/broken-circuit-error.js";
import { TimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { isRetryable, isRetryableStatus } from "../../../../lib/resilience/retry/classify.js";

const http = (statusCode: number): Error => Object.assign(new Error(`HTTP ${statusCode}`), { name: "RestError", statusCode });

describe("isRetryable", () => {
  it("retries 408, 429 and 5xx except 501 and 505", () => {
    const retryable = [408, 429, 500, 502, 503, 504, 507, 599];
    const not = [400, 401, 403, 404, 409, 412, 501, 505];
    for (const s of retryable) expect(isRetryable(http(s)), String(s)).toBe(true);
    for (const s of not) expect(isRetryable(http(s)), String(s)).toBe(false);
    expect(isRetryableStatus(200)).toBe(false);
  });

  it("reads status from statusCode, status or response.status", () => {
    expect(isRetryable({ status: 503 })).toBe(true);
    expect(isRetryable({ response: { status: 429 } })).toBe(true);
    expect(isRetryable({ status: 404 })).toBe(false);
  });

  it("retries connection resets and silent sockets, also when fetch wraps them in cause", () => {
    expect(isRetryable(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET" } }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe(false);
  });

  it("retries our timeouts but not a caller's abort, an open breaker or a plain bug", () => {
    expect(isRetryable(new TimeoutError(100, "attempt"))).toBe(true);
    expect(isRetryable(new DOMException("aborted", "AbortError"))).toBe(false);
    expect(isRetryable(new BrokenCircuitError("k", "open", 10))).toBe(false);
    expect(isRetryable(new TypeError("x is undefined"))).toBe(false);
  });
});
