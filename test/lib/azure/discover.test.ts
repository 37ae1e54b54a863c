import { Agent } from "node:https";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import { runDiscovery } from "../../../lib/azure/discover.js";
import { exportSchema } from "../../../lib/topology/export-format.js";
import { type ArmEmulator, faultKinds, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { generateEstate } from "../../../tools/estates/generate.js";
import { emulatorCredential } from "../../support/arm.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { devSub, ids, prodSub, smallEstate } from "../../tools/arm-emulator/estate-fixture.js";

describe("runDiscovery against the emulator (plain calls)", () => {
  let emulator: ArmEmulator;
  const estate = smallEstate();

  beforeAll(async () => {
    emulator = await startArmEmulator({ estate, pageSize: 2, throttle: "off" });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const reader = () =>
    new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent: new Agent({ ca: emulator.ca, keepAlive: true }) });

  it("finds exactly the estate, across subscriptions and pages, as a valid export", async () => {
    const out = await runDiscovery({ reader: reader() });
    expect(exportSchema.safeParse(out).success).toBe(true);
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(out.scope.subscriptions.sort()).toEqual([prodSub, devSub].sort());
    expect(out.errors).toEqual([]);
    expect(out.stats.resources).toBe(out.resources.length);
    expect(out.stats.requests).toBe(emulator.requestLog().total);
    // Full objects, not envelopes: the site's properties came from its provider list.
    const site = out.resources.find((r) => r.key === ids.site.toLowerCase());
    expect(site?.properties).toMatchObject({ serverFarmId: expect.any(String) });
  });

  it("infers edges across the discovered set", async () => {
    const out = await runDiscovery({ reader: reader(), subscriptions: [prodSub] });
    const has = (from: string, to: string) => out.edges.some((e) => e.from === from.toLowerCase() && e.to === to.toLowerCase());
    expect(has(ids.site, ids.plan)).toBe(true);
    expect(has(ids.site, ids.identity)).toBe(true);
    expect(has(ids.dbOrders, ids.sqlServer)).toBe(true);
    expect(has(ids.subnetApp, ids.vnet)).toBe(true);
  });

  it("limits itself to the resource groups asked for", async () => {
    const out = await runDiscovery({ reader: reader(), subscriptions: [prodSub], filter: { resourceGroups: ["RG-WEB"] } });
    expect(out.resources.length).toBeGreaterThan(0);
    expect(out.resources.every((r) => r.resourceGroup?.toLowerCase() === "rg-web")).toBe(true);
  });
});

describe("runDiscovery under throttling and faults (resilience composition)", () => {
  let emulator: ArmEmulator | undefined;
  afterAll(async () => {
    await emulator?.close();
  });

  const fastCalls = () => createArmCalls({ maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 400, maxTotalMs: 20_000 });

  it("loses nothing with 10% of requests faulted (500, 503, 429, resets, stalls, malformed pages)", async () => {
    const estate = smallEstate();
    emulator = await startArmEmulator({ estate, pageSize: 2, faultRate: 0.1, seed: 7, throttle: { burst: 250, refillPerSecond: 25 } });
    const calls = fastCalls();
    const reader = new ArmHttpReader({
      credential: emulatorCredential,
      endpoint: emulator.url,
      agent: new Agent({ ca: emulator.ca, keepAlive: true }),
      run: calls.run,
    });
    const out = await runDiscovery({ reader });
    const log = emulator.requestLog();
    expect(Object.values(log.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(out.errors).toEqual([]);
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(out.resources.some((r) => r.stale)).toBe(false);
    expect(out.stats.retries).toBeGreaterThan(0);
    expect(out.stats.requests).toBe(log.total);
    await emulator.close();
    emulator = undefined;
  });

  it.each(faultKinds)("recovers from %s faults on 30 percent of requests", async (kind) => {
    const estate = smallEstate();
    const local = await startArmEmulator({ estate, pageSize: 3, faultRate: 0.3, seed: 5, faults: [kind], throttle: "off" });
    try {
      const calls = fastCalls();
      const reader = new ArmHttpReader({
        credential: emulatorCredential,
        endpoint: local.url,
        agent: new Agent({ ca: local.ca, keepAlive: true }),
        run: calls.run,
      });
      const out = await runDiscovery({ reader });
      expect(local.requestLog().faults[kind]).toBeGreaterThan(0);
      expect(out.errors).toEqual([]);
      expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    } finally {
      await local.close();
    }
  });

  it("carries the previous snapshot forward, marked stale, when a subscription cannot be read", async () => {
    const estate = smallEstate();
    emulator = await startArmEmulator({ estate, throttle: "off" });
    const agent = new Agent({ ca: emulator.ca, keepAlive: true });
    const good = await runDiscovery({
      reader: new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent }),
      subscriptions: [prodSub, devSub],
    });
    await emulator.close();

    emulator = await startArmEmulator({ estate, throttle: "off", faultRate: 1, faults: ["internal-error"] });
    const calls = createArmCalls({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, breaker: { consecutiveFailures: 1000 } });
    const out = await runDiscovery({
      reader: new ArmHttpReader({
        credential: emulatorCredential,
        endpoint: emulator.url,
        agent: new Agent({ ca: emulator.ca }),
        run: calls.run,
      }),
      subscriptions: [prodSub, devSub],
      previous: good,
    });
    expect(out.errors.map((e) => [e.subscriptionId, e.type, e.attempts]).sort()).toEqual([
      [prodSub, "*", 3],
      [devSub, "*", 3],
    ]);
    expect(out.resources.map((r) => r.key)).toEqual(good.resources.map((r) => r.key));
    expect(out.resources.every((r) => r.stale === true)).toBe(true);
    expect(out.edges).toEqual(good.edges);
  });
});

describe("runDiscovery on a generated 5,000-resource estate", () => {
  let emulator: ArmEmulator | undefined;
  afterAll(async () => {
    await emulator?.close();
  });

  it("finds exactly the estate under 250/25 throttling and 10% faults", async () => {
    const estate = generateEstate({ resources: 5_000, types: 40, subscriptions: 2, seed: 11 });
    emulator = await startArmEmulator({ estate, faultRate: 0.1, seed: 3, throttle: { burst: 250, refillPerSecond: 25 } });
    const calls = createArmCalls({ maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 1_000, maxTotalMs: 60_000 });
    const reader = new ArmHttpReader({
      credential: emulatorCredential,
      endpoint: emulator.url,
      agent: new Agent({ ca: emulator.ca, keepAlive: true }),
      run: calls.run,
    });
    const out = await runDiscovery({ reader, concurrency: 8 });
    expect(out.errors).toEqual([]);
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(out.resources).toHaveLength(expectedKeys(estate).size);
    expect(out.stats.retries).toBeGreaterThan(0);
    expect(out.edges.length).toBeGreaterThan(1_000);
  });
});
