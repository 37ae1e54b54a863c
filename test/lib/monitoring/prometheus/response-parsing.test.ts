import { describe, expect, it } from "vitest";

import { isMonitoringQueryError } from "../../../../lib/monitoring/errors/monitoring-query-error.js";
import { isMonitoringResponseError } from "../../../../lib/monitoring/errors/monitoring-response-error.js";
import { isMonitoringUnavailableError } from "../../../../lib/monitoring/errors/monitoring-unavailable-error.js";
import { backendPolicy } from "../../../../lib/monitoring/http/backend-policy.js";
import { PrometheusClient } from "../../../../lib/monitoring/prometheus/prometheus-client.js";
import { parseSampleValue } from "../../../../lib/monitoring/prometheus/sample-value.js";

/** A client whose fetch answers with `body` (JSON unless a string) and `status`. */
function answering(body: unknown, status = 200): PrometheusClient {
  const fetch = async (): Promise<Response> =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  // One attempt: a 5xx would otherwise be retried after a real backoff.
  return new PrometheusClient({ baseUrl: "http://prometheus.test", fetch, policy: backendPolicy({ maxAttempts: 1 }) });
}

describe("parseSampleValue", () => {
  it("reads Go's float formatting, NaN and the infinities", () => {
    expect(parseSampleValue("1")).toBe(1);
    expect(parseSampleValue("-0.25")).toBe(-0.25);
    expect(parseSampleValue("1e+06")).toBe(1e6);
    expect(parseSampleValue("NaN")).toBeNaN();
    expect(parseSampleValue("+Inf")).toBe(Infinity);
    expect(parseSampleValue("-Inf")).toBe(-Infinity);
    expect(parseSampleValue("")).toBeUndefined();
    expect(parseSampleValue("0x10")).toBeUndefined();
    expect(parseSampleValue("1,5")).toBeUndefined();
  });
});

describe("PrometheusClient response parsing", () => {
  it("vector: labels, epoch ms from fractional seconds, special values", async () => {
    const client = answering({
      status: "success",
      data: {
        resultType: "vector",
        result: [
          { metric: { a: "1" }, value: [1714521600.123, "+Inf"] },
          { metric: { a: "2" }, value: [1714521600.123, "NaN"] },
        ],
      },
    });
    const samples = await client.query("x");
    expect(samples[0]).toEqual({ labels: { a: "1" }, timeMs: 1714521600123, value: Infinity });
    expect(samples[1]!.value).toBeNaN();
  });

  it("matrix: points in order", async () => {
    const client = answering({
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          {
            metric: {},
            values: [
              [1, "1"],
              [2, "-Inf"],
            ],
          },
        ],
      },
    });
    const [series] = await client.queryRange("x", { startMs: 1000, endMs: 2000, stepSeconds: 1 });
    expect(series!.points).toEqual([
      { timeMs: 1000, value: 1 },
      { timeMs: 2000, value: -Infinity },
    ]);
  });

  it("a body that does not fit the documented format is a MonitoringResponseError naming the field", async () => {
    const bad = answering({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "lots"] }] } });
    const e: unknown = await bad.query("x").catch((x: unknown) => x);
    expect(isMonitoringResponseError(e)).toBe(true);
    expect((e as Error).message).toContain("data.result.0.value");
    const html = answering("<html>proxy login</html>");
    expect(isMonitoringResponseError(await html.query("x").catch((x: unknown) => x))).toBe(true);
    const wrongType = answering({ status: "success", data: { resultType: "vector", result: [] } });
    expect(
      isMonitoringResponseError(await wrongType.queryRange("x", { startMs: 0, endMs: 1, stepSeconds: 1 }).catch((x: unknown) => x)),
    ).toBe(true);
  });

  it("an error body is a MonitoringQueryError for 4xx and unavailability for 5xx", async () => {
    const refused = answering({ status: "error", errorType: "execution", error: "many-to-many matching" }, 422);
    expect(await refused.query("x").catch((x: unknown) => x)).toMatchObject({
      status: 422,
      errorType: "execution",
      detail: "many-to-many matching",
    });
    const down = answering({ status: "error", errorType: "unavailable", error: "shutting down" }, 503);
    const e: unknown = await down.query("x").catch((x: unknown) => x);
    expect(isMonitoringUnavailableError(e)).toBe(true);
    expect(isMonitoringQueryError(e)).toBe(false);
    expect(e).toMatchObject({ reason: "server-error" });
  });
});
