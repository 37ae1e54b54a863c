// End to end over real HTTP: serveRoutes (what `topdeck serve` runs) over a store holding the
// sample estate, once in memory and once through the Upstash REST bridge to redis-server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Store } from "../../../lib/cache/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { type LocalServer, serveRoutes } from "../../../tools/host/serve.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";
import { commitSample, integrationSubnet, routesOver, testStore } from "./fixtures.js";

describe.each(["memory", "upstash"] as const)("HTTP API over serveRoutes (%s store)", (driver) => {
  let stack: UpstashStack | undefined;
  let store: Store;
  let server: LocalServer;
  let exp: TopologyExport;

  beforeAll(async () => {
    if (driver === "upstash") stack = await startUpstashStack();
    store = testStore(stack);
    exp = await commitSample(store);
    server = await serveRoutes(Object.values(routesOver(store)), 0);
  });
  afterAll(async () => {
    await server?.close();
    await store?.idle();
    await stack?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${server.url}${path}`, { headers });

  it("serves health anonymously as the status alone, and the details on their own route", async () => {
    const r = await get("/api/health");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "healthy" });
    const details = await get("/api/health/details");
    expect(await details.json()).toMatchObject({
      status: "healthy",
      store: { driver, state: "up" },
      snapshot: { runId: exp.runId, errors: 0 },
    });
  });

  it("lists resources and pages through them", async () => {
    const first = (await (await get("/api/resources?limit=50")).json()) as { items: { key: string }[]; next: string };
    expect(first.items).toHaveLength(50);
    const second = (await (await get(`/api/resources?limit=1000&cursor=${first.next}`)).json()) as {
      items: { key: string }[];
      next?: string;
    };
    expect(second.next).toBeUndefined();
    expect(first.items.length + second.items.length).toBe(exp.resources.length);
  });

  it("gives the topology in all three formats", async () => {
    const jsonR = await get("/api/topology?format=json");
    expect(jsonR.headers.get("content-type")).toBe("application/json");
    expect(((await jsonR.json()) as TopologyExport).edges).toHaveLength(exp.edges.length);
    const mermaid = await get("/api/topology?format=mermaid");
    expect(mermaid.headers.get("content-type")).toMatch(/^text\/vnd\.mermaid/);
    expect(await mermaid.text()).toMatch(/^flowchart LR/);
    const dot = await get("/api/topology?format=dot&subscriptionId=" + exp.scope.subscriptions[0]!);
    expect(dot.headers.get("content-type")).toMatch(/^text\/vnd\.graphviz/);
    expect(await dot.text()).toMatch(/^digraph/);
  });

  it("gives the impact of a subnet, with the id as a query parameter, and a zone scenario by POST", async () => {
    const key = integrationSubnet(exp);
    const r = await get(`/api/impact?id=${encodeURIComponent(key)}`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { down: unknown[]; entryPoints: { down: unknown[] }; totals: { down: number } };
    expect(body.totals.down).toBe(7);
    expect(body.entryPoints.down).toHaveLength(5);
    const again = (await (await get(`/api/impact?id=${encodeURIComponent(key)}`)).json()) as { down: unknown[] };
    expect(again.down).toEqual(body.down);
    const zone = await fetch(`${server.url}/api/scenarios?limit=10`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fail: { zones: [{ region: "northeurope", zone: "1" }] } }),
    });
    expect(zone.status).toBe(200);
    expect(((await zone.json()) as { totals: { entryPointsDown: number } }).totals.entryPointsDown).toBe(1);
    // A JSON content type with a body that is not JSON (serve answers 415 to a non-JSON type first).
    const bad = await fetch(`${server.url}/api/scenarios`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 400, field: "body" });
  });

  it("gives detail, risk and changes", async () => {
    const key = integrationSubnet(exp);
    const detail = (await (await get(`/api/resources/detail?id=${encodeURIComponent(key)}`)).json()) as { dependents: unknown[] };
    expect(detail.dependents.length).toBeGreaterThan(0);
    const risk = (await (await get("/api/risk?limit=3")).json()) as {
      singlePointsOfFailure: { name: string }[];
      changeRisk: { name: string }[];
    };
    expect(risk.singlePointsOfFailure[1]!.name).toBe("vm-reports-01");
    expect(risk.changeRisk[0]!.name).toBe("vnet-prod-weu");
    const changes = (await (await get(`/api/changes?since=${exp.runId}`)).json()) as {
      resources: { added: unknown[]; removed: unknown[]; changed: unknown[] };
    };
    expect(changes.resources).toEqual({ added: [], removed: [], changed: [] });
  });

  it("answers unknown ids with 404, bad input with a problem naming the field, wrong paths and methods", async () => {
    const unknown = await get("/api/impact?id=%2Fsubscriptions%2Fnope");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect(await unknown.json()).toMatchObject({ status: 404, field: "query.id" });
    const bad = await get("/api/impact?id=x&limit=-1");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      status: 400,
      field: "query.limit",
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect((await get("/api/nothing")).status).toBe(404);
    const post = await fetch(`${server.url}/api/health`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("content-type")).toBe("application/problem+json");
    expect((await get("/api/health/%E0%A4%A")).status).toBe(400);
  });

  it("carries the correlation id in and out", async () => {
    const r = await get("/api/risk", { "x-correlation-id": "corr-e2e-1" });
    expect(r.headers.get("x-correlation-id")).toBe("corr-e2e-1");
    const p = await get("/api/resources?limit=x", { "x-correlation-id": "corr-e2e-2" });
    expect(p.headers.get("x-correlation-id")).toBe("corr-e2e-2");
  });
});
