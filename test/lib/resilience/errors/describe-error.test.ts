import { describe, expect, it } from "vitest";

import { describeError } from "../../../../lib/resilience/errors/describe-error.js";
import { TimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";

const restError = (statusCode: number, code?: string): Error =>
  Object.assign(new Error(`HTTP ${statusCode}`), { name: "RestError", statusCode, code });

describe("describeError", () => {
  it("gives an error's type (name), code, status and message", () => {
    expect(describeError(restError(403, "AuthorizationFailed"))).toEqual({
      type: "RestError",
      code: "AuthorizationFailed",
      status: 403,
      message: "HTTP 403",
    });
  });

  it("falls back to HTTP_<status> for the code, and takes our typed errors' stable code", () => {
    expect(describeError(restError(503))).toMatchObject({ type: "RestError", code: "HTTP_503", status: 503 });
    expect(describeError(new TimeoutError(100, "task"))).toEqual({
      type: "TimeoutError",
      code: "TOPDECK_TIMEOUT",
      message: "The task timed out after 100 ms",
    });
  });

  it("describes anything thrown, not only Errors", () => {
    expect(describeError("boom")).toEqual({ type: "string", code: "unknown", message: "boom" });
    expect(describeError(null)).toEqual({ type: "null", code: "unknown", message: "null" });
    expect(describeError({ status: 429 })).toMatchObject({ code: "HTTP_429", status: 429 });
  });
});
