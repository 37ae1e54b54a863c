// The discovery-run handlers called as the Functions host calls them (HttpRequest, Timer and queue
// messages with an InvocationContext), over the in-memory store and the ARM emulator; and the
// in-process queue's redelivery and poison behaviour.
import { HttpRequest, InvocationContext, type Timer } from "@azure/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRoutes } from "../../../lib/api/routes.js";
import { createRunFunctions, discoveryQueueOutput, type QueueWorkerDefinition } from "../../../lib/api/runs.js";
import { noCooldown } from "../../../lib/api/start-cooldown.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { MemoryDriver, MemoryKeyspace, Store, type StoreDriver } from "../../../lib/cache/index.js";
import { createLogger, type LogRecord } from "../../../lib/log/index.js";
import type { RunMessage } from "../../../lib/runs/records.js";
import { RunService } from "../../../lib/runs/run-service.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { loadEstateFile } from "../../../tools/estates/schema.js";
import { LocalQueue } from "../../../tools/host/local-queue.js";
import { sampleEstatePath } from "../../../tools/paths.js";

const SUBSCRIPTIONS = ["6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c"];

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  jsonBody?: unknown;
  body?: unknown;
}

const problem = (a: Answer): Record<string, unknown> => JSON.parse(String(a.body)) as Record<string, unknown>;

describe("discovery-run handlers", () => {
  let emulator: ArmEmulator;
  const logs: LogRecord[] = [];
  const log = createLogger({ level: "debug", write: (_l, record) => logs.push(record) });

  beforeAll(async () => {
    emulator = await startArmEmulator({ estate: await loadEstateFile(sampleEstatePath()), throttle: "off" });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const setup = (driver: StoreDriver = new MemoryDriver(new MemoryKeyspace())) => {
    const store = new Store({ driver, log, timeoutMs: 2_000 });
    const service = new RunService({
      store,
      log,
      scope: "test",
      subscriptions: SUBSCRIPTIONS,
      reader: () => emulatorReader(emulator),
      endpoint: emulator.url,
      concurrency: 4,
      lockTtlMs: 60_000,
    });
    return {
      store,
      service,
      fns: createRunFunctions(
        () => service,
        () => "0 30 2 * * *",
        () => noCooldown,
      ),
    };
  };
  /** What handlers logged through their invocation's logger (the host's sink). */
  const invocationLogs: Array<{ level: string; text: string }> = [];
  const context = (functionName: string, triggerMetadata?: Record<string, unknown>) =>
    new InvocationContext({
      functionName,
      invocationId: "inv-1",
      ...(triggerMetadata ? { triggerMetadata } : {}),
      logHandler: (level, ...args) => invocationLogs.push({ level, text: args.map(String).join(" ") }),
    });
  const post = (body?: string) =>
    new HttpRequest({
      method: "POST",
      url: "http://localhost/api/discovery/runs",
      headers: { "x-correlation-id": "corr-7", "x-functions-key": "k" },
      ...(body === undefined ? {} : { body: { string: body } }),
    });
  const get = (runId: string) =>
    new HttpRequest({
      method: "GET",
      url: `http://localhost/api/discovery/runs/${runId}`,
      headers: { "x-functions-key": "k" },
      params: { runId },
    });

  it("POST answers 202 with Location and sets one queue message per subscription; a second POST is 409 naming the run", async () => {
    const { fns } = setup();
    const ctx = context("discoveryRunStart");
    const answer = (await fns.startRun.handler(post(), ctx)) as Answer;
    expect(answer.status).toBe(202);
    const run = answer.jsonBody as { runId: string; status: string };
    expect(answer.headers).toMatchObject({ location: `/api/discovery/runs/${run.runId}`, "x-correlation-id": "corr-7" });
    expect(run.status).toBe("queued");
    expect(ctx.extraOutputs.get(discoveryQueueOutput)).toEqual([
      { v: 1, kind: "subscription", runId: run.runId, subscriptionId: SUBSCRIPTIONS[0] },
    ]);

    const again = context("discoveryRunStart");
    const refused = (await fns.startRun.handler(post("{}"), again)) as Answer;
    expect(refused.status).toBe(409);
    expect(refused.headers?.["content-type"]).toBe("application/problem+json");
    expect(problem(refused)).toMatchObject({ status: 409, runId: run.runId, location: `/api/discovery/runs/${run.runId}` });
    expect(again.extraOutputs.get(discoveryQueueOutput)).toBeUndefined();
  });

  it("a POST body must be empty or an empty JSON object; anything else is a 400 naming the body, and starts nothing", async () => {
    const { fns, store, service } = setup();
    for (const [body, field] of [
      ["not json", "body"],
      ["[1]", "body"],
      ['{"subscriptions":["x"]}', "body"],
      ["null", "body"],
    ] as const) {
      const ctx = context("discoveryRunStart");
      const answer = (await fns.startRun.handler(post(body), ctx)) as Answer;
      expect(answer.status, body).toBe(400);
      expect(problem(answer).field, body).toBe(field);
      expect(ctx.extraOutputs.get(discoveryQueueOutput)).toBeUndefined();
    }
    expect(await store.locks.holder(service.lockName)).toBeNull();
  });

  it("GET of a run: 400 for what is not a run id, 404 for an unknown one, 200 with status once started; latest 404 before any run", async () => {
    const { fns } = setup();
    expect(
      (
        (await fns.latestRun.handler(
          new HttpRequest({ method: "GET", url: "http://localhost/api/discovery/runs/latest", headers: { "x-functions-key": "k" } }),
          context("discoveryRunLatest"),
        )) as Answer
      ).status,
    ).toBe(404);
    const bad = (await fns.run.handler(get("../../etc"), context("discoveryRun"))) as Answer;
    expect(bad.status).toBe(400);
    expect(problem(bad).field).toBe("path.runId");
    expect(((await fns.run.handler(get("0b8a44a1-3a1f-4c0e-9f55-3c3c9a1f0c11"), context("discoveryRun"))) as Answer).status).toBe(404);
    const started = ((await fns.startRun.handler(post(), context("discoveryRunStart"))) as Answer).jsonBody as { runId: string };
    const found = (await fns.run.handler(get(started.runId.toUpperCase()), context("discoveryRun"))) as Answer;
    expect(found.status).toBe(200);
    expect(found.jsonBody).toMatchObject({ runId: started.runId, status: "queued", progress: { subscriptions: { total: 1, queued: 1 } } });
    expect(
      (
        (await fns.latestRun.handler(
          new HttpRequest({ method: "GET", url: "http://localhost/api/discovery/runs/latest", headers: { "x-functions-key": "k" } }),
          context("discoveryRunLatest"),
        )) as Answer
      ).jsonBody,
    ).toMatchObject({ runId: started.runId });
  });

  it("answers 503 problem+json when the store cannot take the lock, and sets no message", async () => {
    const down: StoreDriver = new Proxy(new MemoryDriver(new MemoryKeyspace()), {
      get: (target, prop, receiver) =>
        prop === "name"
          ? "memory"
          : typeof Reflect.get(target, prop, receiver) === "function"
            ? () => Promise.reject(new Error("ECONNREFUSED"))
            : Reflect.get(target, prop, receiver),
    });
    const { fns } = setup(down);
    const ctx = context("discoveryRunStart");
    const answer = (await fns.startRun.handler(post(), ctx)) as Answer;
    expect(answer.status).toBe(503);
    expect(problem(answer)).toMatchObject({ status: 503, dependency: "store" });
    expect(String(answer.body)).not.toContain("ECONNREFUSED");
    expect(ctx.extraOutputs.get(discoveryQueueOutput)).toBeUndefined();
    expect(((await fns.run.handler(get("0b8a44a1-3a1f-4c0e-9f55-3c3c9a1f0c11"), context("discoveryRun"))) as Answer).status).toBe(503);
  });

  it("the worker runs a message with the host's dequeue count, drops what is not a run message, and the run commits", async () => {
    const { fns, store } = setup();
    const ctx = context("discoveryRunStart");
    const run = ((await fns.startRun.handler(post(), ctx)) as Answer).jsonBody as { runId: string };
    const [message] = ctx.extraOutputs.get(discoveryQueueOutput) as RunMessage[];
    invocationLogs.length = 0;
    for (const junk of ["hello", { v: 2, kind: "plan", runId: "x" }, { kind: "subscription", runId: run.runId }, 42]) {
      await expect(fns.worker.handler(junk, context("discoveryWorker", { dequeueCount: 1 }))).resolves.toBeUndefined();
    }
    expect(invocationLogs.filter((l) => l.level === "error" && l.text.includes("not a run message"))).toHaveLength(4);
    // The host hands JSON text when the message is not parsed for it; both work.
    await fns.worker.handler(JSON.stringify(message), context("discoveryWorker", { dequeueCount: 3 }));
    const view = (await store.snapshots.read("test"))?.export;
    expect(view?.runId).toBe(run.runId);
    const answer = (await fns.run.handler(get(run.runId), context("discoveryRun"))) as Answer;
    expect(answer.jsonBody).toMatchObject({
      status: "succeeded",
      subscriptions: [{ subscriptionId: SUBSCRIPTIONS[0], status: "done", attempts: 3 }],
    });
  });

  it("the timer starts a run (logging a past-due tick) and skips while one is running", async () => {
    const { fns } = setup();
    expect(fns.timer).toMatchObject({ schedule: "0 30 2 * * *", useMonitor: true, extraOutputs: [discoveryQueueOutput] });
    const timer = (isPastDue: boolean): Timer => ({
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: "", next: "", lastUpdated: "" },
    });
    invocationLogs.length = 0;
    const first = context("discoveryTimer");
    await fns.timer.handler(timer(true), first);
    expect((first.extraOutputs.get(discoveryQueueOutput) as RunMessage[]).map((m) => m.kind)).toEqual(["subscription"]);
    expect(invocationLogs.some((l) => l.level === "warning" && l.text.includes("past due"))).toBe(true);
    const second = context("discoveryTimer");
    await fns.timer.handler(timer(false), second);
    expect(second.extraOutputs.get(discoveryQueueOutput)).toBeUndefined();
    expect(invocationLogs.some((l) => l.text.includes("skipped"))).toBe(true);
  });
});

describe("health with discovery runs", () => {
  it("reports the latest run; a run whose lock expired makes health degraded, naming why", async () => {
    const log = createLogger({ level: "error", write: () => undefined });
    const store = new Store({ driver: new MemoryDriver(new MemoryKeyspace()), log });
    const service = new RunService({
      store,
      log,
      scope: "test",
      subscriptions: SUBSCRIPTIONS,
      reader: () => {
        throw new Error("no ARM in this test");
      },
      endpoint: "https://127.0.0.1:1",
      concurrency: 1,
      lockTtlMs: 30,
    });
    const routes = createRoutes(() => ({ store, scope: () => "test", lastRun: () => service.latestSummary() }));
    const health = async () =>
      (
        (await routes.healthDetails.handler(
          new HttpRequest({ method: "GET", url: "http://localhost/api/health/details", headers: { "x-functions-key": "k" } }),
          new InvocationContext({ logHandler: () => undefined }),
        )) as Answer
      ).jsonBody as { status: string; reasons: string[]; lastRun: { runId: string; status: string } | null };
    expect((await health()).lastRun).toBeNull();
    const started = await service.start("http");
    if (!started.started) throw new Error("expected a run");
    expect((await health()).lastRun).toMatchObject({ runId: started.run.runId, status: "queued" });
    await new Promise((r) => setTimeout(r, 60));
    const after = await health();
    expect(after.status).toBe("degraded");
    expect(after.lastRun).toMatchObject({ runId: started.run.runId, status: "failed" });
    expect(after.reasons.join(" ")).toContain("the last discovery run failed (abandoned");
  });
});

describe("LocalQueue", () => {
  const log = createLogger({ level: "error", write: () => undefined });
  const worker = (handler: QueueWorkerDefinition["handler"]): QueueWorkerDefinition => ({
    name: "w",
    queueName: "discovery-runs",
    connection: "AzureWebJobsStorage",
    extraOutputs: [discoveryQueueOutput],
    handler,
  });

  it("redelivers a failing message with a growing dequeue count, then hands it to the poison handler once", async () => {
    const counts: number[] = [];
    const poisoned: unknown[] = [];
    const queue = new LocalQueue({
      worker: worker(async (_m, ctx) => {
        counts.push(Number(ctx.triggerMetadata?.dequeueCount));
        throw new Error("boom");
      }),
      poison: { ...worker(async (m) => void poisoned.push(m)), name: "p", queueName: "discovery-runs-poison" },
      log,
      maxDequeueCount: 4,
      retryDelayMs: 1,
    });
    queue.send([{ v: 1, kind: "plan", runId: "r" }]);
    await queue.idle();
    expect(counts).toEqual([1, 2, 3, 4]);
    expect(poisoned).toEqual([{ v: 1, kind: "plan", runId: "r" }]);
  });

  it("delivers what a handler sets on its queue output, and ignores other outputs", async () => {
    const seen: unknown[] = [];
    const queue = new LocalQueue({
      worker: worker(async (m, ctx) => {
        seen.push(m);
        if ((m as { n: number }).n < 3) ctx.extraOutputs.set(discoveryQueueOutput, [{ n: (m as { n: number }).n + 1 }, { n: 10 }]);
      }),
      poison: worker(async () => undefined),
      log,
    });
    queue.accept({ type: "http", name: "other" }, [{ n: 99 }]);
    queue.accept(discoveryQueueOutput, { n: 1 });
    await queue.idle();
    expect((seen as Array<{ n: number }>).map((m) => m.n).sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 10]);
  });
});
