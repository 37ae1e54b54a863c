// Telemetry (lib/telemetry): the spans and metrics of a discovery of a small estate against the ARM
// emulator, read back from in-memory exporters registered as the global providers.
import { Agent } from "node:https";

import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import { runDiscovery, type RunTypeStats } from "../../../lib/azure/discover.js";
import { MemoryDriver, MemoryKeyspace, Store } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { RunService } from "../../../lib/runs/run-service.js";
import { metricNames, recordCacheLookup, resetTelemetryTotals, startTelemetry, withSpan } from "../../../lib/telemetry/index.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { emulatorCredential } from "../../support/arm.js";
import { smallEstate } from "../../tools/arm-emulator/estate-fixture.js";

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(async () => {
  await reader.shutdown();
  trace.disable();
  metrics.disable();
  context.disable();
});
beforeEach(() => {
  spans.reset();
});

/** The latest collected points of metric `name`, as [value, attributes]. */
async function points(name: string): Promise<Array<{ value: unknown; attributes: Record<string, unknown> }>> {
  metricExporter.reset();
  await reader.forceFlush();
  const all: MetricData[] = metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
  return all
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints.map((p) => ({ value: p.value, attributes: p.attributes })));
}
const sum = async (name: string): Promise<number> => (await points(name)).reduce((a, p) => a + (p.value as number), 0);

describe("discovery telemetry against the emulator", () => {
  let emulator: ArmEmulator;
  beforeAll(async () => {
    emulator = await startArmEmulator({
      estate: smallEstate(),
      pageSize: 2,
      faultRate: 0.1,
      seed: 7,
      throttle: { burst: 250, refillPerSecond: 25 },
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("traces the run, each subscription and each type, and records the run's figures as metrics", async () => {
    const calls = createArmCalls({ maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 400, maxTotalMs: 20_000 });
    const armReader = new ArmHttpReader({
      credential: emulatorCredential,
      endpoint: emulator.url,
      agent: new Agent({ ca: emulator.ca, keepAlive: true }),
      run: calls.run,
    });
    const out = await runDiscovery({ reader: armReader, runId: "run-telemetry" });
    expect(out.errors).toEqual([]);

    const finished = spans.getFinishedSpans();
    const named = (n: string) => finished.filter((s) => s.name === n);
    const [run] = named("discovery.run");
    expect(named("discovery.run")).toHaveLength(1);
    expect(run!.attributes["topdeck.run.id"]).toBe("run-telemetry");
    expect(run!.attributes["topdeck.run.resources"]).toBe(out.resources.length);

    const subs = named("discovery.subscription");
    expect(subs.map((s) => s.attributes["topdeck.subscription.id"]).sort()).toEqual([...out.scope.subscriptions].sort());
    for (const s of subs) expect(s.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);

    const types = named("discovery.type");
    const typeStats = out.stats.types as RunTypeStats;
    expect(types).toHaveLength(Object.keys(typeStats).length);
    for (const t of types) {
      const parent = subs.find((s) => s.spanContext().spanId === t.parentSpanContext?.spanId);
      expect(parent, String(t.attributes["topdeck.type"])).toBeDefined();
      const key = `${String(t.attributes["topdeck.subscription.id"])}/${String(t.attributes["topdeck.type"])}`;
      expect(t.attributes["topdeck.type.resources"], key).toBe(typeStats[key]?.resources);
    }
    expect(new Set(finished.map((s) => s.spanContext().traceId)).size).toBe(1);

    expect(await sum(metricNames.resourcesDiscovered)).toBe(out.stats.resources);
    expect(await sum(metricNames.throttles)).toBe(out.stats.throttled);
    expect(await sum(metricNames.retries)).toBe(out.stats.retries);
    expect(out.stats.retries).toBeGreaterThan(0);
    const [duration] = await points(metricNames.runDuration);
    expect(duration!.value).toMatchObject({ count: 1, sum: out.stats.durationMs });
    expect(duration!.attributes).toEqual({ "topdeck.run.outcome": "succeeded" });
  });

  it("a run spread over queue messages traces each subscription and the run's commit, and records the run's figures", async () => {
    const store = new Store({
      driver: new MemoryDriver(new MemoryKeyspace()),
      log: createLogger({ level: "error", write: () => undefined }),
    });
    const calls = createArmCalls({ maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 400, maxTotalMs: 20_000 });
    const armReader = new ArmHttpReader({
      credential: emulatorCredential,
      endpoint: emulator.url,
      agent: new Agent({ ca: emulator.ca, keepAlive: true }),
      run: calls.run,
    });
    const service = new RunService({
      store,
      log: createLogger({ level: "error", write: () => undefined }),
      scope: "telemetry",
      subscriptions: [],
      reader: () => armReader,
      endpoint: emulator.url,
      concurrency: 4,
      lockTtlMs: 60_000,
    });
    const before = {
      resources: await sum(metricNames.resourcesDiscovered),
      runs: (await points(metricNames.runDuration)).reduce((n, p) => n + (p.value as { count: number }).count, 0),
    };
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    const queue = [...started.messages];
    while (queue.length > 0) queue.push(...(await service.handle(queue.shift()!, { dequeueCount: 1 })));
    const committed = (await store.snapshots.read("telemetry"))!.export;

    const finished = spans.getFinishedSpans();
    const named = (n: string) => finished.filter((sp) => sp.name === n);
    expect(
      named("discovery.subscription")
        .map((sp) => sp.attributes["topdeck.subscription.id"])
        .sort(),
    ).toEqual([...committed.scope.subscriptions].sort());
    const [run] = named("discovery.run");
    expect(named("discovery.run")).toHaveLength(1);
    expect(run!.attributes).toMatchObject({
      "topdeck.run.id": started.run.runId,
      "topdeck.run.resources": committed.resources.length,
      "topdeck.run.subscriptions": committed.scope.subscriptions.length,
    });
    expect(named("discovery.type").length).toBe(Object.keys(committed.stats.types as RunTypeStats).length);
    expect((await sum(metricNames.resourcesDiscovered)) - before.resources).toBe(committed.resources.length);
    const runs = (await points(metricNames.runDuration)).reduce((n, p) => n + (p.value as { count: number }).count, 0);
    expect(runs - before.runs).toBe(1);
  });
});

describe("telemetry helpers", () => {
  it("withSpan records a thrown error on the span and rethrows it", async () => {
    await expect(withSpan("boom", { a: 1 }, async () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
    const [span] = spans.getFinishedSpans();
    expect(span!.name).toBe("boom");
    expect(span!.status.code).toBe(2);
    expect(span!.events.some((e) => e.name === "exception")).toBe(true);
  });

  it("the cache hit ratio is hits over lookups", async () => {
    resetTelemetryTotals();
    recordCacheLookup(false);
    recordCacheLookup(true);
    recordCacheLookup(true);
    recordCacheLookup(true);
    expect(await sum(metricNames.cacheHits)).toBe(3);
    expect(await sum(metricNames.cacheMisses)).toBe(1);
    expect((await points(metricNames.cacheHitRatio))[0]!.value).toBe(0.75);
  });

  it("does not start (or load) Azure Monitor without APPLICATIONINSIGHTS_CONNECTION_STRING", async () => {
    expect(await startTelemetry({})).toBe(false);
    expect(await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: "  " })).toBe(false);
  });
});
