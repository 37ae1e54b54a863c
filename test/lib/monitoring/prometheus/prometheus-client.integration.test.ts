import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isMonitoringQueryError } from "../../../../lib/monitoring/errors/monitoring-query-error.js";
import { isMonitoringUnavailableError } from "../../../../lib/monitoring/errors/monitoring-unavailable-error.js";
import { backendPolicy } from "../../../../lib/monitoring/http/backend-policy.js";
import { PrometheusClient } from "../../../../lib/monitoring/prometheus/prometheus-client.js";
import { freePort } from "../../../support/ports.js";
import { type PrometheusServer, startPrometheus, toOpenMetrics } from "../../../support/prometheus.js";

const MINUTE = 60_000;
const END = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
const START = END - 60 * MINUTE;
const times = Array.from({ length: 61 }, (_, i) => START + i * MINUTE);

let prom: PrometheusServer;

beforeAll(async () => {
  prom = await startPrometheus({
    openMetrics: toOpenMetrics([
      { name: "topdeck_value", series: [{ labels: { resource_id: "r1" }, samples: times.map((t, i) => [t, i / 10] as const) }] },
      {
        name: "topdeck_odd",
        series: [
          { labels: { kind: "nan" }, samples: times.map((t) => [t, Number.NaN] as const) },
          { labels: { kind: "inf" }, samples: times.map((t) => [t, Infinity] as const) },
          { labels: { kind: "neg" }, samples: times.map((t) => [t, -Infinity] as const) },
        ],
      },
    ]),
  });
});
afterAll(async () => {
  await prom?.stop();
});

/** A fetch that counts the requests it sends. */
function counting(): { fetch: (url: string, init: RequestInit) => Promise<Response>; count: () => number } {
  let n = 0;
  return { fetch: (url, init) => (n++, fetch(url, init)), count: () => n };
}

describe("PrometheusClient against the real Prometheus", () => {
  it("range query: one series, every step, values and times parsed", async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    const series = await client.queryRange('topdeck_value{resource_id="r1"}', { startMs: START, endMs: END, stepSeconds: 60 });
    expect(series).toHaveLength(1);
    expect(series[0]!.labels).toEqual({ __name__: "topdeck_value", resource_id: "r1" });
    expect(series[0]!.points).toHaveLength(61);
    expect(series[0]!.points[10]).toEqual({ timeMs: START + 10 * MINUTE, value: 1 });
  });

  it("instant query: NaN, +Inf and -Inf sample values become numbers", async () => {
    const client = new PrometheusClient({ baseUrl: prom.url });
    const samples = await client.query("topdeck_odd", END);
    const byKind = Object.fromEntries(samples.map((s) => [s.labels.kind, s.value]));
    expect(byKind.nan).toBeNaN();
    expect(byKind.inf).toBe(Infinity);
    expect(byKind.neg).toBe(-Infinity);
    const [scalar] = await client.query("1/0", END);
    expect(scalar).toEqual({ labels: {}, timeMs: END, value: Infinity });
  });

  it("a query Prometheus refuses is a MonitoringQueryError, not retried and not counted by the breaker", async () => {
    const counter = counting();
    const policy = backendPolicy({ consecutiveFailures: 1 });
    const client = new PrometheusClient({ baseUrl: prom.url, policy, fetch: counter.fetch });
    for (let i = 0; i < 3; i++) {
      const e: unknown = await client.query("topdeck_value{", END).catch((x: unknown) => x);
      expect(isMonitoringQueryError(e)).toBe(true);
      expect(e).toMatchObject({ status: 400, errorType: "bad_data", query: "topdeck_value{" });
    }
    expect(counter.count()).toBe(3);
    expect(policy.breakers.get(`prometheus ${prom.url}/api/v1/query`).state).toBe("closed");
  });
});

describe("PrometheusClient when Prometheus cannot answer", () => {
  let hung: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers.
    hung = createServer(() => undefined);
    hung.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  it("unreachable: fails fast with a clear error, then the breaker opens and no request is sent", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const counter = counting();
    const policy = backendPolicy({ consecutiveFailures: 3 });
    const client = new PrometheusClient({ baseUrl: url, policy, fetch: counter.fetch });
    const started = performance.now();
    for (let i = 0; i < 3; i++) {
      const e: unknown = await client.query("up").catch((x: unknown) => x);
      expect(isMonitoringUnavailableError(e)).toBe(true);
      expect(e).toMatchObject({ backend: "prometheus", reason: "unreachable", endpoint: `${url}/api/v1/query` });
      expect((e as Error).message).toContain("ECONNREFUSED");
    }
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(counter.count()).toBe(3);
    const e: unknown = await client.query("up").catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: "circuit-open" });
    expect((e as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(counter.count()).toBe(3);
    expect(policy.breakers.get(`prometheus ${url}/api/v1/query`).state).toBe("open");
    // The breaker is per endpoint: range queries have their own.
    expect(policy.breakers.get(`prometheus ${url}/api/v1/query_range`).state).toBe("closed");
  });

  it("hung: each attempt times out, the call gives up within its budget with reason timeout", async () => {
    const { port } = hung.address() as AddressInfo;
    const client = new PrometheusClient({ baseUrl: `http://127.0.0.1:${port}`, policy: backendPolicy({ attemptTimeoutMs: 150 }) });
    const started = performance.now();
    const e: unknown = await client.query("up").catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "TOPDECK_MONITORING_UNAVAILABLE", reason: "timeout" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("startPrometheus", () => {
  it("says how to install Prometheus when the binary is missing", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(startPrometheus()).rejects.toThrow("prometheus not found: run `bash scripts/test-all.sh`, which installs it");
    } finally {
      process.env.PATH = path;
    }
  });
});
