import { beforeAll, describe, expect, it } from "vitest";

import type { Store } from "../../../lib/cache/index.js";
import { diffExports, type TopologyExport } from "../../../lib/topology/index.js";
import { call, commitSample, integrationSubnet, KEYED, routesOver, smallerNext, TEST_SCOPE, testStore } from "./fixtures.js";

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
    const byType = (await call(routes, "resources", { type: "Microsoft.Network/virtualNetworks/SUBNETS", limit: "1000" })).json() as {
      items: { key: string }[];
    };
    expect(byType.items.map((i) => i.key).sort()).toEqual(subnets.map((r) => r.key).sort());

    const first = exp.resources.find(
      (r) => r.resourceGroup !== undefined && r.location !== undefined && r.tags && Object.keys(r.tags).length > 0,
    )!;
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

    const none = (await call(routes, "resources", { tag: [`${tagName}:${tagValue}`, `${tagName}:not-${tagValue}`] })).json() as {
      items: unknown[];
    };
    expect(none.items).toEqual([]);
  });

  it("finds q's words in names, types, groups and tags (key, value or key:value), a page at a time", async () => {
    const tagged = (name: string, value: string): string[] =>
      exp.resources
        .filter((r) => Object.entries(r.tags ?? {}).some(([k, v]) => k.toLowerCase() === name.toLowerCase() && v === value))
        .map((r) => r.key)
        .sort();
    const all = async (q: string): Promise<string[]> => {
      const keys: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = (await call(routes, "resources", { q, limit: "10", ...(cursor ? { cursor } : {}) })).json() as {
          items: { key: string }[];
          next?: string;
        };
        expect(page.items.length).toBeLessThanOrEqual(10);
        keys.push(...page.items.map((i) => i.key));
        if (page.next === undefined) return keys.sort();
        cursor = page.next;
      }
    };
    const owner = Object.entries(exp.resources.find((r) => r.tags?.owner !== undefined)!.tags!).find(([k]) => k === "owner")![1];
    expect(await all(`OWNER:${owner}`)).toEqual(tagged("owner", owner));
    const byValue = await all(owner);
    expect(byValue).toEqual(expect.arrayContaining(tagged("owner", owner)));
    // Two words: both must match (a type and a tag value).
    const both = await all(`virtualNetworks ${owner}`);
    expect(both.length).toBeGreaterThan(0);
    for (const key of both) {
      const r = exp.resources.find((x) => x.key === key)!;
      expect(`${r.name} ${r.id}`.toLowerCase()).toContain("virtualnetworks");
      expect(
        Object.values(r.tags ?? {}).some((v) => v.toLowerCase().includes(owner.toLowerCase())) ||
          `${r.name} ${r.id}`.toLowerCase().includes(owner.toLowerCase()),
      ).toBe(true);
    }
    const group = exp.resources.find((r) => r.resourceGroup !== undefined)!.resourceGroup!;
    expect((await all(group.toUpperCase())).length).toBeGreaterThan(0);
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
    const body = r.json() as {
      resource: { key: string };
      dependents: { key: string; relation: string; via: string; direction: string }[];
      dependencies: { key: string; direction: string }[];
    };
    expect(body.resource.key).toBe(key);
    const expectedDependents = exp.edges.filter((e) => e.to === key);
    expect(body.dependents.map((d) => `${d.key}|${d.relation}|${d.via}|${d.direction}`).sort()).toEqual(
      expectedDependents.map((e) => `${e.from}|${e.relation}|${e.via}|${e.direction}`).sort(),
    );
    expect(body.dependencies.map((d) => `${d.key}|${d.direction}`).sort()).toEqual(
      exp.edges
        .filter((e) => e.from === key)
        .map((e) => `${e.to}|${e.direction}`)
        .sort(),
    );
    // Each neighbour says how its edge's direction was decided (here: the id hierarchy, and the
    // serverfarm's read-only service association link mirrored on the subnet).
    expect(new Set(body.dependents.map((d) => d.direction))).toContain("read-only mirror");
    expect(body.dependencies.map((d) => d.direction)).toContain("containment");
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
    const neighbours = new Set([
      key,
      ...exp.edges.filter((e) => e.to === key).map((e) => e.from),
      ...exp.edges.filter((e) => e.from === key).map((e) => e.to),
    ]);
    expect(new Set([...around.resources.map((r) => r.key), ...around.external.map((r) => r.key)])).toEqual(neighbours);

    const bad = await call(routes, "topology", { format: "svg" });
    expect(bad.status).toBe(400);
    expect((bad.json() as { field: string }).field).toBe("query.format");
    const depthWithoutId = await call(routes, "topology", { depth: "2" });
    expect(depthWithoutId.status).toBe(400);
  });

  it("gives the failure model's answer for a subnet: down with distances and paths, entry points first, exact totals", async () => {
    const key = integrationSubnet(exp);
    const r = await call(routes, "impact", { id: key });
    expect(r.status).toBe(200);
    type Entry = { key: string; name: string; distance: number; reason: { kind: string; path?: string[] } };
    const body = r.json() as {
      scenario: { ids: string[] };
      down: Entry[];
      observability: Entry[];
      entryPoints: { down: Entry[]; degraded: Entry[] };
      totals: Record<string, number>;
      truncated: boolean;
      nextCursor?: string;
      snapshot: { runId: string };
    };
    expect(body.scenario.ids).toEqual([key]);
    // docs/topology.md: the subnet, the plan, 3 apps, the gateway and its public IP; the dashboard only shows them.
    expect(body.totals).toEqual({ down: 7, degraded: 0, observability: 2, unknown: 0, entryPointsDown: 5, entryPointsDegraded: 0 });
    expect(body.truncated).toBe(false);
    expect(body.nextCursor).toBeUndefined();
    // A path ends at the failed subnet, or at what a lost group took down (the gateway, for its public IP).
    const byGroup = new Set(body.down.filter((d) => d.reason.kind === "group").map((d) => d.key));
    for (const e of body.down.filter((d) => d.reason.kind === "path")) {
      const end = e.reason.path!.at(-1)!;
      expect(end === key || byGroup.has(end), e.name).toBe(true);
      if (end === key) expect(e.reason.path).toHaveLength(e.distance + 1);
    }
    expect(body.entryPoints.down.map((e) => e.name).sort()).toEqual([
      "agw-prod-weu",
      "app-api-prod-weu",
      "app-web-prod-weu",
      "func-orders-prod-weu",
      "pip-agw-prod-weu",
    ]);
  });

  it("pages every list with one cursor; totals stay exact; a bad limit or cursor is a 400 naming it", async () => {
    const key = integrationSubnet(exp);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const body = (await call(routes, "impact", { id: key, limit: "2", ...(cursor ? { cursor } : {}) })).json() as {
        down: { key: string }[];
        totals: { down: number };
        truncated: boolean;
        nextCursor?: string;
      };
      expect(body.totals.down).toBe(7);
      expect(body.down.length).toBeLessThanOrEqual(2);
      seen.push(...body.down.map((d) => d.key));
      if (!body.truncated) break;
      cursor = body.nextCursor;
    }
    expect(new Set(seen).size).toBe(7);
    for (const [query, field] of [
      [{ id: key, limit: "0" }, "query.limit"],
      [{ id: key, limit: "1001" }, "query.limit"],
      [{ id: key, cursor: "!!!" }, "query.cursor"],
      [{ id: key, depth: "2" }, "query"],
    ] as const) {
      const bad = await call(routes, "impact", query);
      expect(bad.status, JSON.stringify(query)).toBe(400);
      expect((bad.json() as { field: string }).field).toBe(field);
    }
  });

  it("answers POST /scenarios for ids, zones and regions in the same shape", async () => {
    const zone = await call(routes, "scenarios", {}, { ...KEYED }, { fail: { zones: [{ region: "North Europe", zone: "2" }] } });
    expect(zone.status).toBe(200);
    const body = zone.json() as { scenario: unknown; entryPoints: { down: { name: string }[] }; totals: Record<string, number> };
    expect(body.scenario).toEqual({ ids: [], zones: [{ region: "northeurope", zone: "2" }], regions: [] });
    expect(body.entryPoints.down.map((e) => e.name)).toEqual(["lb-reports-corp-neu", "pip-lb-reports-corp-neu"]);
    const vm = exp.resources.find((x) => x.name === "vm-intranet-01")!;
    const both = (
      await call(routes, "scenarios", { limit: "1" }, { ...KEYED }, { fail: { ids: [vm.id.toUpperCase()], regions: ["westeurope"] } })
    ).json() as {
      scenario: { ids: string[]; regions: string[] };
      degraded: unknown[];
      totals: { down: number; degraded: number };
      truncated: boolean;
      nextCursor: string;
    };
    expect(both.scenario.ids).toEqual([vm.key]);
    expect(both.degraded).toHaveLength(1);
    expect(both.totals.degraded).toBeGreaterThan(1);
    expect(both.truncated).toBe(true);
    const next = (
      await call(
        routes,
        "scenarios",
        { limit: "1", cursor: both.nextCursor },
        { ...KEYED },
        { fail: { ids: [vm.id], regions: ["westeurope"] } },
      )
    ).json() as { degraded: unknown[] };
    expect(next.degraded).toHaveLength(1);
  });

  it("answers bad scenario bodies with a 400 problem naming the field, unknown ids with a 404", async () => {
    for (const [body, field] of [
      ["not json", "body"],
      [[], "body"],
      [{}, "body.fail"],
      [{ fail: {} }, "body.fail"],
      [{ fail: { ids: [] } }, "body.fail"],
      [{ fail: { ids: "x" } }, "body.fail.ids"],
      [{ fail: { zones: [{ region: "westeurope", zone: "one" }] } }, "body.fail.zones.0.zone"],
      [{ fail: { zones: [{ zone: "1" }] } }, "body.fail.zones.0.region"],
      [{ fail: { regions: [""] } }, "body.fail.regions.0"],
      [{ fail: { ids: ["a"], extra: 1 } }, "body.fail"],
      [{ fail: { ids: ["a"] }, more: true }, "body"],
    ] as const) {
      const r = await call(routes, "scenarios", {}, { ...KEYED }, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const problem = r.json() as { field: string };
      problemShape(problem, 400);
      expect(problem.field, JSON.stringify(body)).toBe(field);
    }
    const missing = await call(
      routes,
      "scenarios",
      {},
      { ...KEYED },
      { fail: { ids: ["/subscriptions/x/resourceGroups/y/providers/A.B/c/d"] } },
    );
    expect(missing.status).toBe(404);
    expect((missing.json() as { field: string }).field).toBe("body.fail.ids.0");
    expect((await call(routes, "scenarios")).status).toBe(400);
  });

  it("ranks single points of failure, with per-zone exposure and change risk apart", async () => {
    const r = await call(routes, "risk", { limit: "5" });
    expect(r.status).toBe(200);
    const body = r.json() as {
      totals: { resources: number; singlePointsOfFailure: number; zones: number; changeRisk: number };
      singlePointsOfFailure: { name: string; entryPointsDown: number }[];
      zones: { region: string; zone: string }[];
      changeRisk: { name: string }[];
      scores: unknown[];
      truncated: boolean;
      nextCursor?: string;
    };
    expect(body.totals).toMatchObject({ resources: exp.resources.length, singlePointsOfFailure: 7, zones: 6 });
    expect(body.singlePointsOfFailure).toHaveLength(5);
    expect(body.singlePointsOfFailure[1]).toMatchObject({ name: "vm-reports-01", entryPointsDown: 2 });
    expect(body.changeRisk[0]).toMatchObject({ name: "vnet-prod-weu" });
    expect(body.zones).toHaveLength(5);
    expect(body.scores).toHaveLength(5);
    expect(body.truncated).toBe(true);
    const next = (await call(routes, "risk", { limit: "5", cursor: body.nextCursor! })).json() as {
      singlePointsOfFailure: unknown[];
      zones: unknown[];
    };
    expect(next.singlePointsOfFailure).toHaveLength(2);
    expect(next.zones).toHaveLength(1);
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
    const next = smallerNext(first);
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
    const body = r.json() as {
      status: string;
      snapshot: { runId: string; errors: number; ageSeconds: number };
      breakers: Record<string, string>;
    };
    expect(body.status).toBe("healthy");
    expect(body.snapshot).toMatchObject({ runId: exp.runId, errors: 0, resources: exp.resources.length });
    expect(body.snapshot.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(body.breakers).toEqual({ store: "closed" });
  });

  it("carries the correlation id in and out, from x-correlation-id, traceparent or the invocation", async () => {
    const given = await call(routes, "health", {}, { "x-correlation-id": "req-42" });
    expect(given.status).toBe(200);
    expect(given.headers.get("x-correlation-id")).toBe("req-42");
    const trace = await call(
      routes,
      "resources",
      { limit: "0" },
      { ...KEYED, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    );
    expect(trace.headers.get("x-correlation-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(trace.status).toBe(400);
    const generated = await call(routes, "risk");
    expect(generated.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
