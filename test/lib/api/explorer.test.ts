// The explorer's routes without a browser: who may open the page, its headers, the assets, and
// the two bounded queries it adds (summary counts, a capped neighbourhood).
import { describe, expect, it } from "vitest";

import { APP_ROLES } from "../../../lib/api/auth.js";
import { EXPLORER_CSP } from "../../../lib/api/explorer/assets.js";
import { explorerUrl } from "../../../lib/api/explorer/routes.js";
import { call, commitSample, integrationSubnet, principalHeader, routesOver, testStore } from "./fixtures.js";

describe("the explorer routes", () => {
  const store = testStore();
  const routes = routesOver(store);

  it("opens the page for the reader and operator roles, with the CSP and nosniff", async () => {
    for (const role of [APP_ROLES.reader, APP_ROLES.operator]) {
      const page = await call(routes, "explorer", {}, principalHeader([role]));
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("content-security-policy")).toBe(EXPLORER_CSP);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.text).toContain('src="/api/explorer/assets/app.js"');
    }
    const script = await call(routes, "explorerAsset", {}, principalHeader([APP_ROLES.reader]));
    expect(script.status).toBe(404); // the template's {name} is no asset
  }, 30_000);

  it("refuses a principal without a role (403), nobody (401) and a bare function key (401: the host has not checked it)", async () => {
    expect((await call(routes, "explorer", {}, principalHeader([]))).status).toBe(403);
    expect((await call(routes, "explorer", {}, {})).status).toBe(401);
    const keyed = await call(routes, "explorer", {});
    expect(keyed.status).toBe(401);
    expect(keyed.headers.get("content-type")).toBe("application/problem+json");
  });

  it("tells the page who is calling: a reader may not start runs, an operator may, serve's local caller may", async () => {
    const reader = await call(routes, "explorerMe", {}, principalHeader([APP_ROLES.reader, "Other.Role"]));
    expect(reader.status).toBe(200);
    expect(reader.json()).toEqual({ kind: "principal", roles: [APP_ROLES.reader], canStartRuns: false });
    expect((await call(routes, "explorerMe", {}, principalHeader([APP_ROLES.operator]))).json()).toEqual({
      kind: "principal",
      roles: [APP_ROLES.operator],
      canStartRuns: true,
    });
    expect((await call(routes, "explorerMe", {}, principalHeader([]))).status).toBe(403);
    expect((await call(routes, "explorerMe", {}, {})).status).toBe(401);
    // A function key (checked by the host in `keys` mode) is automation, which may start runs.
    expect((await call(routes, "explorerMe", {})).json()).toEqual({ kind: "key", roles: [], canStartRuns: true });
  });

  it("states the CSP without inline script or style", () => {
    expect(EXPLORER_CSP).toContain("default-src 'self'");
    expect(EXPLORER_CSP).toContain("script-src 'self'");
    expect(EXPLORER_CSP).toContain("style-src 'self'");
    expect(EXPLORER_CSP).toContain("frame-ancestors 'none'");
    expect(EXPLORER_CSP).not.toMatch(/unsafe|https?:/);
  });

  it("summarises the estate in bounded count lists, and caps a neighbourhood with a 'more' count", async () => {
    const exp = await commitSample(store);
    const summary = (await call(routes, "explorerSummary")).json() as {
      resources: number;
      types: { rows: { count: number }[]; distinct: number };
      locations: { rows: { name: string }[] };
    };
    expect(summary.resources).toBe(exp.resources.length);
    expect(summary.types.rows.reduce((n, r) => n + r.count, 0)).toBe(exp.resources.length);
    expect(summary.locations.rows.map((r) => r.name)).not.toContain("west europe");
    const hubs = (summary as unknown as { mostDependedOn: { dependents: number }[] }).mostDependedOn;
    expect(hubs.length).toBeGreaterThan(0);
    expect(hubs.map((h) => h.dependents)).toEqual([...hubs.map((h) => h.dependents)].sort((a, b) => b - a));
    const id = integrationSubnet(exp);
    const full = (await call(routes, "explorerNeighbourhood", { id, depth: "2" })).json() as {
      nodes: { key: string; level: number; more: number }[];
      edges: { from: string; to: string; via: string }[];
      truncated: boolean;
    };
    expect(full.nodes.find((n) => n.key === id)?.level).toBe(0);
    const keys = new Set(full.nodes.map((n) => n.key));
    for (const e of full.edges) expect(keys.has(e.from) && keys.has(e.to) && e.via !== "").toBe(true);
    const capped = (await call(routes, "explorerNeighbourhood", { id, depth: "2", limit: "3" })).json() as typeof full;
    expect(capped.nodes).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    expect(capped.nodes.reduce((n, x) => n + x.more, 0)).toBeGreaterThan(0);
    expect((await call(routes, "explorerNeighbourhood", { id, limit: "5000" })).status).toBe(400);
    expect((await call(routes, "explorerNeighbourhood", { id: "/subscriptions/x/nope" })).status).toBe(404);
  });

  it("draws a resource group by type with counts, expands a type into its members, and names the groups at the far end", async () => {
    const exp = await commitSample(store);
    const groupOf = (key: string): string =>
      key
        .split("/")
        .slice(2, 5)
        .filter((_s, i) => i !== 1)
        .join("/");
    const sizes = new Map<string, number>();
    for (const r of exp.resources) if (r.resourceGroup) sizes.set(groupOf(r.key), (sizes.get(groupOf(r.key)) ?? 0) + 1);
    const [group, size] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
    const [subscriptionId, resourceGroup] = group.split("/") as [string, string];
    type View = {
      group: { resources: number };
      types: { type: string; count: number }[];
      nodes: { id: string; kind: string; type: string; count: number }[];
      edges: { from: string; to: string; relations: string[]; count: number }[];
      edgesLeftOut: number;
    };
    const view = (await call(routes, "explorerGroup", { subscriptionId, resourceGroup: resourceGroup.toUpperCase() })).json() as View;
    expect(view.group.resources).toBe(size);
    const typeNodes = view.nodes.filter((n) => n.kind === "type");
    expect(typeNodes.reduce((n, t) => n + t.count, 0)).toBe(size);
    expect(typeNodes.map((t) => t.type).sort()).toEqual(view.types.map((t) => t.type).sort());
    const ids = new Set(view.nodes.map((n) => n.id));
    for (const e of view.edges)
      expect(ids.has(e.from) && ids.has(e.to) && e.from !== e.to && e.count > 0 && e.relations.length > 0).toBe(true);
    // Every edge with one end in the group is in a bundle, unless both ends fall in one type's node.
    const inGroup = (key: string): boolean => groupOf(key) === group && exp.resources.some((r) => r.key === key);
    const touching = exp.edges.filter((e) => inGroup(e.from) || inGroup(e.to));
    const typeOf = new Map(exp.resources.map((r) => [r.key, r.type.toLowerCase()]));
    const withinOneType = touching.filter((e) => inGroup(e.from) && inGroup(e.to) && typeOf.get(e.from) === typeOf.get(e.to)).length;
    expect(view.edgesLeftOut).toBe(0);
    // ... or counted on the "others" node (the rest of the estate, not drawn).
    const others = view.nodes.find((n) => n.kind === "others")?.count ?? 0;
    expect(view.edges.reduce((n, e) => n + e.count, 0) + others).toBe(touching.length - withinOneType);
    for (const e of view.edges) expect([e.from, e.to]).not.toContain("others");
    expect(view.nodes.some((n) => n.kind === "group" || n.kind === "others")).toBe(true);
    // Expanding the largest type draws its members one by one; the node keeps what is left.
    const largest = view.types[0]!;
    const expanded = (await call(routes, "explorerGroup", { subscriptionId, resourceGroup, expand: largest.type })).json() as View;
    const members = expanded.nodes.filter((n) => n.kind === "resource");
    expect(members.length).toBe(Math.min(40, largest.count));
    for (const m of members) expect(m.type).toBe(largest.type);
    expect(expanded.nodes.find((n) => n.id === `type:${largest.type}`)?.count ?? 0).toBe(largest.count - members.length);
    expect((await call(routes, "explorerGroup", { subscriptionId, resourceGroup: "rg-nope" })).status).toBe(404);
    expect((await call(routes, "explorerGroup", { subscriptionId })).status).toBe(400);
  });
});

describe("explorerUrl", () => {
  it("is the page, or the page opened on one resource's impact", () => {
    expect(explorerUrl("http://127.0.0.1:7071")).toBe("http://127.0.0.1:7071/api/explorer");
    expect(explorerUrl("http://127.0.0.1:7071", "/subscriptions/s/x")).toBe(
      "http://127.0.0.1:7071/api/explorer#/impact?id=%2Fsubscriptions%2Fs%2Fx",
    );
    expect(explorerUrl("http://127.0.0.1:7071", "/subscriptions/s/x", "resource")).toBe(
      "http://127.0.0.1:7071/api/explorer#/resource?id=%2Fsubscriptions%2Fs%2Fx",
    );
  });
});
