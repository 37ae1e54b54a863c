import { spawn } from "node:child_process";
import { once } from "node:events";
import { Agent } from "node:https";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import type { ArmReader } from "../../../lib/azure/arm-reader.js";
import { emulatorCredential } from "../../../lib/azure/credentials.js";
import { createStore, type Store } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger, type Logger } from "../../../lib/log/index.js";
import { createRunService } from "../../../lib/runs/compose.js";
import { scopeKey } from "../../../lib/runs/scope.js";
import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { parseSubscriptionId, type SubscriptionId } from "../../../lib/topology/subscription-id.js";
import { type ArmEmulator, routeTemplates, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { loadEstateFile } from "../../../tools/estates/schema.js";
import { runInProcess } from "../../../tools/host/run-in-process.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const sampleFile = `${root}tools/estates/sample.json`;
const log = createLogger({ level: "error", write: () => undefined });

/**
 * What `discoverAndCommit` was (one run, committed): now one run through the run service with
 * its queue in process, as `topdeck discover` runs it.
 */
async function discoverAndCommit(options: {
  store: Store;
  log: Logger;
  endpoint: string;
  reader: ArmReader;
  subscriptions?: SubscriptionId[];
}): Promise<{ export: TopologyExport; scope: string; committed: boolean }> {
  const service = createRunService(loadConfig({}), {
    store: options.store,
    log: options.log,
    endpoint: options.endpoint,
    reader: () => options.reader,
    ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
  });
  const run = await runInProcess(service, { trigger: "cli", log: options.log, retryDelayMs: 1 });
  if (!run.started || run.export === undefined) throw new Error(`the run did not commit: ${JSON.stringify(run)}`);
  return { export: run.export, scope: service.scope, committed: true };
}

describe("one run through the run service, over the Upstash store", () => {
  let stack: UpstashStack;
  let store: Store;
  let emulator: ArmEmulator | undefined;
  const env = () => ({ UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token });

  beforeAll(async () => {
    stack = await startUpstashStack();
    store = createStore(loadConfig(env()), log);
  });
  afterAll(async () => {
    await emulator?.close();
    await stack?.stop();
  });

  const readerFor = (em: ArmEmulator, calls = createArmCalls({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 })) =>
    new ArmHttpReader({ credential: emulatorCredential, endpoint: em.url, agent: new Agent({ ca: em.ca }), run: calls.run });

  it("commits each run, caches api-versions, and carries forward what a failing run cannot read", async () => {
    const estate = await loadEstateFile(sampleFile);
    emulator = await startArmEmulator({ estate, throttle: "off" });
    const first = await discoverAndCommit({ store, log, endpoint: emulator.url, reader: readerFor(emulator) });
    expect(first.committed).toBe(true);
    expect(first.scope).toBe("tenant");
    expect((await store.snapshots.read("tenant"))?.export.runId).toBe(first.export.runId);
    const providersRoute = routeTemplates.providers;
    const providerCalls = emulator.requestLog().byRoute[providersRoute]?.["200"] ?? 0;
    expect(providerCalls).toBe(2);

    // Same endpoint, new run: api-versions come from the store, not from ARM.
    emulator.resetLog();
    const second = await discoverAndCommit({ store, log, endpoint: emulator.url, reader: readerFor(emulator) });
    expect(emulator.requestLog().byRoute[providersRoute]).toBeUndefined();
    expect(second.export.resources.map((r) => r.key)).toEqual(first.export.resources.map((r) => r.key));
    await emulator.close();

    // Every request now fails: both subscriptions are carried forward, stale, and that is committed.
    emulator = await startArmEmulator({ estate, throttle: "off", faultRate: 1, faults: ["internal-error"] });
    const failing = await discoverAndCommit({
      store,
      log,
      endpoint: emulator.url,
      reader: readerFor(
        emulator,
        createArmCalls({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, breaker: { consecutiveFailures: 1000 } }),
      ),
    });
    // The subscription list failed too: the previous snapshot's subscriptions were tried instead.
    expect(failing.export.errors.map((e) => [e.subscriptionId, e.type])).toEqual([
      ["*", "Microsoft.Resources/subscriptions"],
      ...first.export.scope.subscriptions.map((s) => [s, "*"]),
    ]);
    expect(failing.export.resources.map((r) => r.key)).toEqual(first.export.resources.map((r) => r.key));
    expect(failing.export.resources.every((r) => r.stale === true)).toBe(true);
    expect((await store.snapshots.read("tenant"))?.export.runId).toBe(failing.export.runId);
  });

  it("a run killed half way leaves the previous snapshot current", async () => {
    const subscription = parseSubscriptionId("6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c");
    const scope = scopeKey([subscription]);
    const estate = await loadEstateFile(sampleFile);
    const local = await startArmEmulator({ estate, throttle: "off" });
    const before = await discoverAndCommit({ store, log, endpoint: local.url, reader: readerFor(local), subscriptions: [subscription] });
    await local.close();
    expect(before.committed).toBe(true);

    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const child = spawn(
      process.execPath,
      [tsx, "tools/cli.ts", "discover", "--estate", sampleFile, "--subscription", subscription, "--latency-ms", "150"],
      { cwd: root, env: { ...process.env, ...env() }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    // Kill it once the first type is done, long before the commit.
    while (!/types [1-9]\d*\//.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`discover ended early: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stderr).not.toContain("snapshot committed");
    child.kill("SIGKILL");
    await once(child, "exit");
    expect((await store.snapshots.read(scope))?.export.runId).toBe(before.export.runId);
  });
});
