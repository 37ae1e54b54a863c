/**
 * Golden scenarios on the sample estate: what a platform engineer would say breaks, resource by
 * resource, zone by zone (docs/sample-estate.md describes the estate, docs/topology.md the model).
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { TopologyExport } from "../../../../lib/topology/export-format.js";
import { type FailureAnswer, scenarioAnswer } from "../../../../lib/topology/failure/answer.js";
import { buildFailureModel, type FailureModel } from "../../../../lib/topology/failure/model.js";
import { type FailureRiskScan, failureRiskScan } from "../../../../lib/topology/failure/risk-scan.js";
import type { FailureSet } from "../../../../lib/topology/failure/scenario.js";
import { buildGraph } from "../../../../lib/topology/graph.js";
import { sampleExport } from "../../../support/sample-export.js";
import { keyOf, short } from "../sample-keys.js";

let exp: TopologyExport;
let model: FailureModel;
let scan: FailureRiskScan;

beforeAll(async () => {
  exp = await sampleExport();
  model = buildFailureModel(buildGraph(exp));
  scan = failureRiskScan(model);
});

const VM = "Microsoft.Compute/virtualMachines";
const node = (type: string, name: string, group?: string): number => model.graph.idOf(keyOf(exp, type, name, group))!;
const run = (ids: number[], set: FailureSet = {}): FailureAnswer => scenarioAnswer(model, ids, set, { limit: 1000 });
const names = (list: { key: string }[]) => list.map((e) => short(e.key)).sort();
const entry = (list: FailureAnswer["down"], name: string) => list.find((e) => short(e.key) === name);

describe("one VM of a two-VM pool", () => {
  // vm-intranet-01 and -02 are the two members of be-intranet: the balancer routes around one.
  it("degrades the balancer (1 of 2 lost) and takes nothing users reach down", () => {
    const answer = run([node(VM, "vm-intranet-01")]);
    expect(names(answer.down)).toEqual(["nic-vm-intranet-01", "vm-intranet-01"]);
    expect(answer.degraded.map((e) => [short(e.key), e.reason])).toEqual([
      ["lb-intranet-corp-neu", { kind: "group", group: "backend pool be-intranet", lost: 1, of: 2, need: 1 }],
    ]);
    expect(answer.totals.entryPointsDown).toBe(0);
    expect(names(answer.entryPoints.degraded)).toEqual(["lb-intranet-corp-neu"]);
  });

  it("both VMs down take the balancer and its public IP down, the pool named as the reason", () => {
    const answer = run([node(VM, "vm-intranet-01"), node(VM, "vm-intranet-02")]);
    const lb = entry(answer.down, "lb-intranet-corp-neu")!;
    expect(lb.reason).toEqual({ kind: "group", group: "backend pool be-intranet", lost: 2, of: 2, need: 1 });
    expect(names(answer.entryPoints.down)).toEqual(["lb-intranet-corp-neu", "pip-lb-intranet-corp-neu"]);
  });
});

describe("the only VM of a pool", () => {
  // vm-reports-01 is be-reports' one member: its NIC stands for it, the pool empties, the balancer
  // and the public IP that serves it go down. Before the failure model, a VM's blast radius was empty.
  it("takes the balancer and its public IP down, with the path through the NIC", () => {
    const answer = run([node(VM, "vm-reports-01")]);
    expect(answer.down.map((e) => `${short(e.key)}@${e.distance}`)).toEqual([
      "vm-reports-01@0",
      "nic-vm-reports-01@1",
      "lb-reports-corp-neu@2",
      "pip-lb-reports-corp-neu@3",
    ]);
    expect(entry(answer.down, "nic-vm-reports-01")!.reason).toEqual({
      kind: "path",
      path: [keyOf(exp, "Microsoft.Network/networkInterfaces", "nic-vm-reports-01"), keyOf(exp, VM, "vm-reports-01")],
      relations: ["stands-for"],
    });
    expect(entry(answer.down, "lb-reports-corp-neu")!.reason).toEqual({
      kind: "group",
      group: "backend pool be-reports",
      lost: 1,
      of: 1,
      need: 1,
    });
    expect(answer.totals).toMatchObject({ down: 4, entryPointsDown: 2, degraded: 0 });
    expect(answer.entryPoints.down.map((e) => e.entryPoint?.rule)).toEqual(["public load balancer", "public IP address"]);
  });

  it("is a single point of failure", () => {
    expect(scan.singlePointsOfFailure.find((s) => s.name === "vm-reports-01")).toMatchObject({
      entryPointsDown: 2,
      down: 3,
      placement: { kind: "zones", region: "northeurope", zones: ["2"] },
    });
    expect(scan.singlePointsOfFailure.some((s) => s.name === "vm-intranet-01")).toBe(false);
  });
});

describe("a zone-redundant plan in a zone outage", () => {
  // asp-web-prod-weu is P1v3 × 3 with zoneRedundant: losing westeurope zone 1 costs it one zone of three.
  it("survives degraded; its apps and the gateway in front of them stay up", () => {
    const answer = run([], { zones: [{ region: "westeurope", zone: "1" }] });
    expect(entry(answer.degraded, "asp-web-prod-weu")!.reason).toEqual({ kind: "group", group: "zones", lost: 1, of: 3, need: 1 });
    expect(answer.down).toEqual([]);
    for (const app of ["app-web-prod-weu", "app-api-prod-weu", "func-orders-prod-weu", "agw-prod-weu"]) {
      expect(entry(answer.down, app)).toBeUndefined();
      expect(entry(answer.unknown, app)).toBeUndefined();
    }
    expect(names(answer.entryPoints.degraded)).toEqual(["8dd20be6-9a1d-46bc-b4b8-974e5832c3ac", "agw-prod-weu", "pip-agw-prod-weu"]);
  });

  it("the plan alone failing takes its three apps and the gateway that publishes them down", () => {
    const answer = run([node("Microsoft.Web/serverfarms", "asp-web-prod-weu")]);
    expect(names(answer.entryPoints.down)).toEqual([
      "agw-prod-weu",
      "app-api-prod-weu",
      "app-web-prod-weu",
      "func-orders-prod-weu",
      "pip-agw-prod-weu",
    ]);
    expect(entry(answer.down, "agw-prod-weu")!.reason).toMatchObject({ kind: "group", group: "backend pool pool-api", lost: 1, of: 1 });
  });
});

describe("a zonal disk's VM in its zone's outage", () => {
  // vm-jump-01 and its OS disk are pinned to northeurope zone 1; its public IP serves it.
  it("is down with its disk, and the jump host's public IP with them", () => {
    const answer = run([], { zones: [{ region: "northeurope", zone: "1" }] });
    expect(names(answer.down).map((n) => n.replace(/_osdisk.*$/, "_osdisk"))).toEqual([
      "nic-vm-jump-01",
      "pip-vm-jump-01",
      "vm-jump-01",
      "vm-jump-01_osdisk",
    ]);
    expect(entry(answer.down, "vm-jump-01")!.reason).toEqual({
      kind: "failed",
      cause: { kind: "zone", region: "northeurope", zones: ["1"] },
    });
    expect(names(answer.entryPoints.down)).toEqual(["pip-vm-jump-01"]);
  });

  it("the disk alone failing takes the VM down through its storage profile", () => {
    const disk = model.graph.keys.findIndex((k) => /vm-jump-01_osdisk/.test(k));
    const vm = entry(run([disk]).down, "vm-jump-01")!;
    expect(vm.reason).toMatchObject({ kind: "path", relations: ["hosting"] });
  });
});

describe("a region outage", () => {
  it("westeurope takes the web tier, AKS and the primary data down; what replicates elsewhere is degraded", () => {
    const answer = run([], { regions: ["westeurope"] });
    expect(names(answer.entryPoints.down)).toEqual([
      "8dd20be6-9a1d-46bc-b4b8-974e5832c3ac",
      "agw-prod-weu",
      "app-api-prod-weu",
      "app-web-prod-weu",
      "func-orders-prod-weu",
      "pip-agw-prod-weu",
    ]);
    expect(entry(answer.degraded, "cosmos-sessions-prod")!.reason).toEqual({ kind: "group", group: "regions", lost: 1, of: 2, need: 1 });
    expect(entry(answer.degraded, "kv-contoso-prod-weu")!.reason).toMatchObject({ kind: "group", group: "regions", lost: 1 });
    // The North Europe geo-secondaries lose their source: replication, not service.
    const secondaries = answer.degraded.filter((e) => e.key.includes("/sql-prod-neu/"));
    expect(secondaries.map((e) => e.reason)).toEqual([
      { kind: "group", group: "geo-replication source", lost: 1, of: 1, need: 0 },
      { kind: "group", group: "geo-replication source", lost: 1, of: 1, need: 0 },
    ]);
    // Corporate runs in North Europe: only its telemetry, sent to law-prod-weu, is lost.
    expect(names(answer.observability)).toEqual(["alert-app-web-prod-weu-http5xx", "app-intranet-corp", "appi-intranet-corp"]);
    expect(answer.down.some((e) => e.key.includes("/rg-corp-"))).toBe(false);
    // The workspace outside the estate cannot be placed.
    expect(names(answer.unknown)).toEqual(["law-platform-central"]);
  });
});

describe("an LRS storage account in a zone outage", () => {
  it("is unknown, with the SKU as the reason, never silently safe", () => {
    const answer = run([], { zones: [{ region: "westeurope", zone: "2" }] });
    const diag = entry(answer.unknown, "stcontosodiagprodweu")!;
    expect(diag.reason).toMatchObject({ kind: "placement", rule: "locally or geo-redundant storage SKU" });
    expect((diag.reason as { detail: string }).detail).toMatch(/Standard_LRS/);
    expect(entry(answer.degraded, "stcontosowebprodweu")).toBeDefined();
  });
});

describe("a private DNS zone", () => {
  it("failing takes its vnet link down, and it is change risk, not a single point of failure", () => {
    const zone = node("Microsoft.Network/privateDnsZones", "privatelink.database.windows.net");
    expect(names(run([zone]).down)).toEqual(["link-vnet-prod-weu", "privatelink.database.windows.net"]);
    expect(scan.singlePointsOfFailure.some((s) => s.type === "microsoft.network/privatednszones")).toBe(false);
    expect(scan.changeRisk.find((c) => c.name === "privatelink.database.windows.net")).toMatchObject({ down: 1, entryPointsDown: 0 });
    expect(run([], { zones: [{ region: "westeurope", zone: "1" }] }).unknown.some((e) => e.type.includes("privatednszones"))).toBe(false);
  });
});

describe("single points of failure, redefined", () => {
  it("lists only resources without redundancy of their own whose failure takes an entry point down", () => {
    expect(scan.singlePointsOfFailure.map((s) => [s.name.replace(/_osdisk.*$/i, "_osdisk"), s.entryPointsDown, s.down])).toEqual([
      ["vm-reports-01_osdisk", 2, 4],
      ["vm-reports-01", 2, 3],
      ["vm-jump-01_osdisk", 1, 3],
      ["vm-jump-01", 1, 2],
      ["pip-vm-jump-01", 1, 2],
      ["asp-corp-neu", 1, 1],
      ["app-intranet-corp", 1, 0],
    ]);
  });

  it("reports networks, NSGs, route tables, identities and NICs apart as change risk", () => {
    const types = new Set(scan.changeRisk.map((c) => c.type));
    for (const t of [
      "microsoft.network/virtualnetworks",
      "microsoft.network/networksecuritygroups",
      "microsoft.network/routetables",
      "microsoft.managedidentity/userassignedidentities",
      "microsoft.network/networkinterfaces",
    ])
      expect(types).toContain(t);
    expect(scan.changeRisk[0]).toMatchObject({ name: "vnet-prod-weu", entryPointsDown: 6 });
  });

  it("exposes every zone of both regions; zone 2 of northeurope takes the reports balancer down", () => {
    expect(scan.zones.map((z) => `${z.region}/${z.zone}`)).toEqual([
      "northeurope/1",
      "northeurope/2",
      "northeurope/3",
      "westeurope/1",
      "westeurope/2",
      "westeurope/3",
    ]);
    expect(scan.zones[1]!.entryPointsDown.map((e) => e.name)).toEqual(["lb-reports-corp-neu", "pip-lb-reports-corp-neu"]);
    expect(scan.zones.filter((z) => z.region === "westeurope").every((z) => z.totals.entryPointsDown === 0)).toBe(true);
  });
});
