import { describe, expect, it } from "vitest";

import { classifyErrors } from "../../../../lib/monitoring/loki/classify-errors.js";
import { correlationIdOf } from "../../../../lib/monitoring/loki/correlation-id.js";
import { errorTypeOf } from "../../../../lib/monitoring/loki/error-type.js";
import { levelOf } from "../../../../lib/monitoring/loki/log-level.js";

describe("levelOf", () => {
  it.each([
    ['{"level":"error","msg":"x"}', "error"],
    ['{"level":50,"msg":"pino"}', "error"],
    ['{"level":60}', "fatal"],
    ['{"severity":"WARNING"}', "warn"],
    ['{"@l":"Information","@mt":"serilog"}', "info"],
    ['{"log":{"level":"error"},"message":"ecs"}', "error"],
    ["ts=2024-05-01T00:00:00Z level=warn msg=slow", "warn"],
    ['time="x" lvl=eror msg=y', "error"],
    ["E0501 12:00:00.000000       1 reflector.go:138] failed", "error"],
    ["W0501 12:00:00.000000       1 x.go:1] careful", "warn"],
    ["2024-05-01T00:00:00Z ERROR payment failed", "error"],
    ["[error] upstream timed out", "error"],
    ["[2024-05-01 00:00:00] CRITICAL disk full", "fatal"],
    ["Error: connect ECONNREFUSED 10.0.0.1:5432", "error"],
    ["GET /health 200 no error found", "unknown"],
    ["plain line", "unknown"],
  ])("%s → %s", (line, level) => {
    expect(levelOf(line)).toBe(level);
  });

  it("a level label wins over the line", () => {
    expect(levelOf("ERROR in text", { level: "info" })).toBe("info");
    expect(levelOf("text", { detected_level: "error" })).toBe("error");
  });
});

describe("errorTypeOf", () => {
  it.each([
    ["container OOMKilled", "out-of-memory"],
    ["FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", "out-of-memory"],
    ["context deadline exceeded", "timeout"],
    ["upstream request timeout", "timeout"],
    ["HTTP 429 Too Many Requests", "throttled"],
    ["status=401 unauthorized", "auth"],
    ["x509: certificate signed by unknown authority", "tls"],
    ["getaddrinfo ENOTFOUND db.internal", "dns"],
    ["connect ECONNREFUSED 10.0.0.1:5432", "connection"],
    ["Transaction (Process ID 57) was deadlocked on lock resources", "database"],
    ["upstream answered status=503", "server-error"],
    ["status: 404 for /x", "client-error"],
    ["System.NullReferenceException: Object reference not set", "exception"],
    ["something odd happened", "other"],
  ])("%s → %s", (line, type) => {
    expect(errorTypeOf(line)).toBe(type);
  });
});

describe("correlationIdOf", () => {
  it("finds ids in labels, JSON, key=value text and traceparent, preferring correlation over request over trace ids", () => {
    expect(correlationIdOf("x", { trace_id: "abcd1234" })).toBe("abcd1234");
    expect(correlationIdOf('{"traceId":"t-1111","correlationId":"c-2222"}')).toBe("c-2222");
    expect(correlationIdOf('{"operation_Id":"op-3333"}')).toBe("op-3333");
    expect(correlationIdOf("level=error x-request-id=req-4444 msg=boom")).toBe("req-4444");
    expect(correlationIdOf("failed correlationId: corr-5555, retrying")).toBe("corr-5555");
    expect(correlationIdOf('request_id="r-6666" trace_id="t-7777"')).toBe("r-6666");
    expect(correlationIdOf("traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 failed")).toBe(
      "4bf92f3577b34da6a3ce929d0e0e4736",
    );
    expect(correlationIdOf("no id here")).toBeUndefined();
    expect(correlationIdOf("requestid=ab")).toBeUndefined();
  });
});

describe("classifyErrors", () => {
  it("keeps errors and level-less failures, drops warnings and info, cuts long lines", () => {
    const entry = (line: string, labels: Record<string, string> = {}) => ({ timeNs: "1000000", timeMs: 1, line, labels });
    const errors = classifyErrors([
      entry('{"level":"error","msg":"db timeout","correlationId":"c-1234"}'),
      entry("WARN slow query"),
      entry("INFO ok"),
      entry("connect ECONNREFUSED 10.0.0.1:5432"),
      entry(`ERROR ${"x".repeat(600)}`),
    ]);
    expect(errors.map((e) => [e.level, e.type, e.correlationId])).toEqual([
      ["error", "timeout", "c-1234"],
      ["unknown", "connection", undefined],
      ["error", "other", undefined],
    ]);
    expect(errors[2]!.line).toHaveLength(500);
  });
});
