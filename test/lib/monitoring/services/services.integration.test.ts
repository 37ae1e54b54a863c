// The four services against a real Prometheus (history backfilled with a known incident) and the
// Loki stand-in: what the routes will answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../../../lib/config/index.js";
import { bottlenecksFor } from "../../../../lib/monitoring/services/bottlenecks-for.js";
import { createCollectors, type MonitoringCollectors } from "../../../../lib/monitoring/services/collectors.js";
import type { MonitoringContext } from "../../../../lib/monitoring/services/context.js";
import { errorsFor } from "../../../../lib/monitoring/services/errors-for.js";
import { healthFor } from "../../../../lib/monitoring/services/health-for.js";
import { metricsFor } from "../../../../lib/monitoring/services/metrics-for.js";
import { resolveTimeRange } from "../../../../lib/monitoring/services/time-range.js";
import { loadQueryTemplates } from "../../../../lib/monitoring/templates/load-templates.js";
import { type LokiStandIn, startLoki } from "../../../support/loki.js";
import { type PrometheusServer, startPrometheus, toOpenMetrics } from "../../../support/prometheus.js";
import { END, history, ids, INCIDENT, keys, logStreams, MINUTE, requestId, topology } from "./estate.js";

let prom: PrometheusServer;
let loki: LokiStandIn;
let collectors: MonitoringCollectors;

beforeAll(async () => {
  [prom, loki] = await Promise.all([startPrometheus({ openMetrics: toOpenMetrics(history()) }), startLoki(logStreams())]);
  const config = loadConfig({ PROMETHEUS_URL: prom.url, LOKI_URL: loki.url });
  collectors = createCollectors(config);
});
afterAll(async () => {
  await Promise.all([prom?.stop(), loki?.stop()]);
});

const range = resolveTimeRange({ startMs: END - 120 * MINUTE, endMs: END, stepSeconds: 60 });
const context = (): MonitoringContext => ({ topology, collectors });

describe("metricsFor", () => {
  it("reads the web app's signals and finds the incident at the minute it was injected", async () => {
    const m = await metricsFor({ key: ids.web, range }, context());
    expect(m).toMatchObject({ key: keys.web, kind: "appService", monitored: true });
    const byName = Object.fromEntries(m.readings.map((r) => [r.signal, r]));
    expect(Object.keys(byName).sort()).toEqual(["cpuRatio", "errorRatio", "latencySeconds", "memoryRatio", "requestsPerSecond"]);
    const latency = byName.latencySeconds!;
    expect(latency.points).toHaveLength(121);
    expect(latency.latest!.value).toBeCloseTo(0.9, 0);
    expect(latency.state).toBe("warn");
    expect(latency.anomalies.map((a) => [a.kind, a.direction, a.startMs])).toEqual([["level-shift", "up", INCIDENT + 2 * MINUTE]]);
    expect(latency.active).toHaveLength(1);
    expect(byName.requestsPerSecond!.latest!.value).toBeCloseTo(600, 0);
    const errors = byName.errorRatio!;
    expect(errors.latest!.value).toBeCloseTo(0.02, 3);
    expect(errors.state).toBe("warn");
    const onset = errors.anomalies[0]!.startMs;
    expect(onset).toBeGreaterThanOrEqual(INCIDENT + 3 * MINUTE);
    expect(onset).toBeLessThanOrEqual(INCIDENT + 6 * MINUTE);
    expect(byName.cpuRatio).toMatchObject({ state: "ok", anomalies: [], active: [] });
  });

  it("AKS: counters through rate(), p95 from histogram buckets, selected by cluster and namespace tag", async () => {
    const m = await metricsFor({ key: keys.aks, range }, context());
    const byName = Object.fromEntries(m.readings.map((r) => [r.signal, r.latest?.value]));
    expect(byName.requestsPerSecond).toBeCloseTo(600, 0);
    expect(byName.errorRatio).toBeCloseTo(0.01, 4);
    // 95 % of requests are at or under 0.25 s (570 of 600 per second).
    expect(byName.latencySeconds).toBeCloseTo(0.25, 2);
    expect(byName.cpuRatio).toBeCloseTo(0.3, 2);
    expect(byName.memoryRatio).toBeCloseTo(0.25, 1);
  });

  it("a type without a template is answered as unmonitored, with the reason", async () => {
    expect(await metricsFor({ key: keys.kv, range }, context())).toMatchObject({
      monitored: false,
      reason: "no query template for type Microsoft.KeyVault/vaults",
      readings: [],
    });
  });

  it("a template query Prometheus refuses is reported on its signal; the others still answer", async () => {
    const templates = loadQueryTemplates({
      appService: { signals: { cpuRatio: "max(azure_appservice_cpu_ratio{$selector}" } },
    });
    const m = await metricsFor({ key: keys.web, range }, { ...context(), templates });
    const cpu = m.readings.find((r) => r.signal === "cpuRatio")!;
    expect(cpu.error).toMatchObject({ code: "TOPDECK_MONITORING_QUERY" });
    expect(m.readings.find((r) => r.signal === "latencySeconds")!.latest).toBeDefined();
  });
});

describe("healthFor", () => {
  it("the web app is degraded during the incident, and says why", async () => {
    const h = await healthFor({ key: keys.web, range }, context());
    expect(h.status).toBe("degraded");
    expect(h.score).toBeLessThan(80);
    expect(h.score).toBeGreaterThanOrEqual(50);
    expect(h.source).toEqual({ backend: "prometheus", available: true });
    expect(h.reasons.join("\n")).toMatch(/latencySeconds 0\.\d+ is at or past warn \(0\.5\)/);
    expect(h.reasons.join("\n")).toContain("latencySeconds: level-shift up since");
  });

  it("the cache is healthy with a perfect score; the database is unhealthy", async () => {
    expect(await healthFor({ key: keys.cache, range }, context())).toMatchObject({
      status: "healthy",
      score: 100,
      coverage: { withData: 5, expected: 5 },
    });
    const db = await healthFor({ key: keys.db, range }, context());
    expect(db.status).toBe("unhealthy");
    expect(db.reasons.join("\n")).toContain("cpuRatio 0.9");
  });

  it("nothing to judge by is unknown, not healthy", async () => {
    const kv = await healthFor({ key: keys.kv, range }, context());
    expect(kv).toMatchObject({ status: "unknown", score: null });
    expect(kv.reasons[0]).toContain("no query template");
    const before = resolveTimeRange({ startMs: END - 400 * MINUTE, endMs: END - 300 * MINUTE, stepSeconds: 60 });
    expect(await healthFor({ key: keys.cache, range: before }, context())).toMatchObject({ status: "unknown", score: null });
  });
});

describe("bottlenecksFor", () => {
  it("walks the dependency path from the Front Door and finds the database as the likely cause", async () => {
    const b = await bottlenecksFor({ key: keys.gw, range, depth: 3 }, context());
    expect(b.ranked.map((c) => c.key).sort()).toEqual([keys.cache, keys.db, keys.gw, keys.kv, keys.server, keys.web].sort());
    expect(b.likelyCause).toMatchObject({ key: keys.db, distance: 2, onsetMs: INCIDENT });
    expect(
      b.ranked
        .filter((c) => c.isBottleneck)
        .map((c) => c.key)
        .sort(),
    ).toEqual([keys.db, keys.gw, keys.web].sort());
    expect(b.unmonitored).toEqual([
      { key: keys.kv, distance: 2, reason: "no query template for type Microsoft.KeyVault/vaults" },
      { key: keys.server, distance: 3, reason: "no query template for type Microsoft.Sql/servers" },
    ]);
    expect(b.ranked.some((c) => c.key === keys.logs)).toBe(false);
  });

  it("depth limits the path", async () => {
    const b = await bottlenecksFor({ key: keys.gw, range, depth: 1 }, context());
    expect(b.ranked.map((c) => c.key).sort()).toEqual([keys.gw, keys.web].sort());
    expect(b.likelyCause?.key).toBe(keys.web);
  });
});

describe("errorsFor", () => {
  it("orders the path by when errors began: the database first, then the web app, then the Front Door", async () => {
    const e = await errorsFor({ key: keys.gw, range, depth: 2 }, context());
    expect(e.resources.filter((r) => r.onsetMs !== undefined).map((r) => [r.key, r.onsetMs])).toEqual([
      [keys.db, INCIDENT + 5_000],
      [keys.web, INCIDENT + 2 * MINUTE + 6_000],
      [keys.gw, INCIDENT + 3 * MINUTE + 7_000],
    ]);
    expect(e.origin).toMatchObject({ key: keys.db, distance: 2, leadMs: 2 * MINUTE + 1_000, ongoing: false });
    const db = e.resources.find((r) => r.key === keys.db)!;
    expect(db.byType).toEqual({ database: 40 });
    expect(db.count).toBe(40);
    const web = e.resources.find((r) => r.key === keys.web)!;
    expect(web.byType).toEqual({ timeout: 38 });
    expect(e.propagation[0]).toEqual({
      correlationId: requestId(2),
      path: [
        { key: keys.db, firstSeenMs: INCIDENT + 2 * MINUTE + 5_000 },
        { key: keys.web, firstSeenMs: INCIDENT + 2 * MINUTE + 6_000 },
      ],
    });
    const c5 = e.propagation.find((p) => p.correlationId === requestId(5))!;
    expect(c5.path.map((p) => p.key)).toEqual([keys.db, keys.web, keys.gw]);
    expect(e.resources.find((r) => r.key === keys.cache)).toMatchObject({ count: 0 });
    expect(e.resources.find((r) => r.key === keys.kv)!.unmonitored).toContain("no query template");
  });

  it("search narrows to lines containing the text, sent escaped", async () => {
    const json = await errorsFor({ key: keys.gw, range, depth: 2, search: `"correlationId":"${requestId(5)}"` }, context());
    expect(json.resources.filter((r) => r.count > 0).map((r) => [r.key, r.count])).toEqual([[keys.db, 1]]);
    expect(loki.queries.at(-1)).toContain(`|= "\\"correlationId\\":\\"${requestId(5)}\\""`);
    const hit = await errorsFor({ key: keys.gw, range, depth: 2, search: `correlationId=${requestId(5)}` }, context());
    expect(
      hit.resources
        .filter((r) => r.count > 0)
        .map((r) => r.key)
        .sort(),
    ).toEqual([keys.gw, keys.web].sort());
    expect(loki.queries.at(-1)).toContain(`|= "correlationId=${requestId(5)}"`);
  });
});
