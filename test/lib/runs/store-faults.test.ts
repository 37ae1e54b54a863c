// Fault at every step: a full two-subscription run (start, plan-free fan-out, reports, staging,
// finish lock, assembly, fenced commit, record, release) with exactly its Nth store operation
// failing, for every N the run makes, in three modes (error before applying, applied but the reply
// lost, a hang past the guard's timeout), over the in-memory driver and over the Upstash REST
// bridge on redis-server. After each: the current snapshot is the previous one or the complete new
// one, the run's final status says which, and the next run completes.
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { emulatorReader } from "../../../lib/azure/readers.js";
import { MemoryDriver, MemoryKeyspace, Store, type StoreDriver, UpstashDriver } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { CircuitBreaker } from "../../../lib/resilience/index.js";
import { RunService } from "../../../lib/runs/run-service.js";
import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import type { Estate } from "../../../tools/estates/schema.js";
import { runInProcess } from "../../../tools/host/run-in-process.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { type FaultMode, faultyDriver } from "../../support/faulty-driver.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";
import { tinyEstate } from "../../support/tiny-estate.js";

const log = createLogger({ level: "error", write: () => undefined });
/**
 * The guard's timeouts in this suite (a `timeout` fault waits for them): short, yet long enough
 * that a loaded machine does not time out operations that were not chosen.
 */
const TIMEOUT_MS: Record<string, number> = { memory: 40, upstash: 250 };
const MODES: FaultMode[] = ["error", "reply-lost", "timeout"];

describe("a run with its Nth store operation failing, for every N", () => {
  let emulator: ArmEmulator;
  let estate: Estate;
  let stack: UpstashStack;
  let keys: Set<string>;

  beforeAll(async () => {
    estate = tinyEstate();
    keys = expectedKeys(estate);
    emulator = await startArmEmulator({ estate, throttle: "off" });
    stack = await startUpstashStack();
  });
  afterAll(async () => {
    await emulator?.close();
    await stack?.stop();
  });

  const drivers: Record<string, () => StoreDriver> = {
    memory: () => new MemoryDriver(new MemoryKeyspace()),
    upstash: () =>
      new UpstashDriver({
        redis: new Redis({
          url: stack.url,
          token: stack.token,
          automaticDeserialization: false,
          retry: { retries: 0 },
          responseEncoding: false,
          enableTelemetry: false,
        }),
      }),
  };

  /** A complete snapshot of the tiny estate: every resource, fresh, both subscriptions, no errors. */
  const expectComplete = (snapshot: TopologyExport, why: string): void => {
    expect(new Set(snapshot.resources.map((r) => r.key)), why).toEqual(keys);
    expect(
      snapshot.resources.filter((r) => r.stale === true),
      why,
    ).toEqual([]);
    expect(snapshot.scope.subscriptions, why).toHaveLength(2);
    expect(snapshot.errors, why).toEqual([]);
  };

  for (const [name, makeDriver] of Object.entries(drivers)) {
    it(`two runs racing with a paused lease, over the ${name} driver: the newer snapshot stays current and the older run ends failed`, async () => {
      const inner = makeDriver();
      const faults = faultyDriver(inner);
      const store = new Store({ log, prefix: `race-${name}`, driver: faults.driver, timeoutMs: 5_000 });
      const service = () =>
        new RunService({
          store,
          log,
          scope: "test",
          subscriptions: estate.subscriptions.map((s) => s.subscriptionId),
          reader: () => emulatorReader(emulator),
          endpoint: emulator.url,
          concurrency: 4,
          lockTtlMs: 60_000,
        });
      const older = service();
      const a = await older.start("http");
      if (!a.started) throw new Error("expected a run");
      await older.handle(a.messages[0]!, { dequeueCount: 1 });
      // The older run's last delivery is held at its pointer swap, after its last lock check...
      let finishing = false;
      const paused = faults.pause((c) => {
        if (c.op === "acquireLock" && String(c.args[0]).includes("discovery-finish")) finishing = true;
        return finishing && c.op === "swapPointer";
      });
      const late = older.handle(a.messages[1]!, { dequeueCount: 1 });
      await paused.reached;
      // ...while its lease runs out (as if the instance froze past the TTL) and a newer run commits.
      await store.locks.resume(older.lockName, a.run.runId, 0, 60_000).release();
      const newer = service();
      const b = await runInProcess(newer, { trigger: "timer", log, retryDelayMs: 1 });
      if (b.started !== true) throw new Error("expected the newer run to start");
      expect(b.view?.status).toBe("succeeded");
      paused.release();
      await late.catch(() => undefined);
      expect((await store.snapshots.read("test"))?.export.runId).toBe(b.view?.runId);
      expect(await older.view(a.run.runId)).toMatchObject({ status: "failed" });
      expect((await newer.view(b.view!.runId))?.status).toBe("succeeded");
    });

    it(`over the ${name} driver`, { timeout: 240_000 }, async () => {
      let prefix = 0;
      const open = () => {
        const inner = makeDriver();
        const timeoutMs = TIMEOUT_MS[name]!;
        const faults = faultyDriver(inner, { hangMs: timeoutMs + 10 });
        const storeOptions = {
          log,
          prefix: `faults-${name}-${++prefix}`,
          timeoutMs,
          lockTimeoutMs: timeoutMs,
          snapshots: { bulkTimeoutMs: timeoutMs },
        };
        // The breaker is not under test: one injected fault (or a slow reply) must not open it.
        const breaker = new CircuitBreaker(`redis:${name}`, { consecutiveFailures: 1_000, isFailure: () => true });
        const store = new Store({ ...storeOptions, breaker, driver: faults.driver });
        // What another instance reads: no fault, no copy in memory.
        const observer = new Store({ ...storeOptions, driver: inner, timeoutMs: 5_000, lockTimeoutMs: 5_000 });
        const service = new RunService({
          store,
          log,
          scope: "test",
          subscriptions: estate.subscriptions.map((s) => s.subscriptionId),
          reader: () => emulatorReader(emulator),
          endpoint: emulator.url,
          concurrency: 4,
          lockTtlMs: 60_000,
          sleep: () => Promise.resolve(),
        });
        const observed = new RunService({
          ...{
            store: observer,
            log,
            scope: "test",
            subscriptions: estate.subscriptions.map((s) => s.subscriptionId),
            reader: () => emulatorReader(emulator),
            endpoint: emulator.url,
            concurrency: 4,
            lockTtlMs: 60_000,
          },
        });
        return { faults, store, observer, service, observed };
      };
      const runOnce = async (service: RunService) => {
        try {
          return await runInProcess(service, { trigger: "http", log, retryDelayMs: 1 });
        } catch (error) {
          return { started: "threw" as const, error };
        }
      };

      // How many store operations a run after a committed one makes.
      const baseline = open();
      const first = await runOnce(baseline.service);
      expect(first.started).toBe(true);
      baseline.faults.reset();
      const second = await runOnce(baseline.service);
      expect(second.started === true && second.view?.status).toBe("succeeded");
      const operations = baseline.faults.calls.length;
      expect(operations).toBeGreaterThan(20);

      const failures: string[] = [];
      for (const mode of MODES) {
        const { faults, observer, service, observed } = open();
        const warmup = await runOnce(service);
        if (warmup.started !== true || warmup.view?.status !== "succeeded")
          throw new Error(`warm-up run failed: ${JSON.stringify(warmup)}`);
        for (let n = 1; n <= operations; n++) {
          const previous = (await observer.snapshots.read("test"))!.export;
          faults.reset({ mode, n });
          const faulted = await runOnce(service);
          const op = faults.calls[n - 1]?.op ?? "(none)";
          const why = `${name}, ${mode} at operation ${n} (${op})`;
          faults.reset();
          const current = (await observer.snapshots.read("test"))?.export;
          try {
            expect(current, why).toBeDefined();
            expectComplete(current!, why);
            if (faulted.started === true) {
              const runId = faulted.view?.runId;
              const view = runId === undefined ? undefined : await observed.view(runId);
              const committed = current!.runId === runId;
              expect(committed || current!.runId === previous.runId, `${why}: current is neither the previous nor the new snapshot`).toBe(
                true,
              );
              expect(view?.status, `${why}: final status vs committed=${committed}`).toBe(committed ? "succeeded" : "failed");
            } else {
              expect(current!.runId, `${why}: a refused or failed start committed`).toBe(previous.runId);
            }
            // The next run completes (the scope is not left locked, nothing is left half-way). A
            // start the store failed (a reply slower than the short timeouts on a loaded machine)
            // is tried again; a refusal is not.
            let next = await runOnce(service);
            for (let retry = 0; retry < 2 && next.started === "threw"; retry++) next = await runOnce(service);
            expect(next.started === true && next.view?.status, `${why}: the next run`).toBe("succeeded");
            expect((await observer.snapshots.read("test"))?.export.runId, `${why}: the next run committed`).toBe(
              next.started === true ? next.view?.runId : "?",
            );
          } catch (error) {
            failures.push(error instanceof Error ? error.message.split("\n")[0]! : String(error));
            // Leave a clean scope for the next N.
            await runOnce(service);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
