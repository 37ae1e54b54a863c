// Discovery runs spread over queue messages, against the ARM emulator (real HTTPS, the real ARM
// client) and the Upstash store over the bridge: the same export as a one-process discovery, one
// run per scope, poison reports, and a run whose lock expired committing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runDiscovery } from "../../../lib/azure/discover.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { createStore, type Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { type RunMessage, subscriptionReportSchema } from "../../../lib/runs/records.js";
import { RunService, type RunServiceDeps, type RunView } from "../../../lib/runs/run-service.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { type Estate, loadEstateFile } from "../../../tools/estates/schema.js";
import { sampleEstatePath } from "../../../tools/paths.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";

const log = createLogger({ level: "error", write: () => undefined });

describe("discovery runs over the queue (RunService)", () => {
  let stack: UpstashStack;
  let estate: Estate;
  let emulator: ArmEmulator;
  let n = 0;

  beforeAll(async () => {
    stack = await startUpstashStack();
    estate = await loadEstateFile(sampleEstatePath());
    emulator = await startArmEmulator({ estate, throttle: "off" });
  });
  afterAll(async () => {
    await emulator?.close();
    await stack?.stop();
  });

  /** A store on a prefix of the test's own, as one more instance of the app opens it. */
  const storeOn = (prefix: string): Store =>
    createStore(loadConfig({ UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token, CACHE_TIMEOUT_MS: "5000" }), log, {
      prefix,
    });
  const subscriptions = () => estate.subscriptions.map((s) => s.subscriptionId);
  const serviceOn = (store: Store, overrides: Partial<RunServiceDeps> = {}): RunService =>
    new RunService({
      store,
      log,
      scope: "test",
      subscriptions: subscriptions(),
      reader: () => emulatorReader(emulator),
      endpoint: emulator.url,
      concurrency: 8,
      lockTtlMs: 60_000,
      ...overrides,
    });

  /** Delivers messages as the queue does, following the messages each delivery adds. */
  async function drain(service: RunService, messages: RunMessage[]): Promise<void> {
    const queue = [...messages];
    while (queue.length > 0) queue.push(...(await service.handle(queue.shift()!, { dequeueCount: 1 })));
  }

  it("a run over two subscriptions commits what a one-process discovery finds, reports progress per subscription and type, and frees the scope", async () => {
    const store = storeOn(`runs-${++n}`);
    const service = serviceOn(store);
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    expect(started.run).toMatchObject({ status: "queued", trigger: "http", progress: { subscriptions: { total: 2, queued: 2 } } });
    expect(started.messages).toEqual(
      subscriptions().map((subscriptionId) => ({ v: 1, kind: "subscription", runId: started.run.runId, subscriptionId })),
    );
    expect(await store.locks.holder(service.lockName)).toBe(started.run.runId);
    // Nothing is committed before every subscription has reported.
    await service.handle(started.messages[0]!, { dequeueCount: 1 });
    expect(await store.snapshots.read("test")).toBeUndefined();
    expect((await service.view(started.run.runId))?.progress.subscriptions).toMatchObject({ done: 1, queued: 1 });
    await service.handle(started.messages[1]!, { dequeueCount: 1 });

    const committed = (await store.snapshots.read("test"))!.export;
    const direct = await runDiscovery({ reader: emulatorReader(emulator), subscriptions: subscriptions() });
    expect(committed.runId).toBe(started.run.runId);
    expect(new Set(committed.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(committed.resources).toEqual(direct.resources);
    expect(committed.edges).toEqual(direct.edges);
    expect(committed.external).toEqual(direct.external);
    expect(committed.errors).toEqual([]);
    expect(Object.keys(committed.stats.types as object).sort()).toEqual(Object.keys(direct.stats.types as object).sort());

    const view = (await service.view(started.run.runId))!;
    expect(view.status).toBe("succeeded");
    expect(view.result).toMatchObject({ committed: true, resources: committed.resources.length, edges: committed.edges.length, errors: 0 });
    expect(view.subscriptions.map((s) => [s.subscriptionId, s.status])).toEqual(subscriptions().map((s) => [s, "done"]));
    for (const s of view.subscriptions) {
      expect(s.typesDone).toBe(s.typesTotal);
      expect(Object.keys(s.types)).toHaveLength(s.typesTotal);
      const perType = Object.values(s.types).reduce((sum, t) => sum + t.resources, 0);
      expect(perType).toBeGreaterThan(0);
    }
    expect((await service.latest())?.runId).toBe(started.run.runId);
    expect(await store.locks.holder(service.lockName)).toBeNull();
    // A message delivered again after the run finished changes nothing.
    expect(await service.handle(started.messages[0]!, { dequeueCount: 2 })).toEqual([]);
    expect((await store.snapshots.list("test")).map((m) => m.runId)).toEqual([started.run.runId]);
  });

  it("a tenant-wide run lists the subscriptions in a plan message, then fans out one message per subscription", async () => {
    const store = storeOn(`runs-${++n}`);
    const service = serviceOn(store, { subscriptions: [] });
    const started = await service.start("timer");
    if (!started.started) throw new Error("expected a run");
    expect(started.messages).toEqual([{ v: 1, kind: "plan", runId: started.run.runId }]);
    expect(started.run.progress.subscriptions.total).toBeNull();
    const next = await service.handle(started.messages[0]!, { dequeueCount: 1 });
    expect(next.map((m) => (m.kind === "subscription" ? m.subscriptionId : m.kind)).sort()).toEqual([...subscriptions()].sort());
    expect((await service.view(started.run.runId))?.progress.subscriptions).toMatchObject({ total: 2, queued: 2 });
    await drain(service, next);
    expect((await service.view(started.run.runId))?.status).toBe("succeeded");
    expect(new Set((await store.snapshots.read("test"))!.export.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
  });

  const connectionString = (key: string) =>
    `DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=${key};EndpointSuffix=core.windows.net`;

  it("when ARM will not list the subscriptions, a tenant-wide run covers the previous snapshot's and records the failure", async () => {
    const store = storeOn(`runs-${++n}`);
    const first = serviceOn(store, { subscriptions: [] });
    const run1 = await first.start("http");
    if (!run1.started) throw new Error("expected a run");
    await drain(first, run1.messages);
    const reader = emulatorReader(emulator);
    const denied = Object.assign(Object.create(reader) as typeof reader, {
      // A message can carry a secret (an echoed connection string): it is stored sanitised.
      listSubscriptions: () => Promise.reject(new Error(`listing denied: ${connectionString("Zm9vYmFy+/==")}`)),
    });
    const second = serviceOn(store, { subscriptions: [], reader: () => denied });
    const run2 = await second.start("http");
    if (!run2.started) throw new Error("expected a run");
    await drain(second, run2.messages);
    const view = (await second.view(run2.run.runId))!;
    expect(view.status).toBe("partial");
    expect(view.progress.subscriptions).toMatchObject({ total: 2, done: 2 });
    expect(view.errors).toEqual([
      expect.objectContaining({
        subscriptionId: "*",
        type: "Microsoft.Resources/subscriptions",
        message: `listing denied: ${connectionString("[redacted:connection-string-secret]")}`,
      }),
    ]);
    expect(JSON.stringify(await store.snapshots.read("test"))).not.toContain("Zm9vYmFy");
    const committed = (await store.snapshots.read("test"))!.export;
    expect(committed.runId).toBe(run2.run.runId);
    expect(new Set(committed.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(committed.resources.some((r) => r.stale === true)).toBe(false);
  });

  it("two instances starting at once: exactly one run starts, the other is told which run holds the scope", async () => {
    const prefix = `runs-${++n}`;
    const [a, b] = [serviceOn(storeOn(prefix)), serviceOn(storeOn(prefix))];
    const outcomes = await Promise.all([a.start("http"), b.start("http")]);
    const started = outcomes.filter((o) => o.started);
    expect(started).toHaveLength(1);
    const refused = outcomes.find((o) => !o.started);
    expect(refused).toEqual({ started: false, reason: "held", runningRunId: started[0]!.started && started[0]!.run.runId });
  });

  it("a poisoned subscription is reported in the run, which still commits, carrying that subscription's previous resources forward as stale", async () => {
    const store = storeOn(`runs-${++n}`);
    const service = serviceOn(store);
    const first = await service.start("http");
    if (!first.started) throw new Error("expected a run");
    await drain(service, first.messages);
    const before = (await store.snapshots.read("test"))!.export;

    const second = await service.start("http");
    if (!second.started) throw new Error("expected a second run");
    const [ok, poisoned] = second.messages as [RunMessage, RunMessage];
    await service.handle(ok, { dequeueCount: 1 });
    await service.poisoned(poisoned);
    const poisonedSub = poisoned.kind === "subscription" ? poisoned.subscriptionId : "";

    const view = (await service.view(second.run.runId))!;
    expect(view.status).toBe("partial");
    expect(view.subscriptions.find((s) => s.subscriptionId === poisonedSub)?.status).toBe("failed");
    expect(view.errors).toEqual([expect.objectContaining({ subscriptionId: poisonedSub, type: "*", code: "WorkerGaveUp" })]);
    const after = (await store.snapshots.read("test"))!.export;
    expect(after.runId).toBe(second.run.runId);
    expect(after.resources.map((r) => r.key)).toEqual(before.resources.map((r) => r.key));
    for (const r of after.resources) expect(r.stale === true, r.key).toBe(r.subscriptionId.toLowerCase() === poisonedSub);
    expect(after.errors).toEqual(view.errors);
    expect(await store.locks.holder(service.lockName)).toBeNull();
  });

  it("a staged part that is gone when the run assembles is reported, and that subscription's previous resources are carried forward", async () => {
    const store = storeOn(`runs-${++n}`);
    const service = serviceOn(store);
    const first = await service.start("http");
    if (!first.started) throw new Error("expected a run");
    await drain(service, first.messages);

    const second = await service.start("http");
    if (!second.started) throw new Error("expected a second run");
    const [a, b] = second.messages as [RunMessage, RunMessage];
    await service.handle(a, { dequeueCount: 1 });
    const lostSub = a.kind === "subscription" ? a.subscriptionId : "";
    const report = await store.documents.get("run-reports", [second.run.runId, lostSub], subscriptionReportSchema);
    await store.snapshots.discard({ manifest: report!.part! });
    await service.handle(b, { dequeueCount: 1 });

    const view = (await service.view(second.run.runId))!;
    expect(view.status).toBe("partial");
    expect(view.errors).toEqual([expect.objectContaining({ subscriptionId: lostSub, type: "*", code: "PartLost" })]);
    const after = (await store.snapshots.read("test"))!.export;
    expect(new Set(after.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    for (const r of after.resources) expect(r.stale === true, r.key).toBe(r.subscriptionId.toLowerCase() === lostSub);
  });

  it("a run whose lock expired (its worker died) reads as failed; the next run proceeds and the dead run's late messages commit nothing", async () => {
    const store = storeOn(`runs-${++n}`);
    const service = serviceOn(store, { lockTtlMs: 300 });
    const dead = await service.start("http");
    if (!dead.started) throw new Error("expected a run");
    expect((await service.start("http")).started).toBe(false);
    await new Promise((r) => setTimeout(r, 450));
    expect(await service.view(dead.run.runId)).toMatchObject({ status: "failed", failure: expect.stringMatching(/^abandoned/) });

    const next = await serviceOn(store).start("http");
    if (!next.started) throw new Error("expected the scope to be free");
    expect(await service.handle(dead.messages[0]!, { dequeueCount: 2 })).toEqual([]);
    expect(await store.snapshots.read("test")).toBeUndefined();
    expect(await store.locks.holder(service.lockName)).toBe(next.run.runId);
    await drain(serviceOn(store), next.messages);
    expect((await store.snapshots.read("test"))?.export.runId).toBe(next.run.runId);
    expect((await service.view(dead.run.runId))?.status).toBe("failed");
  });

  it("progress is visible while a subscription is being discovered", async () => {
    const slow = await startArmEmulator({ estate, throttle: "off", latencyMs: 40 });
    try {
      const store = storeOn(`runs-${++n}`);
      const service = serviceOn(store, { reader: () => emulatorReader(slow), endpoint: slow.url, concurrency: 2 });
      const started = await service.start("http");
      if (!started.started) throw new Error("expected a run");
      const seen: RunView[] = [];
      let done = false;
      const watching = (async () => {
        while (!done) {
          const v = await service.view(started.run.runId);
          if (v !== undefined) seen.push(v);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await service.handle(started.messages[0]!, { dequeueCount: 1 });
      done = true;
      await watching;
      const midway = seen.flatMap((v) => v.subscriptions).filter((s) => s.status === "running" && s.typesDone > 0);
      expect(midway.length).toBeGreaterThan(0);
      const final = (await service.view(started.run.runId))!.subscriptions[0]!;
      expect(midway.every((s) => s.typesDone <= final.typesDone && Object.keys(s.types).length === s.typesDone)).toBe(true);
      expect(seen.some((v) => v.status === "running")).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
