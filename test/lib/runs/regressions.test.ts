// Issue 13, cases 1-6: each reproduced as it was found (a store call or an ARM call failing at a
// chosen moment), over the in-memory driver with an injected clock and the ARM emulator.
import { HttpRequest, InvocationContext } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRunFunctions } from "../../../lib/api/runs.js";
import { noCooldown } from "../../../lib/api/start-cooldown.js";
import type { ArmReader } from "../../../lib/azure/arm-reader.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { isStoreUnavailableError, MemoryDriver, MemoryKeyspace, Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { createRunService } from "../../../lib/runs/compose.js";
import { type RunMessage, runRecordSchema } from "../../../lib/runs/records.js";
import { RunService, type RunServiceDeps } from "../../../lib/runs/run-service.js";
import { scopeKey } from "../../../lib/runs/scope.js";
import { parseSubscriptionId } from "../../../lib/topology/subscription-id.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import type { Estate } from "../../../tools/estates/schema.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { faultyDriver } from "../../support/faulty-driver.js";
import { tinyEstate } from "../../support/tiny-estate.js";

const log = createLogger({ level: "error", write: () => undefined });
const SITES = "Microsoft.Web/sites";

describe("issue 13: the run path never commits an older, filtered, empty or half-read snapshot", () => {
  let emulator: ArmEmulator;
  let estate: Estate;
  beforeAll(async () => {
    estate = tinyEstate();
    emulator = await startArmEmulator({ estate, throttle: "off" });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const subscriptions = () => estate.subscriptions.map((s) => parseSubscriptionId(s.subscriptionId));
  /** A store over one shared keyspace whose clock the test moves; every driver call can fail once. */
  const setup = (timeoutMs = 1_000) => {
    let t = Date.parse("2026-01-01T00:00:00Z");
    const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
    const faults = faultyDriver(new MemoryDriver(new MemoryKeyspace({ now: clock.now })));
    const store = new Store({ driver: faults.driver, log, timeoutMs, now: clock.now });
    const service = (overrides: Partial<RunServiceDeps> = {}) =>
      new RunService({
        store,
        log,
        scope: "test",
        subscriptions: subscriptions(),
        reader: () => emulatorReader(emulator),
        endpoint: emulator.url,
        concurrency: 4,
        lockTtlMs: 60_000,
        now: clock.now,
        sleep: () => Promise.resolve(),
        ...overrides,
      });
    return { clock, faults, store, service };
  };
  const drain = async (service: RunService, messages: RunMessage[]): Promise<void> => {
    const queue = [...messages];
    while (queue.length > 0) queue.push(...(await service.handle(queue.shift()!, { dequeueCount: 1 })));
  };
  const run = async (service: RunService) => {
    const started = await service.start("http");
    if (!started.started) throw new Error(`expected a run, got ${JSON.stringify(started)}`);
    await drain(service, started.messages);
    return started.run.runId;
  };

  it("case 1: a filtered run is its own scope: it never replaces the full snapshot, and carries forward only within its scope", async () => {
    const { store } = setup();
    const config = loadConfig({ TOPDECK_SUBSCRIPTIONS: subscriptions().join(",") });
    const full = createRunService(config, { store, log, reader: () => emulatorReader(emulator), endpoint: emulator.url });
    const filtered = createRunService(config, {
      store,
      log,
      reader: () => emulatorReader(emulator),
      endpoint: emulator.url,
      filter: { includeTypes: [SITES] },
    });
    expect(filtered.scope).not.toBe(full.scope);
    expect(filtered.scope).toBe(scopeKey(subscriptions(), { includeTypes: [SITES.toLowerCase()] }));
    expect(full.scope).toBe(scopeKey(subscriptions()));
    const fullRun = await run(full);
    const filteredRun = await run(filtered);
    expect((await store.snapshots.read(full.scope))?.export.runId).toBe(fullRun);
    const only = (await store.snapshots.read(filtered.scope))!.export;
    expect(only.runId).toBe(filteredRun);
    expect(new Set(only.resources.map((r) => r.type))).toEqual(new Set([SITES]));
    // The next full run carries forward from the full snapshot, never from the filtered one.
    const again = await run(full);
    expect(new Set((await store.snapshots.read(full.scope))!.export.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect((await full.view(again))?.status).toBe("succeeded");
  });

  it("case 3: when listing fails and a read of the previous snapshot blips, the plan is retried; nothing with zero subscriptions is committed", async () => {
    const { store, faults, clock, service } = setup();
    const first = await run(service({ subscriptions: [] }));
    const reader = emulatorReader(emulator);
    const denied: ArmReader = Object.assign(Object.create(reader) as ArmReader, {
      listSubscriptions: () => Promise.reject(new Error("listing denied")),
    });
    // Another instance: it has no copy of the snapshot in memory to answer from.
    const instance = new Store({ driver: faults.driver, log, timeoutMs: 1_000, now: clock.now });
    const tenant = service({ store: instance, subscriptions: [], reader: () => denied });
    const started = await tenant.start("http");
    if (!started.started) throw new Error("expected a run");
    faults.reset({ mode: "error", match: (c) => c.op === "get" && String(c.args[0]).endsWith(":snap:test:head") });
    await expect(tenant.handle(started.messages[0]!, { dequeueCount: 1 })).rejects.toSatisfy(isStoreUnavailableError);
    expect(faults.fired).toBe(true);
    expect((await store.snapshots.read("test"))?.export.runId).toBe(first);
    const next = await tenant.handle(started.messages[0]!, { dequeueCount: 2 });
    expect(next).toHaveLength(2);
    await drain(tenant, next);
    const committed = (await store.snapshots.read("test"))!.export;
    expect(committed.runId).toBe(started.run.runId);
    expect(committed.scope.subscriptions).toHaveLength(2);
    expect(new Set(committed.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
  });

  it("case 3b: a plan that cannot list the subscriptions and has no previous snapshot to fall back on never commits; poisoned, the run fails", async () => {
    const { store, service } = setup();
    const reader = emulatorReader(emulator);
    const denied: ArmReader = Object.assign(Object.create(reader) as ArmReader, {
      listSubscriptions: () => Promise.reject(new Error("listing denied")),
    });
    const tenant = service({ subscriptions: [], reader: () => denied });
    const started = await tenant.start("http");
    if (!started.started) throw new Error("expected a run");
    await expect(tenant.handle(started.messages[0]!, { dequeueCount: 1 })).rejects.toThrow(/listing denied/);
    expect(await store.snapshots.read("test")).toBeUndefined();
    await tenant.poisoned(started.messages[0]!);
    expect(await tenant.view(started.run.runId)).toMatchObject({ status: "failed" });
    expect(await store.snapshots.read("test")).toBeUndefined();
  });

  it("case 4: a run whose lease expired while it paused before its commit is fenced: the newer run's snapshot stays current and the paused run ends failed", async () => {
    const { store, faults, clock, service } = setup();
    const older = service({ lockTtlMs: 5_000 });
    const a = await older.start("http");
    if (!a.started) throw new Error("expected a run");
    await older.handle(a.messages[0]!, { dequeueCount: 1 });
    // Pause the older run's finishing delivery at its pointer swap, after its last lock check.
    let finishing = false;
    let checked = false;
    const paused = faults.pause((c) => {
      if (c.op === "acquireLock" && String(c.args[0]).includes("discovery-finish")) finishing = true;
      if (finishing && c.op === "renewLock") checked = true;
      return checked && c.op === "swapPointer";
    });
    const finishingA = older.handle(a.messages[1]!, { dequeueCount: 1 });
    await paused.reached;
    clock.advance(10_000);
    const newer = service();
    const b = await run(newer);
    expect((await store.snapshots.read("test"))?.export.runId).toBe(b);
    paused.release();
    await finishingA.catch(() => undefined);
    expect((await store.snapshots.read("test"))?.export.runId).toBe(b);
    const record = await store.documents.get("runs", [a.run.runId], runRecordSchema);
    expect(record?.status).toBe("failed");
    expect((await newer.view(b))?.status).toBe("succeeded");
  });

  it("case 5: a store failure while taking the finish lock fails the delivery, so it is redelivered and the run commits", async () => {
    const { store, faults, service } = setup();
    const s = service();
    const started = await s.start("http");
    if (!started.started) throw new Error("expected a run");
    await s.handle(started.messages[0]!, { dequeueCount: 1 });
    faults.reset({ mode: "error", match: (c) => c.op === "acquireLock" && String(c.args[0]).includes("discovery-finish") });
    await expect(s.handle(started.messages[1]!, { dequeueCount: 1 })).rejects.toSatisfy(isStoreUnavailableError);
    expect(await store.snapshots.read("test")).toBeUndefined();
    await s.handle(started.messages[1]!, { dequeueCount: 2 });
    expect((await store.snapshots.read("test"))?.export.runId).toBe(started.run.runId);
    expect((await s.view(started.run.runId))?.status).toBe("succeeded");
  });

  it("case 6: a lock taken but its reply lost answers 503 and leaves no lock behind; a lock whose holder was never recorded is never named as a run", async () => {
    const { store, faults, service } = setup();
    const s = service();
    const fns = createRunFunctions(
      () => s,
      () => "0 0 * * * *",
      () => noCooldown,
    );
    const post = () =>
      fns.startRun.handler(
        new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers: { "x-functions-key": "test-key" } }),
        new InvocationContext({ logHandler: () => undefined }),
      ) as Promise<{ status?: number; body?: unknown }>;
    const scopeLock = (c: { op: string; args: readonly unknown[] }) =>
      c.op === "acquireLock" && String(c.args[0]).includes("discovery%3Atest");
    // Taken, but the reply lost: read back as this run's (with its fencing token), so it is recorded.
    faults.reset({ mode: "reply-lost", match: scopeLock });
    const first = await post();
    expect(first.status).toBe(202);
    const refused = await post();
    expect(refused.status).toBe(409);
    const named = (JSON.parse(String(refused.body)) as { runId: string }).runId;
    expect(await s.view(named)).toBeDefined();
    // Not taken and no answer: 503, and no lock is left behind (the next start proceeds).
    const fresh = setup();
    const s2 = fresh.service();
    const fns3 = createRunFunctions(
      () => s2,
      () => "0 0 * * * *",
      () => noCooldown,
    );
    fresh.faults.reset({ mode: "error", match: scopeLock });
    const post3 = () =>
      fns3.startRun.handler(
        new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers: { "x-functions-key": "test-key" } }),
        new InvocationContext({ logHandler: () => undefined }),
      ) as Promise<{ status?: number; body?: unknown }>;
    expect((await post3()).status).toBe(503);
    expect((await post3()).status).toBe(202);

    // A lock held by an owner that has no run record (a start whose record never landed).
    const other = setup();
    await other.store.locks.acquire("discovery:test", { ttlMs: 60_000, owner: "0b8a44a1-3a1f-4c0e-9f55-3c3c9a1f0c11" });
    const ghost = await other.service().start("http");
    expect(ghost).toMatchObject({ started: false, reason: "unrecorded", runningRunId: null });
    const fns2 = createRunFunctions(
      () => other.service(),
      () => "0 0 * * * *",
      () => noCooldown,
    );
    const answer = (await fns2.startRun.handler(
      new HttpRequest({ method: "POST", url: "http://localhost/api/discovery/runs", headers: { "x-functions-key": "test-key" } }),
      new InvocationContext({ logHandler: () => undefined }),
    )) as { status?: number; body?: unknown };
    expect(answer.status).toBe(409);
    expect(JSON.parse(String(answer.body))).not.toHaveProperty("runId");
    void store;
  });
});
