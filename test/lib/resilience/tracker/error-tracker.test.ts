import { describe, expect, it } from "vitest";

import { AllFailedError, isAllFailedError } from "../../../../lib/resilience/errors/all-failed-error.js";
import { TimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { ErrorTracker } from "../../../../lib/resilience/tracker/error-tracker.js";

const restError = (statusCode: number, code?: string): Error =>
  Object.assign(new Error(`HTTP ${statusCode}`), { name: "RestError", statusCode, code });

describe("ErrorTracker", () => {
  it("records per item the type, code, status, message and context", () => {
    const t = new ErrorTracker({ now: () => 1_000 });
    const rec = t.recordError("Microsoft.Web/sites", restError(403, "AuthorizationFailed"), { subscriptionId: "s1", attempts: 1 });
    expect(rec).toEqual({
      itemId: "Microsoft.Web/sites",
      type: "RestError",
      code: "AuthorizationFailed",
      status: 403,
      message: "HTTP 403",
      context: { subscriptionId: "s1", attempts: 1 },
      at: 1_000,
    });
    expect(t.errors).toEqual([rec]);
  });

  it("summarises totals, error rate and counts by type and code, by each item's last outcome", () => {
    const t = new ErrorTracker();
    t.recordSuccess("a");
    t.recordError("b", restError(503));
    t.recordError("c", new TimeoutError(100, "task"));
    t.recordError("d", restError(503));
    t.recordSuccess("d");
    expect(t.summary()).toEqual({
      total: 4,
      succeeded: 2,
      failed: 2,
      errorRate: 0.5,
      byType: { RestError: 1, TimeoutError: 1 },
      byCode: { HTTP_503: 1, TOPDECK_TIMEOUT: 1 },
    });
    expect(t.errors).toHaveLength(3);
  });

  it("throws only when everything failed, with the first error as cause", () => {
    const empty = new ErrorTracker();
    expect(() => empty.throwIfAllFailed()).not.toThrow();
    const some = new ErrorTracker();
    some.recordError("a", restError(500));
    some.recordSuccess("b");
    expect(() => some.throwIfAllFailed()).not.toThrow();

    const all = new ErrorTracker();
    const first = restError(500);
    all.recordError("a", first);
    all.recordError("b", restError(404));
    const e: unknown = (() => {
      try {
        all.throwIfAllFailed();
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(AllFailedError);
    expect(isAllFailedError(e)).toBe(true);
    expect(e).toMatchObject({ code: "TOPDECK_ALL_FAILED", cause: first, summary: { total: 2, failed: 2, errorRate: 1 } });
  });
});
