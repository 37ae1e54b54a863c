import { afterEach, describe, expect, it } from "vitest";

import { discoverSubscription, type SubscriptionResult } from "../../../lib/azure/discover-subscription.js";
import type { ExportResource } from "../../../lib/topology/export-format.js";
import { type ArmEmulator, type InterceptedRequest, type Interception, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { expectedKeys } from "../../support/estate-keys.js";
import { isPath, pagedEstate, pagedGroups, pagedSub, quickReader } from "../../support/paged-estate.js";

const started: ArmEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function emulator(intercept?: (r: InterceptedRequest) => Interception | undefined, latencyMs = 0): Promise<ArmEmulator> {
  const e = await startArmEmulator({ estate: pagedEstate(), pageSize: 2, throttle: "off", latencyMs, ...(intercept && { intercept }) });
  started.push(e);
  return e;
}

const estate = pagedEstate();
const all = estate.subscriptions[0]!.resources;
const sites = all.filter((r) => r.type === "Microsoft.Web/sites");
const marker = (r: ExportResource) => (r.properties as { marker?: string } | undefined)?.marker;
const byName = (out: SubscriptionResult) => new Map(out.resources.map((r) => [r.name, r]));

/** A complete, clean discovery: the previous snapshot of the runs under test. */
async function previousSnapshot(): Promise<ExportResource[]> {
  const out = await discoverSubscription({ reader: quickReader(await emulator()), subscriptionId: pagedSub });
  expect(out.errors).toEqual([]);
  return out.resources;
}

const sitesList = "/providers/Microsoft.Web/sites";
const groupList = (g: string) => `/resourceGroups/${g}/resources`;
const failPage =
  (suffix: string, page: number) =>
  (r: InterceptedRequest): Interception | undefined =>
    isPath(r.path, suffix) && r.page === page ? { fault: "internal-error" } : undefined;

describe("issue 13 case 8: partial reads keep what was read", () => {
  it("a type list that fails on page 2 keeps page 1's full objects and reads only the rest another way", async () => {
    const previous = await previousSnapshot();
    const out = await discoverSubscription({
      reader: quickReader(await emulator(failPage(sitesList, 1))),
      subscriptionId: pagedSub,
      previous,
    });
    const got = byName(out);
    for (const s of sites.slice(0, 2)) expect(got.get(s.name), s.name).toMatchObject({ properties: { marker: s.name } });
    for (const s of sites.slice(0, 2)) expect(got.get(s.name)?.stale, s.name).toBeUndefined();
    expect(out.errors).toEqual([expect.objectContaining({ type: "Microsoft.Web/sites", code: "InternalServerError" })]);
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
  });

  it("one resource group's failure carries forward that group's previous resources, stale, and keeps the others fresh", async () => {
    const previous = await previousSnapshot();
    const out = await discoverSubscription({
      reader: quickReader(await emulator(failPage(groupList("rg-b"), 0))),
      subscriptionId: pagedSub,
      previous,
    });
    expect(out.errors).toEqual([
      expect.objectContaining({ type: "*", code: "InternalServerError", message: expect.stringContaining("rg-b") }),
    ]);
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    for (const r of out.resources) {
      if (r.resourceGroup?.toLowerCase() !== "rg-b") expect(r.stale, r.name).toBeUndefined();
    }
    // rg-b's databases are named only by its generic list: last known versions, marked stale.
    expect(byName(out).get("db-rg-b-0")).toMatchObject({ stale: true, properties: { marker: "db-rg-b-0" } });
  });

  it("when the subscription is declared failed (its providers list fails), the sibling chains are cancelled", async () => {
    const big = pagedEstate(20, 0);
    let genericPages = 0;
    const e = await startArmEmulator({
      estate: big,
      pageSize: 1,
      throttle: "off",
      latencyMs: 3,
      intercept: (r) => {
        if (/\/resources$/i.test(r.path)) genericPages += 1;
        return isPath(r.path, "/providers") ? { fault: "internal-error" } : undefined;
      },
    });
    started.push(e);
    const out = await discoverSubscription({ reader: quickReader(e), subscriptionId: pagedSub });
    expect(out.errors).toEqual([expect.objectContaining({ type: "*", code: "InternalServerError" })]);
    // 3 groups x 21 pages, one page at a time per group, if nobody stops them.
    expect(genericPages).toBeLessThan(30);
    // Requests already on the wire when the chains were cancelled may still land; then silence.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settled = genericPages;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(genericPages).toBe(settled);
  });
});

describe("an ARM fault at every page, persistent beyond retries", () => {
  const pages = Math.ceil(sites.length / 2);

  it.each(Array.from({ length: pages }, (_, k) => k))("type list page %i fails: the other pages are fresh, nothing is lost", async (k) => {
    const previous = await previousSnapshot();
    const out = await discoverSubscription({
      reader: quickReader(await emulator(failPage(sitesList, k))),
      subscriptionId: pagedSub,
      previous,
    });
    const got = byName(out);
    sites.forEach((s, i) => {
      const r = got.get(s.name);
      expect(r, s.name).toBeDefined();
      if (Math.floor(i / 2) !== k) {
        expect(r?.stale, s.name).toBeUndefined();
        expect(r?.properties, s.name).toEqual(s.properties);
      } else if (r?.stale !== true) {
        // Read another way (a GET by id): still the full object.
        expect(marker(r!), s.name).toBe(s.name);
      }
    });
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(out.errors).toEqual([expect.objectContaining({ subscriptionId: pagedSub, type: "Microsoft.Web/sites" })]);
  });

  const groupPages = pagedGroups.flatMap((g) => {
    const n = all.filter((r) => r.id.toLowerCase().includes(`/resourcegroups/${g}/`)).length;
    return Array.from({ length: Math.ceil(n / 2) }, (_, k) => [g, k] as const);
  });

  it.each(groupPages)("generic list of %s, page %i fails: other groups fresh, that group's resources kept", async (g, k) => {
    const previous = await previousSnapshot();
    const out = await discoverSubscription({
      reader: quickReader(await emulator(failPage(groupList(g), k))),
      subscriptionId: pagedSub,
      previous,
    });
    const got = byName(out);
    for (const r of all) {
      const found = got.get(r.name);
      expect(found, r.name).toBeDefined();
      expect(marker(found!), r.name).toBe(r.name === "plan" ? "plan" : r.name);
      if (!r.id.toLowerCase().includes(`/resourcegroups/${g}/`)) expect(found?.stale, r.name).toBeUndefined();
    }
    expect(new Set(out.resources.map((r) => r.key))).toEqual(expectedKeys(estate));
    expect(out.errors).toEqual([expect.objectContaining({ subscriptionId: pagedSub, type: "*", message: expect.stringContaining(g) })]);
  });
});
