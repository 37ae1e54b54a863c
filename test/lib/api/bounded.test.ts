// Bounded answers: topology refuses past its node limit with a 413 naming how to scope it; lists
// carry a limit and exact totals; repeated parameters are deduplicated, sorted and capped; the
// query cache never stores an oversized answer.
import { beforeAll, describe, expect, it } from "vitest";

import { MAX_PARAM_VALUES, QUERY_CACHE_MAX_VALUE_BYTES } from "../../../lib/api/queries/common.js";
import { TOPOLOGY_MAX_BYTES, TOPOLOGY_MAX_NODES } from "../../../lib/api/queries/topology.js";
import { createRoutes } from "../../../lib/api/routes.js";
import type { Store } from "../../../lib/cache/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { generateEstate } from "../../../tools/estates/generate.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import { call, TEST_SCOPE, testStore } from "./fixtures.js";

describe("bounded answers over a generated estate past the topology limit", () => {
  let store: Store;
  let exp: TopologyExport;
  let routes: ReturnType<typeof createRoutes>;

  beforeAll(async () => {
    exp = exportFromPayloads(
      generateEstate({ resources: TOPOLOGY_MAX_NODES + 1_000, types: 20, subscriptions: 4, seed: 3, referencesPerResource: 2 }),
      { runId: "big" },
    );
    store = testStore();
    await store.snapshots.write(TEST_SCOPE, exp);
    routes = createRoutes(() => ({ store, scope: () => TEST_SCOPE }));
  }, 60_000);

  it("refuses the unscoped topology in every format with 413 problem+json naming the scope parameters", async () => {
    for (const format of ["json", "mermaid", "dot"]) {
      const r = await call(routes, "topology", { format });
      expect(r.status, format).toBe(413);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const body = r.json() as { detail: string; scopeParameters: string[]; limits: { nodes: number } };
      expect(body.scopeParameters).toEqual(["subscriptionId", "resourceGroup", "type", "id", "depth", "direction"]);
      expect(body.limits.nodes).toBe(TOPOLOGY_MAX_NODES);
      expect(body.detail).toContain("subscriptionId");
    }
  });

  it("answers a scope within the limit", async () => {
    const sub = exp.scope.subscriptions[0]!;
    const r = await call(routes, "topology", { format: "json", subscriptionId: sub });
    expect(r.status).toBe(200);
    const scoped = r.json() as TopologyExport;
    expect(scoped.resources.length).toBeGreaterThan(0);
    expect(scoped.resources.length + scoped.external.length).toBeLessThanOrEqual(TOPOLOGY_MAX_NODES);
  });

  it("deduplicates, sorts and caps repeated parameters (one cache key for one scope)", async () => {
    const [a, b] = exp.scope.subscriptions;
    const first = await call(routes, "topology", { format: "dot", subscriptionId: [b!, a!, b!] });
    const stats = store.stats().queries!;
    const loads = stats.loads;
    const second = await call(routes, "topology", { format: "dot", subscriptionId: [a!, b!] });
    expect(second.text).toBe(first.text);
    expect(store.stats().queries!.loads).toBe(loads);
    const tooMany = await call(routes, "topology", { subscriptionId: Array.from({ length: MAX_PARAM_VALUES + 1 }, (_, i) => `s${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toMatchObject({ field: "query.subscriptionId" });
    const repeatedOk = await call(routes, "topology", {
      format: "dot",
      subscriptionId: Array.from({ length: MAX_PARAM_VALUES + 10 }, () => a!),
    });
    expect(repeatedOk.status).toBe(200);
  });

  it("pages the direct edges of a resource detail, with exact totals", async () => {
    const hub = exp.edges.reduce<Map<string, number>>((m, e) => m.set(e.to, (m.get(e.to) ?? 0) + 1), new Map());
    const [key, count] = [...hub].sort((x, y) => y[1] - x[1])[0]!;
    const r = await call(routes, "resourceDetail", { id: key, limit: "2" });
    const body = r.json() as { dependents: unknown[]; totals: { dependents: number } };
    expect(body.dependents).toHaveLength(Math.min(2, body.totals.dependents));
    expect(body.totals.dependents).toBeGreaterThanOrEqual(Math.min(count, 2));
    expect((await call(routes, "resourceDetail", { id: key, limit: "2001" })).status).toBe(400);
  });

  it("cuts each changes list at limit and gives exact totals", async () => {
    const before = { ...exp, runId: "before", resources: exp.resources.slice(10), edges: [] };
    await store.snapshots.write(TEST_SCOPE, before);
    await store.snapshots.write(TEST_SCOPE, exp);
    const fresh = createRoutes(() => ({ store, scope: () => TEST_SCOPE }));
    const r = await call(fresh, "changes", { since: "before", limit: "3" });
    expect(r.status).toBe(200);
    const body = r.json() as {
      resources: { added: unknown[] };
      edges: { added: unknown[] };
      totals: { resources: { added: number }; edges: { added: number } };
      truncated: boolean;
    };
    expect(body.resources.added).toHaveLength(3);
    expect(body.totals.resources.added).toBe(10);
    expect(body.totals.edges.added).toBe(exp.edges.length);
    expect(body.truncated).toBe(true);
    expect((await call(fresh, "changes", { since: "before", limit: "5001" })).status).toBe(400);
  });

  it("never stores an answer larger than the query cache's value limit", async () => {
    const cache = store.cache("queries", { generational: true, maxValueBytes: QUERY_CACHE_MAX_VALUE_BYTES });
    const big = "x".repeat(QUERY_CACHE_MAX_VALUE_BYTES + 1);
    expect(await cache.set(["huge"], big, { ttlMs: 60_000 })).toEqual({ stored: false, reason: "too-large" });
    expect(await cache.set(["small"], "x", { ttlMs: 60_000 })).toEqual({ stored: true });
  });
});

describe("topology byte limit", () => {
  it("refuses an answer past TOPOLOGY_MAX_BYTES with the same 413, and answers a scope under it", async () => {
    const sub = "11111111-1111-4111-8111-111111111111";
    const blob = "x".repeat(Math.ceil(TOPOLOGY_MAX_BYTES / 8));
    const payloads = Array.from({ length: 10 }, (_, i) => ({
      id: `/subscriptions/${sub}/resourceGroups/rg${i % 2}/providers/Microsoft.Web/sites/app${i}`,
      name: `app${i}`,
      type: "Microsoft.Web/sites",
      location: "westeurope",
      properties: { blob },
    }));
    const exp = exportFromPayloads({ subscriptions: [{ subscriptionId: sub, resources: payloads }] }, { runId: "fat" });
    const store = testStore();
    await store.snapshots.write(TEST_SCOPE, exp);
    const routes = createRoutes(() => ({ store, scope: () => TEST_SCOPE }));
    const all = await call(routes, "topology", { format: "json" });
    expect(all.status).toBe(413);
    expect((all.json() as { detail: string }).detail).toContain("characters");
    expect((await call(routes, "topology", { format: "json", id: payloads[0]!.id })).status).toBe(200);
  }, 60_000);
});
