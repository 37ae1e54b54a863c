import { beforeAll, describe, expect, it } from "vitest";

import type { Store } from "../../../lib/cache/index.js";
import { diffExports, type TopologyExport } from "../../../lib/topology/index.js";
import { call, commitSample, integrationSubnet, KEYED, routesOver, TEST_SCOPE, testStore } from "./fixtures.js";

const problemShape = (body: unknown, status: number): void => {
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
};

describe("query handlers (HttpRequest + InvocationContext, in-memory store)", () => {
  let store: Store;
  let exp: TopologyExport;
  let routes: ReturnType<typeof routesOver>;
  beforeAll(async () => {
    store = testStore();
    exp = await commitSample(store);
    routes = routesOver(store);
  });

  it("lists resources in key order with cursor paging and no repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await call(routes, "resources", { limit: "7", ...(cursor ? { cursor } : {}) });
      expect(r.status).toBe(200);
      const body = r.json() as { items: { key: string }[]; next?: string; snapshot: { runId: string } };
      expect(body.snapshot.runId).toBe(exp.runId);
      seen.push(...body.items.map((i) => i.key));
      if (body.next === undefined) break;
      expect(body.items).toHaveLength(7);
      cursor = body.next;
    }
    expect(seen).toEqual(exp.resources.map((r) => r.key).sort());
  });

  it("filters by type, group, subscription, location, tags and q", async () => {
    const subnets = exp.resources.filter((r) => r.type.toLowerCase() === "microsoft.network/virtualnetworks/subnets");
    const byType = (await call(routes, "resources", { type: "Microsoft.Network/virtualNetworks/SUBNETS", limit: "1000" })).json() as { items: { key: string }[] };
    expect(byType.items.map((i) => i.key).sort()).toEqual(subnets.map((r) => r.key).sort());

    const first = exp.resources.find((r) => r.resourceGroup !== undefined && r.location !== undefined && r.tags && Object.keys(r.tags).length > 0)!;
    const [tagName, tagValue] = Object.entries(first.tags!)[0]!;
    const filtered = (
      await call(routes, "resources", {
        resourceGroup: first.resourceGroup!.toUpperCase(),
        subscriptionId: first.subscriptionId,
        location: first.location!,
        tag: [`${tagName}:${tagValue}`],
        q: first.name.slice(1, -1).toUpperCase(),
        limit: "1000",
      })
    ).json() as { items: { key: string; tags?: Record<string, string> }[] };
    expect(filtered.items.map((i) => i.key)).toContain(first.key);
    for (const item of filtered.items) expect(item.tags?.[tagName]).toBe(tagValue);

    const none = (await call(routes, "resources", { tag: [`${tagName}:${tagValue}`, `${tagName}:not-${tagValue}`] })).json() as { items: unknown[] };
    expect(none.items).toEqual([]);
  });

  it("answers bad parameters with a 400 problem naming the field", async () => {
    for (const [query, field] of [
      [{ limit: "0" }, "query.limit"],
      [{ limit: "1001" }, "query.limit"],
      [{ limit: "ten" }, "query.limit"],
      [{ cursor: "!!!" }, "query.cursor"],
      [{ tag: "no-colon" }, "query.tag.0"],
      [{ bogus: "1" }, "query"],
    ] as const) {
      const r = await call(routes, "resources", query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const body = r.json() as { field: string };
      problemShape(body, 400);
      expect(body.field.startsWith(field)).toBe(true);
    }
  });

  it("gives one resource with its direct dependencies and dependents, by id in any casing", async () => {
    const key = integrationSubnet(exp);
    const resource = exp.resources.find((r) => r.key === key)!;
    const r = await call(routes, "resourceDetail", { id: resource.id.toUpperCase() });
    expect(r.status).toBe(200);
    const body = r.json() as { resource: { key: string }; dependents: { key: string; relation: string; via: string }[]; dependencies: { key: string }[] };
    expect(body.resource.key).toBe(key);
    const expectedDependents = exp.edges.filter((e) => e.to === key);
    expect(body.dependents.map((d) => `${d.key}|${d.relation}|${d.via}`).sort()).toEqual(expectedDependents.map((e) => `${e.from}|${e.relation}|${e.via}`).sort());
    expect(body.dependencies.map((d) => d.key).sort()).toEqual(exp.edges.filter((e) => e.from === key).map((e) => e.to).sort());
  });

  it("answers an unknown id with a 404 problem naming the field, on every id route", async () => {
    const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/nope";
    for (const name of ["resourceDetail", "impact", "topology"] as const) {
      const r = await call(routes, name, { id });
      expect(r.status, name).toBe(404);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const body = r.json() as { field: string };
      problemShape(body, 404);
      expect(body.field).toBe("query.id");
    }
    const missing = await call(routes, "resourceDetail");
    expect(missing.status).toBe(400);
    expect((missing.json() as { field: string }).field).toBe("query.id");
  });

  it("renders the topology as JSON, Mermaid and DOT with their content types, scoped", async () => {
    const full = await call(routes, "topology");
    expect(full.headers.get("content-type")).toBe("application/json");
    expect((full.json() as TopologyExport).resources).toHaveLength(exp.resources.length);

    const mermaid = await call(routes, "topology", { format: "mermaid" });
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers.get("content-type")).toMatch(/^text\/vnd\.mermaid/);
    expect(mermaid.text.startsWith("flowchart")).toBe(true);

    const dot = await call(routes, "topology", { format: "dot", resourceGroup: "rg-network-prod" });
    expect(dot.headers.get("content-type")).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.text.startsWith("digraph")).toBe(true);

    const key = integrationSubnet(exp);
    const around = (await call(routes, "topology", { id: key, depth: "1" })).json() as TopologyExport;
    const neighbours = new Set([key, ...exp.edges.filter((e) => e.to === key).map((e) => e.from), ...exp.edges.filter((e) => e.from === key).map((e) => e.to)]);
    expect(new Set([...around.resources.map((r) => r.key), ...around.external.map((r) => r.key)])).toEqual(neighbours);

    const bad = await call(routes, "topology", { format: "svg" });
    expect(bad.status).toBe(400);
    expect((bad.json() as { field: string }).field).toBe("query.format");
    const depthWithoutId = await call(routes, "topology", { depth: "2" });
    expect(depthWithoutId.status).toBe(400);
  });

  it("gives the impact of a subnet with distances and paths, and honours depth", async () => {
    const key = integrationSubnet(exp);
    const r = await call(routes, "impact", { id: key });
    expect(r.status).toBe(200);
    const body = r.json() as { key: string; impacted: { key: string; distance: number; path: string[] }[]; entryPoints: unknown[] };
    expect(body.key).toBe(key);
    // docs/topology.md: the plan, 3 apps, the gateway, the dashboard; 4 entry points.
    expect(body.impacted).toHaveLength(6);
    expect(body.entryPoints).toHaveLength(4);
    for (const i of body.impacted) {
      expect(i.path.at(-1)).toBe(key);
      expect(i.path).toHaveLength(i.distance + 1);
    }
    const shallow = (await call(routes, "impact", { id: key, depth: "1" })).json() as { impacted: { distance: number }[]; truncated: boolean };
    expect(shallow.impacted.every((i) => i.distance === 1)).toBe(true);
    expect((await call(routes, "impact", { id: key, depth: "0" })).status).toBe(400);
  });

  it("lists single points of failure and risk scores with their factors", async () => {
    const r = await call(routes, "risk", { limit: "5" });
    expect(r.status).toBe(200);
    const body = r.json() as { totals: { singlePointsOfFailure: number }; singlePointsOfFailure: { name: string; score: number; factors: unknown[] }[]; scores: unknown[] };
    expect(body.totals.singlePointsOfFailure).toBe(42);
    expect(body.singlePointsOfFailure).toHaveLength(5);
    expect(body.singlePointsOfFailure[0]).toMatchObject({ name: "vnet-prod-weu", score: 85 });
    expect(body.singlePointsOfFailure[0]!.factors).toHaveLength(4);
    expect(body.scores).toHaveLength(5);
  });

  it("gives the changes since a kept run, and 404 for a run not kept", async () => {
    const local = testStore();
    const before = await commitSample(local);
    const after: TopologyExport = structuredClone(before);
    after.runId = "second";
    const removed = after.resources.pop()!;
    after.edges = after.edges.filter((e) => e.from !== removed.key && e.to !== removed.key);
    after.resources[0] = { ...after.resources[0]!, tags: { ...after.resources[0]!.tags, changed: "yes" } };
    after.stats = { ...after.stats, resources: after.resources.length, edges: after.edges.length };
    await local.snapshots.write(TEST_SCOPE, after);
    const localRoutes = routesOver(local);
    const r = await call(localRoutes, "changes", { since: before.runId });
    expect(r.status).toBe(200);
    const body = r.json() as { since: string; snapshot: { runId: string }; resources: unknown; edges: unknown };
    expect(body.since).toBe("sample");
    expect(body.snapshot.runId).toBe("second");
    const expected = diffExports(before, after);
    expect({ resources: body.resources, edges: body.edges }).toEqual(JSON.parse(JSON.stringify(expected)));
    const unknown = await call(localRoutes, "changes", { since: "never-ran" });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ field: "query.since" });
    expect((await call(localRoutes, "changes")).status).toBe(400);
  });

  it("reloads the graph when the generation moves, and caches results per generation", async () => {
    const local = testStore();
    const first = await commitSample(local);
    const localRoutes = routesOver(local);
    await call(localRoutes, "risk");
    const hitsBefore = local.stats().queries?.hits ?? 0;
    await call(localRoutes, "risk");
    expect(local.stats().queries?.hits ?? 0).toBe(hitsBefore + 1);
    const next: TopologyExport = { ...first, runId: "next", resources: first.resources.slice(0, 10), edges: [], external: [], stats: { ...first.stats, resources: 10, edges: 0 } };
    await local.snapshots.write(TEST_SCOPE, next);
    const r = (await call(localRoutes, "resources", { limit: "1000" })).json() as { items: unknown[]; snapshot: { runId: string } };
    expect(r.snapshot.runId).toBe("next");
    expect(r.items).toHaveLength(10);
    const risk = (await call(localRoutes, "risk")).json() as { snapshot: { runId: string } };
    expect(risk.snapshot.runId).toBe("next");
  });

  it("answers 409 with a clear problem before any run was committed, and health says degraded", async () => {
    const empty = routesOver(testStore());
    for (const name of ["resources", "topology", "risk"] as const) {
      const r = await call(empty, name);
      expect(r.status, name).toBe(409);
      const body = r.json() as { detail: string };
      problemShape(body, 409);
      expect(body.detail).toContain("no discovery run has been committed yet");
    }
    const health = await call(empty, "healthDetails");
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: "degraded", snapshot: null, store: { driver: "memory", state: "up" } });
    expect((await call(empty, "health", {}, {})).json()).toEqual({ status: "degraded" });
  });

  it("reports health details on the keyed route: healthy with the last snapshot's age, outcome and breaker states", async () => {
    const r = await call(routes, "healthDetails");
    expect(r.status).toBe(200);
    const body = r.json() as { status: string; snapshot: { runId: string; errors: number; ageSeconds: number }; breakers: Record<string, string> };
    expect(body.status).toBe("healthy");
    expect(body.snapshot).toMatchObject({ runId: exp.runId, errors: 0, resources: exp.resources.length });
    expect(body.snapshot.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(body.breakers).toEqual({ store: "closed" });
  });

  it("carries the correlation id in and out, from x-correlation-id, traceparent or the invocation", async () => {
    const given = await call(routes, "health", {}, { "x-correlation-id": "req-42" });
    expect(given.status).toBe(200);
    expect(given.headers.get("x-correlation-id")).toBe("req-42");
    const trace = await call(routes, "resources", { limit: "0" }, { ...KEYED, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    expect(trace.headers.get("x-correlation-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(trace.status).toBe(400);
    const generated = await call(routes, "risk");
    expect(generated.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
