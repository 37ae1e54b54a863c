import { describe, expect, it } from "vitest";

import { parseRetryAfterMs, retryAfterMsOf } from "../../../../lib/resilience/retry/retry-after.js";

const now = (): number => Date.parse("2024-05-01T12:00:00Z");

describe("parseRetryAfterMs", () => {
  it("reads retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds", () => {
    expect(parseRetryAfterMs({ "retry-after-ms": "250", "x-ms-retry-after-ms": "900", "retry-after": "7" })).toBe(250);
    expect(parseRetryAfterMs({ "x-ms-retry-after-ms": "900", "retry-after": "7" })).toBe(900);
    expect(parseRetryAfterMs({ "Retry-After": "7" })).toBe(7_000);
    expect(parseRetryAfterMs({ "Retry-After": "0" })).toBe(0);
  });

  it("reads an HTTP date against the injected clock; a past date means now", () => {
    expect(parseRetryAfterMs({ "retry-after": "Wed, 01 May 2024 12:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfterMs({ "retry-after": "Wed, 01 May 2024 11:00:00 GMT" }, now)).toBe(0);
  });

  it("ignores absent, empty, negative and malformed values", () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs({})).toBeUndefined();
    expect(parseRetryAfterMs({ "retry-after-ms": "", "retry-after": "soon" })).toBeUndefined();
    expect(parseRetryAfterMs({ "retry-after-ms": "-5", "retry-after": "2" })).toBe(2_000);
  });

  it("works with a get()-style header bag (fetch Headers, core-rest-pipeline HttpHeaders)", () => {
    expect(parseRetryAfterMs(new Headers({ "Retry-After": "3" }))).toBe(3_000);
  });

  it("finds the headers on a RestError-shaped error", () => {
    const e = Object.assign(new Error("throttled"), {
      statusCode: 429,
      response: { status: 429, headers: new Headers({ "retry-after": "12" }) },
    });
    expect(retryAfterMsOf(e)).toBe(12_000);
    expect(retryAfterMsOf(new Error("plain"))).toBeUndefined();
  });
});
