import { beforeAll, describe, expect, it } from "vitest";

import { exportSchema, type TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { renderJson } from "../../../lib/topology/render-json.js";
import { groupBySubscription, scopeOf } from "../../../lib/topology/scope.js";
import { sampleExport } from "../../support/sample-export.js";
import { keyOf, short } from "./sample-keys.js";
import { k, nameOf, smallExport, thing } from "./small-graphs.js";

const PROD = "6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c";
const CORP = "2a7e9c41-5b3d-4e8f-a6c2-9d1b3f5e7a80";

let exp: TopologyExport;
let graph: TopologyGraph;
beforeAll(async () => {
  exp = await sampleExport();
  graph = buildGraph(exp);
});

const names = (nodes: number[]) => nodes.map((v) => graph.nameOf(v)).sort();

describe("scopeOf", () => {
  it("selects everything by default, edges in source order", () => {
    const all = scopeOf(graph);
    expect(all.nodes).toHaveLength(exp.resources.length + exp.external.length);
    expect(all.edges).toEqual(exp.edges.map((_e, i) => i));
  });

  it("filters by subscription, keeping external nodes joined to what it selects", () => {
    const corp = scopeOf(graph, { subscriptions: [CORP.toUpperCase()] });
    const resources = corp.nodes.filter((v) => graph.resources[v] !== undefined);
    expect(resources.every((v) => graph.resources[v]!.subscriptionId === CORP)).toBe(true);
    expect(resources).toHaveLength(exp.resources.filter((r) => r.subscriptionId === CORP).length);
    // The corp component's workspace lives in prod: edge dropped with it (prod is a resource, not an external).
    expect(corp.edges.map((e) => exp.edges[e]!).every((e) => e.from.includes(CORP) && e.to.includes(CORP))).toBe(true);
    // Prod keeps the external workspace AKS sends to.
    const prod = scopeOf(graph, { subscriptions: [PROD] });
    expect(prod.nodes.map((v) => graph.keys[v])).toContain(exp.external[0]!.key);
  });

  it("filters by resource group and by type, any casing", () => {
    expect(names(scopeOf(graph, { resourceGroups: ["RG-CORP-APPS"] }).nodes)).toEqual([
      "app-intranet-corp",
      "appi-intranet-corp",
      "asp-corp-neu",
    ]);
    const sites = scopeOf(graph, { types: ["microsoft.web/SITES"] });
    expect(names(sites.nodes)).toEqual(["app-api-prod-weu", "app-intranet-corp", "app-web-prod-weu", "func-orders-prod-weu"]);
    expect(sites.edges).toEqual([]);
    const both = scopeOf(graph, { types: ["Microsoft.Web/sites", "Microsoft.Web/serverfarms"], subscriptions: [PROD] });
    expect(names(both.nodes)).toEqual(["app-api-prod-weu", "app-web-prod-weu", "asp-web-prod-weu", "func-orders-prod-weu"]);
    expect(both.edges.map((e) => exp.edges[e]!.relation)).toEqual(["hosting", "hosting", "hosting"]);
  });

  it("selects the neighbourhood of a resource to a depth, in either direction", () => {
    const plan = keyOf(exp, "Microsoft.Web/serverfarms", "asp-web-prod-weu");
    expect(names(scopeOf(graph, { around: { key: plan, depth: 1, direction: "dependents" } }).nodes)).toEqual([
      "app-api-prod-weu",
      "app-web-prod-weu",
      "asp-web-prod-weu",
      "func-orders-prod-weu",
    ]);
    expect(names(scopeOf(graph, { around: { key: plan, depth: 1, direction: "dependencies" } }).nodes)).toEqual([
      "asp-web-prod-weu",
      "snet-web-integration",
    ]);
    const two = scopeOf(graph, { around: { key: plan, depth: 2 } });
    expect(names(two.nodes)).toContain("agw-prod-weu");
    expect(names(two.nodes)).toContain("vnet-prod-weu");
    expect(names(two.nodes)).not.toContain("pip-agw-prod-weu");
    // Filters apply inside the neighbourhood; the centre always stays.
    expect(names(scopeOf(graph, { around: { key: plan, depth: 2 }, types: ["microsoft.network/applicationgateways"] }).nodes)).toEqual([
      "agw-prod-weu",
      "asp-web-prod-weu",
    ]);
    expect(scopeOf(graph, { around: { key: k("nothing") } })).toEqual({ nodes: [], edges: [] });
  });

  it("groups by subscription and resource group", () => {
    // rg-corp-vm: 4 VMs, 4 NICs, 6 disks, the availability set, the jump host's public IP, the ADE vault and the boot-diagnostics account;
    // rg-corp-network: the vnet, 3 subnets, 2 NSGs, 2 load balancers and their public IPs.
    const groups = groupBySubscription(graph, scopeOf(graph, { subscriptions: [CORP] }).nodes);
    expect(groups.map((g) => `${g.subscription.slice(0, 8)}/${g.resourceGroup}:${g.nodes.length}`)).toEqual([
      "2a7e9c41/NetworkWatcherRG:1",
      "2a7e9c41/rg-corp-apps:3",
      "2a7e9c41/rg-corp-network:10",
      "2a7e9c41/rg-corp-vm:18",
    ]);
  });
});

describe("renderJson", () => {
  it("writes a valid export (docs/interfaces.md section 3) for a scope, recounted", () => {
    const out = renderJson(exp, { scope: { resourceGroups: ["rg-web-prod"] }, graph });
    expect(exportSchema.safeParse(out).success).toBe(true);
    expect(out.resources.every((r) => r.resourceGroup === "rg-web-prod")).toBe(true);
    expect(out.stats.resources).toBe(out.resources.length);
    expect(out.stats.edges).toBe(out.edges.length);
    expect(out.scope).toEqual({ subscriptions: exp.scope.subscriptions, resourceGroups: ["rg-web-prod"] });
    const keys = new Set([...out.resources.map((r) => r.key), ...out.external.map((e) => e.key)]);
    expect(out.edges.every((e) => keys.has(e.from) && keys.has(e.to))).toBe(true);
    expect(out.edges.length).toBeGreaterThan(0);
    expect(out.edges.map((e) => short(e.from))).toContain("app-web-prod-weu");
  });

  it("is the export itself when unscoped, and names keys only an edge knew as external entries", () => {
    expect(renderJson(exp)).toEqual(exp);
    const small = smallExport(["a"], [["a", "ghost", "data"]], [thing("a")]);
    const out = renderJson(small);
    expect(out.external).toEqual([{ key: k("ghost"), id: k("ghost"), type: "test.ns/things" }]);
    expect(out.edges.map((e) => nameOf(e.to))).toEqual(["ghost"]);
  });
});
