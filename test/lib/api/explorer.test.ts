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

  it("states the CSP without inline script or style", () => {
    expect(EXPLORER_CSP).toContain("default-src 'self'");
    expect(EXPLORER_CSP).toContain("script-src 'self'");
    expect(EXPLORER_CSP).toContain("style-src 'self'");
    expect(EXPLORER_CSP).toContain("frame-ancestors 'none'");
    expect(EXPLORER_CSP).not.toMatch(/unsafe|https?:/);
  });

  it("summarises the estate in bounded count lists, and caps a neighbourhood with a 'more' count", async () => {
    const exp = await commitSample(store);
    const summary = (await call(routes, "explorerSummary")).json() as { resources: number; types: { rows: { count: number }[]; distinct: number }; locations: { rows: { name: string }[] } };
    expect(summary.resources).toBe(exp.resources.length);
    expect(summary.types.rows.reduce((n, r) => n + r.count, 0)).toBe(exp.resources.length);
    expect(summary.locations.rows.map((r) => r.name)).not.toContain("west europe");
    const hubs = (summary as unknown as { mostDependedOn: { dependents: number }[] }).mostDependedOn;
    expect(hubs.length).toBeGreaterThan(0);
    expect(hubs.map((h) => h.dependents)).toEqual([...hubs.map((h) => h.dependents)].sort((a, b) => b - a));
    const id = integrationSubnet(exp);
    const full = (await call(routes, "explorerNeighbourhood", { id, depth: "2" })).json() as { nodes: { key: string; level: number; more: number }[]; edges: { from: string; to: string; via: string }[]; truncated: boolean };
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
});

describe("explorerUrl", () => {
  it("is the page, or the page opened on one resource's impact", () => {
    expect(explorerUrl("http://127.0.0.1:7071")).toBe("http://127.0.0.1:7071/api/explorer");
    expect(explorerUrl("http://127.0.0.1:7071", "/subscriptions/s/x")).toBe("http://127.0.0.1:7071/api/explorer#/impact?id=%2Fsubscriptions%2Fs%2Fx");
  });
});
