/**
 * The sample estate's impacts and single points of failure, for resources whose answer follows
 * from docs/sample-estate.md by hand (reasoning in each test).
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { impactOf } from "../../../lib/topology/impact.js";
import { riskScan, type RiskScore } from "../../../lib/topology/risk.js";
import { singlePointsOfFailure } from "../../../lib/topology/spof.js";
import { sampleExport } from "../../support/sample-export.js";
import { keyOf, short } from "./sample-keys.js";

let exp: TopologyExport;
let graph: TopologyGraph;
let scores: RiskScore[];
let spofs: RiskScore[];

beforeAll(async () => {
  exp = await sampleExport();
  graph = buildGraph(exp);
  scores = riskScan(graph);
  spofs = singlePointsOfFailure(graph, { scores });
});

const SUBNET = "Microsoft.Network/virtualNetworks/subnets";
const SITE = "Microsoft.Web/sites";
const byDistance = (list: { key: string; distance: number }[]) => list.map((r) => `${short(r.key)}@${r.distance}`).sort();
const spofKeys = () => new Set(spofs.map((s) => s.key));

describe("the web tier's integration subnet (snet-web-integration)", () => {
  // The three apps integrate into it (virtualNetworkSubnetId) and the plan holds it through its
  // service association link: 4 direct dependents. The gateway reaches both web apps by host name
  // and the dashboard charts the web app: both at 2 hops. The metric alert watches the web app:
  // observability only. Subnets carry no redundancy property: a single point of failure.
  it("takes down the plan, the three apps, the gateway that publishes them and the dashboard", () => {
    const impact = impactOf(graph, keyOf(exp, SUBNET, "snet-web-integration"))!;
    expect(byDistance(impact.impacted)).toEqual(
      [
        "app-api-prod-weu@1",
        "app-web-prod-weu@1",
        "asp-web-prod-weu@1",
        "func-orders-prod-weu@1",
        "agw-prod-weu@2",
        "dash-web-prod-weu@2",
      ].sort(),
    );
    const agw = impact.impacted.find((r) => short(r.key) === "agw-prod-weu")!;
    expect(agw.relations).toEqual(["network", "network"]);
    expect(["app-api-prod-weu", "app-web-prod-weu"]).toContain(short(agw.path[1]!));
    expect(impact.entryPoints.map((r) => [short(r.key), r.entryPoint!.rule]).sort()).toEqual([
      ["agw-prod-weu", "application gateway with a public frontend"],
      ["app-api-prod-weu", "public web app"],
      ["app-web-prod-weu", "public web app"],
      ["func-orders-prod-weu", "public web app"],
    ]);
    expect(byDistance(impact.observability)).toEqual(["alert-app-web-prod-weu-http5xx@2"]);
  });

  it("is a single point of failure with four direct dependents", () => {
    const spof = spofs.find((s) => short(s.key) === "snet-web-integration")!;
    expect(spof).toBeDefined();
    expect(spof.dependents).toBe(4);
    expect(spof.blastRadius).toBe(6);
    expect(spof.entryPoints).toBe(4);
    expect(spof.redundancy).toEqual({ level: "none", evidence: [] });
  });
});

describe("the gateway's subnet (snet-appgw)", () => {
  it("takes down only the application gateway, an entry point; a single point of failure", () => {
    const impact = impactOf(graph, keyOf(exp, SUBNET, "snet-appgw"))!;
    expect(byDistance(impact.impacted)).toEqual(["agw-prod-weu@1"]);
    expect(impact.entryPoints.map((r) => short(r.key))).toEqual(["agw-prod-weu"]);
    expect(spofKeys().has(keyOf(exp, SUBNET, "snet-appgw"))).toBe(true);
  });
});

describe("the primary SQL server (sql-prod-weu)", () => {
  // Its databases, master and failover group are its children (contains); the private endpoint
  // links to it (data). The geo-secondaries name the primary databases (sourceDatabaseId) and the
  // dashboard charts the orders database: 2 hops. No entry point: nothing public reaches SQL in
  // the payloads (apps use connection strings ARM does not return). The failover group pairs it
  // with sql-prod-neu: geo-redundant, so not a single point of failure.
  it("takes down its databases, failover group, private endpoint, the geo-secondaries and the dashboard", () => {
    const impact = impactOf(graph, keyOf(exp, "Microsoft.Sql/servers", "sql-prod-weu"))!;
    expect(byDistance(impact.impacted)).toEqual(
      [
        "fog-contoso-prod@1",
        "master@1",
        "pe-sql-prod-weu@1",
        "sqldb-catalog@1",
        "sqldb-orders@1",
        "sqldb-catalog@2",
        "sqldb-orders@2",
        "dash-web-prod-weu@2",
      ].sort(),
    );
    const secondaries = impact.impacted.filter((r) => r.distance === 2 && r.key.includes("/sql-prod-neu/"));
    expect(secondaries.map((r) => r.relations)).toEqual([
      ["data", "contains"],
      ["data", "contains"],
    ]);
    expect(impact.entryPoints).toEqual([]);
    expect(impact.observability).toEqual([]);
  });

  it("is geo-redundant through its failover group, and so not a single point of failure", () => {
    const key = keyOf(exp, "Microsoft.Sql/servers", "sql-prod-weu");
    const score = scores.find((s) => s.key === key)!;
    expect(score.redundancy.level).toBe("region");
    expect(score.redundancy.evidence).toEqual([
      { rule: "SQL failover group", level: "region", evidence: "failover group fog-contoso-prod: partner sql-prod-neu" },
    ]);
    expect(score.dependents).toBe(5);
    expect(spofKeys().has(key)).toBe(false);
  });
});

describe("the web App Service plan (asp-web-prod-weu)", () => {
  // Three apps run on it (hosting); beyond them the gateway and dashboard, as for the subnet. The
  // plan is zone-redundant with 3 workers: redundant, not a single point of failure. The corporate
  // plan (S1 × 1, not zone-redundant) hosting the intranet app is one.
  it("takes down its three apps, then the gateway and the dashboard", () => {
    const impact = impactOf(graph, keyOf(exp, "Microsoft.Web/serverfarms", "asp-web-prod-weu"))!;
    expect(byDistance(impact.impacted)).toEqual(
      ["app-api-prod-weu@1", "app-web-prod-weu@1", "func-orders-prod-weu@1", "agw-prod-weu@2", "dash-web-prod-weu@2"].sort(),
    );
    expect(impact.impacted.filter((r) => r.distance === 1).every((r) => r.relations[0] === "hosting")).toBe(true);
    expect(impact.entryPoints).toHaveLength(4);
  });

  it("is redundant by zones and instances; the single-instance corporate plan is a single point of failure", () => {
    const web = scores.find((s) => s.key === keyOf(exp, "Microsoft.Web/serverfarms", "asp-web-prod-weu"))!;
    expect(web.redundancy.level).toBe("zone");
    expect(web.redundancy.evidence.map((e) => e.evidence)).toEqual([
      "properties.zoneRedundant = true",
      "sku.capacity = 3",
      "properties.numberOfWorkers = 3",
    ]);
    expect(spofKeys().has(web.key)).toBe(false);
    const corp = keyOf(exp, "Microsoft.Web/serverfarms", "asp-corp-neu");
    expect(spofKeys().has(corp)).toBe(true);
    expect(byDistance(impactOf(graph, corp)!.impacted)).toEqual(["app-intranet-corp@1"]);
  });
});

describe("the production Log Analytics workspace (law-prod-weu)", () => {
  // Only monitoring edges lead to it: both components send to it (one across subscriptions), the
  // apps report to the components (hidden-link), the alert watches the web app.
  it("causes no outage, only observability loss, and is not a single point of failure", () => {
    const key = keyOf(exp, "Microsoft.OperationalInsights/workspaces", "law-prod-weu");
    const impact = impactOf(graph, key)!;
    expect(impact.impacted).toEqual([]);
    expect(byDistance(impact.observability)).toEqual(
      [
        "appi-intranet-corp@1",
        "appi-web-prod-weu@1",
        "app-api-prod-weu@2",
        "app-intranet-corp@2",
        "app-web-prod-weu@2",
        "func-orders-prod-weu@2",
        "alert-app-web-prod-weu-http5xx@3",
      ].sort(),
    );
    expect(spofKeys().has(key)).toBe(false);
  });
});

describe("the single points of failure of the sample", () => {
  it("are exactly the resources with outage dependents and no redundancy evidence, ranked by score", () => {
    const expected = scores.filter((s) => s.dependents > 0 && s.redundancy.evidence.length === 0).map((s) => s.key);
    expect(new Set(spofs.map((s) => s.key))).toEqual(new Set(expected));
    for (let i = 1; i < spofs.length; i++) expect(spofs[i - 1]!.score).toBeGreaterThanOrEqual(spofs[i]!.score);
    // The production vnet carries everything in prod: first.
    expect(short(spofs[0]!.key)).toBe("vnet-prod-weu");
  });

  it("leave out what the payloads show as redundant", () => {
    const keys = spofKeys();
    for (const [type, name] of [
      [SITE, "app-web-prod-weu"],
      ["Microsoft.Network/applicationGateways", "agw-prod-weu"],
      ["Microsoft.Network/networkInterfaces", "nic-vm-intranet-01"],
      ["Microsoft.Compute/virtualMachineScaleSets", "aks-system-31415926-vmss"],
      ["Microsoft.Network/publicIPAddresses", "pip-agw-prod-weu"],
    ] as const) {
      expect(keys.has(keyOf(exp, type, name)), name).toBe(false);
    }
    // The jump host's NIC and the single-zone public IP are single points of failure.
    expect(keys.has(keyOf(exp, "Microsoft.Network/networkInterfaces", "nic-vm-jump-01"))).toBe(true);
    expect(keys.has(keyOf(exp, "Microsoft.Network/publicIPAddresses", "pip-vm-jump-01"))).toBe(true);
  });
});
