import { Agent } from "node:https";

import { afterEach, describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import type { CallRunner } from "../../../lib/azure/arm-http.js";
import { ArmHttpReader, DEFAULT_MAX_PAGES } from "../../../lib/azure/arm-http.js";
import { runDiscovery } from "../../../lib/azure/discover.js";
import { discoverSubscription } from "../../../lib/azure/discover-subscription.js";
import { DiscoveryAbortedError, isDiscoveryAbortedError } from "../../../lib/azure/index.js";
import { emulatorReader } from "../../../lib/azure/readers.js";
import { loadConfig } from "../../../lib/config/index.js";
import { LocalRateLimiter, OutboundPolicy } from "../../../lib/resilience/index.js";
import { type ArmEmulator, type ArmEmulatorOptions, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { emulatorCredential } from "../../support/arm.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { isPath, pagedEstate, pagedSub, quickReader } from "../../support/paged-estate.js";

const started: ArmEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});
async function emulator(options: Partial<ArmEmulatorOptions> = {}): Promise<ArmEmulator> {
  const e = await startArmEmulator({ estate: pagedEstate(), pageSize: 2, throttle: "off", ...options });
  started.push(e);
  return e;
}

const estate = pagedEstate();
const sites = estate.subscriptions[0]!.resources.filter((r) => r.type === "Microsoft.Web/sites");
const sitesList = "/providers/Microsoft.Web/sites";

describe("issue 13 case 11: paging guards", () => {
  it("a repeated nextLink ends the type with a PagingLoop error and keeps the pages read", async () => {
    let loops = 0;
    const e = await emulator({
      intercept: (r) => {
        if (!isPath(r.path, sitesList) || r.page !== 1) return undefined;
        // Page 2 links to itself. Bounded, so a reader without the guard fails instead of hanging.
        if (++loops > 20) return { fault: "internal-error" };
        return { respond: (normal) => ({ ...normal, body: { ...(normal.body as object), nextLink: r.url.toString() } }) };
      },
    });
    const out = await discoverSubscription({ reader: quickReader(e), subscriptionId: pagedSub });
    expect(out.errors).toEqual([expect.objectContaining({ type: "Microsoft.Web/sites", code: "PagingLoop" })]);
    // Page 2 was read once; the reader saw its link to itself and stopped.
    expect(loops).toBe(1);
    const got = new Map(out.resources.map((r) => [r.name, r]));
    for (const s of sites.slice(0, 4)) expect(got.get(s.name), s.name).toMatchObject({ properties: s.properties });
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
  });

  it("a chain longer than the page cap ends with PageCapReached and keeps the pages read", async () => {
    const e = await emulator();
    const out = await discoverSubscription({ reader: quickReader(e, {}, { maxPages: 2 }), subscriptionId: pagedSub });
    expect(out.errors.find((x) => x.type === "Microsoft.Web/sites")).toMatchObject({ code: "PageCapReached" });
    const got = new Map(out.resources.map((r) => [r.name, r]));
    for (const s of sites.slice(0, 4)) expect(got.get(s.name)?.stale, s.name).toBeUndefined();
  });
});

describe("the page cap as a setting", () => {
  it("DISCOVERY_MAX_PAGES defaults to 1000 and reaches the emulator reader as maxPages", async () => {
    expect(loadConfig({}).DISCOVERY_MAX_PAGES).toBe(DEFAULT_MAX_PAGES);
    expect(loadConfig({ DISCOVERY_MAX_PAGES: "1" }).DISCOVERY_MAX_PAGES).toBe(1);
    const e = await emulator();
    const reader = emulatorReader(e, { maxPages: loadConfig({ DISCOVERY_MAX_PAGES: "1" }).DISCOVERY_MAX_PAGES });
    await expect(reader.listResourceGroups(pagedSub)).rejects.toMatchObject({ armCode: "PageCapReached" });
    expect(await emulatorReader(e).listResourceGroups(pagedSub)).toEqual(["rg-a", "rg-b", "rg-c"]);
  });
});

describe("issue 13 case 11: x-ms-ratelimit-remaining-subscription-global-reads", () => {
  it("lowers the local token bucket as the regional remaining-reads header does", async () => {
    const e = await emulator({
      throttle: { burst: 250, refillPerSecond: 25 },
      intercept: (r) =>
        r.path.toLowerCase().startsWith(`/subscriptions/${pagedSub}`)
          ? { headers: { "x-ms-ratelimit-remaining-subscription-global-reads": "7" } }
          : undefined,
    });
    const limiter = new LocalRateLimiter({ burst: 250, refillPerSecond: 25 });
    const observed: number[] = [];
    const observeRemaining = limiter.observeRemaining.bind(limiter);
    limiter.observeRemaining = (n: number) => {
      observed.push(n);
      observeRemaining(n);
    };
    const policy = new OutboundPolicy({ limiter, retry: { maxAttempts: 1 } });
    const run: CallRunner = (ctx, attempt) => policy.execute((a) => attempt(a.signal, (h) => a.observeHeaders(h)), { key: ctx.namespace });
    const reader = new ArmHttpReader({ credential: emulatorCredential, endpoint: e.url, agent: new Agent({ ca: e.ca }), run });
    // Two pages of groups; the regional header says ~248 each time, the global one 7.
    await reader.listResourceGroups(pagedSub);
    expect(observed).toEqual([7, 7]);
  });
});

describe("issue 13 case 11: an AbortSignal runs through the reader", () => {
  it("discoverSubscription: once aborted, rejects with DiscoveryAbortedError and sends nothing more", async () => {
    const ctrl = new AbortController();
    let arrivals = 0;
    const e = await startArmEmulator({
      estate: pagedEstate(20, 3),
      pageSize: 1,
      throttle: "off",
      latencyMs: 2,
      intercept: () => {
        if (++arrivals === 15) ctrl.abort(new Error("lease lost"));
        return undefined;
      },
    });
    started.push(e);
    // Counts requests about to be sent once the signal has aborted: there must be none.
    const calls = createArmCalls({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
    let sentAfterAbort = 0;
    const run: CallRunner = (ctx, attempt) =>
      calls.run(ctx, (signal, observe) => {
        if (ctrl.signal.aborted) sentAfterAbort += 1;
        return attempt(signal, observe);
      });
    const reader = new ArmHttpReader({
      credential: emulatorCredential,
      endpoint: e.url,
      agent: new Agent({ ca: e.ca, keepAlive: true }),
      run,
    });
    const error = await discoverSubscription({ reader, subscriptionId: pagedSub, signal: ctrl.signal }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(error).toBeInstanceOf(DiscoveryAbortedError);
    expect(isDiscoveryAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ name: "DiscoveryAbortedError", code: "DiscoveryAborted", cause: { message: "lease lost" } });
    expect(sentAfterAbort).toBe(0);
    // Requests already on the wire when the signal aborted may still land; after that, silence.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settled = arrivals;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(arrivals).toBe(settled);
  });

  it("runDiscovery: aborted mid-run over two subscriptions, rejects once every read has stopped", async () => {
    const ctrl = new AbortController();
    let arrivals = 0;
    const two = pagedEstate(10, 2);
    const other = structuredClone(two.subscriptions[0]!);
    other.subscriptionId = "44444444-4444-4444-4444-444444444444";
    for (const r of other.resources) r.id = r.id.replace(pagedSub, other.subscriptionId);
    two.subscriptions.push(other);
    const e = await startArmEmulator({
      estate: two,
      pageSize: 1,
      throttle: "off",
      latencyMs: 2,
      intercept: () => {
        if (++arrivals === 25) ctrl.abort(new Error("lease lost"));
        return undefined;
      },
    });
    started.push(e);
    const error = await runDiscovery({ reader: quickReader(e), signal: ctrl.signal }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isDiscoveryAbortedError(error)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settled = arrivals;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(arrivals).toBe(settled);
  });

  it("runDiscovery passes the signal on; an already aborted signal sends nothing", async () => {
    const e = await emulator();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(runDiscovery({ reader: quickReader(e), signal: ctrl.signal })).rejects.toSatisfy(isDiscoveryAbortedError);
    expect(e.requestLog().total).toBe(0);
  });

  it("the guard recognises a copy from another package by its code", () => {
    expect(isDiscoveryAbortedError(Object.assign(new Error("x"), { code: "DiscoveryAborted" }))).toBe(true);
    expect(isDiscoveryAbortedError(new Error("x"))).toBe(false);
  });
});
