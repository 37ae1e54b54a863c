// The /api/monitoring/... routes over the sample snapshot: without backends (503 naming the
// setting), with a real Prometheus and the Loki stand-in (200 with the resource's series and the
// errors along its dependency path), and with a Prometheus that cannot be reached (a fast 503,
// then the open breaker refuses without dialling).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes } from "../../../lib/api/routes.js";
import type { Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createCollectors, type MonitoringCollectors } from "../../../lib/monitoring/index.js";
import type { ExportResource, TopologyExport } from "../../../lib/topology/index.js";
import { type LokiStandIn, startLoki } from "../../support/loki.js";
import { freePort } from "../../support/ports.js";
import { type PrometheusServer, type SeriesHistory, startPrometheus, toOpenMetrics } from "../../support/prometheus.js";
import { call, commitSample, TEST_SCOPE, testStore } from "./fixtures.js";

const MINUTE = 60_000;
// Whole minutes, two hours of history ending a few minutes ago (inside Prometheus' retention).
const END = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
const START = END - 120 * MINUTE;
const minutes = Array.from({ length: 121 }, (_, i) => START + i * MINUTE);
const range = { start: String(START), end: new Date(END).toISOString(), step: "60" };

let store: Store;
let exp: TopologyExport;
let web: ExportResource;

const routesWith = (collectors: MonitoringCollectors) =>
  createRoutes(() => ({ store, scope: () => TEST_SCOPE, monitoring: () => ({ collectors }) }));

beforeAll(async () => {
  store = testStore();
  exp = await commitSample(store);
  web = exp.resources.find((r) => r.name === "app-web-prod-weu")!;
});
afterAll(async () => {
  await store?.idle();
});

describe("monitoring routes without backends", () => {
  const routes = () => routesWith({});

  it.each([
    ["monitoringMetrics", "PROMETHEUS_URL"],
    ["monitoringHealth", "PROMETHEUS_URL"],
    ["monitoringBottlenecks", "PROMETHEUS_URL"],
    ["monitoringErrors", "LOKI_URL"],
  ] as const)("%s answers 503 problem+json naming %s", async (name, setting) => {
    const r = await call(routes(), name, { id: web.id });
    expect(r.status).toBe(503);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.json()).toMatchObject({ type: "https://topdeck.dev/problems/unavailable", status: 503, setting });
    expect((r.json() as { detail: string }).detail).toContain(setting);
  });

  it("an id not in the snapshot is a 404 naming query.id, before any backend is needed", async () => {
    const r = await call(routes(), "monitoringMetrics", { id: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/nope" });
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ type: "https://topdeck.dev/problems/not-found", field: "query.id" });
  });

  it("bad parameters and ranges are 400s naming the field", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, "query.id"],
      [{ id: web.id, start: "yesterday" }, "query.start"],
      [{ id: web.id, start: String(END), end: String(START) }, "query.start"],
      [{ id: web.id, start: String(END - 40 * 24 * 60 * MINUTE), end: String(END) }, "query.start"],
      [{ id: web.id, step: "0" }, "query.step"],
      [{ id: web.id, start: String(END - 30 * 24 * 60 * MINUTE), end: String(END), step: "1" }, "query.step"],
      [{ id: web.id, depth: "2" }, "query"],
    ];
    for (const [query, field] of cases) {
      const r = await call(routes(), "monitoringMetrics", query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.json(), JSON.stringify(query)).toMatchObject({ status: 400, field });
    }
    const deep = await call(routes(), "monitoringBottlenecks", { id: web.id, depth: "7" });
    expect(deep.json()).toMatchObject({ status: 400, field: "query.depth" });
  });
});

describe("monitoring routes with a real Prometheus and the Loki stand-in", () => {
  let prom: PrometheusServer;
  let loki: LokiStandIn;
  let routes: ReturnType<typeof createRoutes>;
  // Latency steps from 0.2 s to 0.9 s eighty minutes in.
  const incident = START + 80 * MINUTE;

  beforeAll(async () => {
    const labels = { resource_id: web.id };
    const gauge = (before: number, after: number): SeriesHistory => ({
      labels,
      samples: minutes.map((t) => [t, t >= incident ? after : before] as const),
    });
    let total = 0;
    const requests: SeriesHistory = { labels, samples: minutes.map((t) => [t, (total += 600 * 60)] as const) };
    const families = [
      { name: "azure_appservice_response_time_seconds", series: [gauge(0.2, 0.9)] },
      { name: "azure_appservice_cpu_ratio", series: [gauge(0.3, 0.3)] },
      { name: "azure_appservice_requests_total", series: [requests] },
    ];
    const errorLines = Array.from(
      { length: 10 },
      (_, i) => [incident + i * MINUTE + 1_000, `ERROR upstream timed out correlationId=req-${i}`] as const,
    );
    [prom, loki] = await Promise.all([
      startPrometheus({ openMetrics: toOpenMetrics(families) }),
      startLoki([{ labels: { resource_id: web.id, job: "web" }, entries: [[START + MINUTE, "INFO started"], ...errorLines] }]),
    ]);
    routes = routesWith(createCollectors(loadConfig({ PROMETHEUS_URL: prom.url, LOKI_URL: loki.url })));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([prom?.stop(), loki?.stop()]);
  });

  it("metrics: 200 with the resource's series, found by its id in any casing", async () => {
    const r = await call(routes, "monitoringMetrics", { id: web.id.toUpperCase(), ...range });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const body = r.json() as {
      key: string;
      monitored: boolean;
      range: unknown;
      snapshot: { runId: string };
      readings: Array<{
        signal: string;
        points: unknown[];
        latest?: { value: number };
        anomalies: Array<{ kind: string; startMs: number }>;
      }>;
    };
    expect(body).toMatchObject({
      key: web.key,
      monitored: true,
      range: { startMs: START, endMs: END, stepSeconds: 60 },
      snapshot: { runId: exp.runId },
    });
    const byName = Object.fromEntries(body.readings.map((x) => [x.signal, x]));
    expect(byName.latencySeconds!.points).toHaveLength(121);
    expect(byName.latencySeconds!.latest!.value).toBeCloseTo(0.9, 5);
    expect(byName.latencySeconds!.anomalies.map((a) => [a.kind, a.startMs])).toEqual([["level-shift", incident]]);
    expect(byName.cpuRatio!.latest!.value).toBeCloseTo(0.3, 5);
    expect(byName.requestsPerSecond!.latest!.value).toBeCloseTo(600, 0);
  });

  it("health: 200 with a status that is not healthy during the latency incident", async () => {
    const r = await call(routes, "monitoringHealth", { id: web.key, ...range });
    expect(r.status, r.text).toBe(200);
    const body = r.json() as { key: string; status: string; source: { available: boolean } };
    expect(body).toMatchObject({ key: web.key, source: { backend: "prometheus", available: true } });
    expect(body.status).not.toBe("healthy");
  });

  it("bottlenecks: the path follows the snapshot's edges (not the monitoring edge) and ranks the web app", async () => {
    const r = await call(routes, "monitoringBottlenecks", { id: web.id, depth: "1", ...range });
    expect(r.status, r.text).toBe(200);
    const body = r.json() as { key: string; depth: number; unmonitored: Array<{ key: string }> } & Record<string, unknown>;
    expect(body).toMatchObject({ key: web.key, depth: 1 });
    const deps = exp.edges
      .filter((e) => e.from === web.key && e.relation !== "monitoring")
      .map((e) => e.to)
      .sort();
    const monitoringEdge = exp.edges.find((e) => e.from === web.key && e.relation === "monitoring")!.to;
    const unmonitored = body.unmonitored.map((u) => u.key).sort();
    expect(unmonitored).toEqual(deps);
    expect(JSON.stringify(body)).not.toContain(monitoringEdge);
    expect(JSON.stringify(body)).toContain("latencySeconds");
  });

  it("errors: 200 with the web app's errors, their onset and correlation ids", async () => {
    const r = await call(routes, "monitoringErrors", { id: web.id, depth: "1", ...range });
    expect(r.status, r.text).toBe(200);
    const body = r.json() as { key: string; depth: number } & Record<string, unknown>;
    expect(body).toMatchObject({ key: web.key, depth: 1 });
    const text = JSON.stringify(body);
    expect(text).toContain("req-0");
    expect(loki.queries.length).toBeGreaterThan(0);
  });
});

describe("monitoring routes with an unreachable Prometheus", () => {
  it("answer a fast 503; once the breaker opens, calls are refused without dialling", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    let requests = 0;
    const counting = (u: string, init: RequestInit): Promise<Response> => {
      requests++;
      return fetch(u, init);
    };
    const routes = routesWith(createCollectors(loadConfig({ PROMETHEUS_URL: url, LOKI_URL: url }), { fetch: counting }));
    const started = performance.now();
    const first = await call(routes, "monitoringMetrics", { id: web.id });
    expect(first.status).toBe(503);
    expect(first.json()).toMatchObject({
      type: "https://topdeck.dev/problems/unavailable",
      dependency: "prometheus",
      reason: "unreachable",
    });
    expect(first.text).not.toContain(url);
    for (let i = 0; i < 10 && requests < 3; i++) await call(routes, "monitoringMetrics", { id: web.id });
    const sent = requests;
    const refused = await call(routes, "monitoringMetrics", { id: web.id });
    expect(refused.status).toBe(503);
    expect(refused.json()).toMatchObject({ dependency: "prometheus", reason: "circuit-open" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(requests).toBe(sent);
    expect(performance.now() - started).toBeLessThan(2_000);
    // Health says unknown, never healthy, while Prometheus cannot answer.
    const health = await call(routes, "monitoringHealth", { id: web.id });
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: "unknown", score: null, source: { available: false } });
    const errors = await call(routes, "monitoringErrors", { id: web.id });
    expect(errors.status).toBe(503);
    expect(errors.json()).toMatchObject({ dependency: "loki" });
  });
});
