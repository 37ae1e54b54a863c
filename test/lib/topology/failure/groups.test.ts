/**
 * Every kind of group the failure model knows, on payloads in their ARM shapes
 * (test/fixtures/failure-groups.ts), run through discovery's normalization and edge inference.
 */
import { describe, expect, it } from "vitest";

import { type FailureAnswer, scenarioAnswer } from "../../../../lib/topology/failure/answer.js";
import { buildFailureModel, type FailureModel } from "../../../../lib/topology/failure/model.js";
import type { FailureSet } from "../../../../lib/topology/failure/scenario.js";
import { buildGraph } from "../../../../lib/topology/graph.js";
import { exportFromPayloads } from "../../../../tools/estates/offline-export.js";
import type { ArmResource } from "../../../../tools/estates/schema.js";
import {
  applicationGatewayPool,
  cosmosRegions,
  frontDoorBackends,
  frontDoorOrigins,
  instanceGroups,
  loadBalancerPool,
  sqlFailover,
  SUB,
  trafficManagerEndpoints,
} from "../../../fixtures/failure-groups.js";

function modelOf(resources: ArmResource[]): FailureModel {
  return buildFailureModel(buildGraph(exportFromPayloads({ subscriptions: [{ subscriptionId: SUB, resources }] }, { runId: "groups" })));
}

const fail = (model: FailureModel, names: string[], set: FailureSet = {}): FailureAnswer => {
  const ids = names.map((n) => {
    const v = model.graph.keys.findIndex((k) => k.endsWith(`/${n}`));
    if (v < 0) throw new Error(`no ${n}`);
    return v;
  });
  return scenarioAnswer(model, ids, set, { limit: 1000 });
};
const status = (a: FailureAnswer, name: string): string | undefined => {
  for (const list of ["down", "degraded", "observability", "unknown"] as const) if (a[list].some((e) => e.name === name)) return list;
  return undefined;
};
const reasonOf = (a: FailureAnswer, name: string) => [...a.down, ...a.degraded, ...a.unknown].find((e) => e.name === name)?.reason;

describe("a load balancer backend pool (NIC ip configurations standing for their VMs)", () => {
  const model = modelOf(loadBalancerPool());
  it("loses one VM: degraded 1 of 2; loses both: down, with its public IP", () => {
    expect(reasonOf(fail(model, ["vm-web-1"]), "lb-web")).toEqual({ kind: "group", group: "backend pool be-web", lost: 1, of: 2, need: 1 });
    const both = fail(model, ["vm-web-1", "vm-web-2"]);
    expect(status(both, "lb-web")).toBe("down");
    expect(status(both, "pip-lb-web")).toBe("down");
  });
  it("survives a zone: the VMs are in zones 1 and 2", () => {
    const a = fail(model, [], { zones: [{ region: "westeurope", zone: "1" }] });
    expect(status(a, "vm-web-1")).toBe("down");
    expect(status(a, "lb-web")).toBe("degraded");
    expect(status(a, "pip-lb-web")).toBe("degraded");
  });
});

describe("an application gateway backend pool addressing web apps by FQDN", () => {
  const model = modelOf(applicationGatewayPool());
  it("is degraded by one app, down with both", () => {
    expect(reasonOf(fail(model, ["app-a"]), "agw")).toEqual({ kind: "group", group: "backend pool appgwpool", lost: 1, of: 2, need: 1 });
    expect(status(fail(model, ["app-a", "app-b"]), "agw")).toBe("down");
  });
});

describe("Traffic Manager endpoints", () => {
  const model = modelOf(trafficManagerEndpoints());
  it("route around one endpoint; the profile is down without any", () => {
    const one = fail(model, ["app-weu"]);
    expect(reasonOf(one, "tm-web")).toEqual({ kind: "group", group: "endpoints", lost: 1, of: 2, need: 1 });
    expect(one.entryPoints.degraded.map((e) => e.name)).toEqual(["tm-web"]);
    expect(status(fail(model, ["app-weu", "app-neu"]), "tm-web")).toBe("down");
  });
  it("is global: a region outage only costs it the endpoint in that region", () => {
    const region = fail(model, [], { regions: ["westeurope"] });
    expect(status(region, "app-weu")).toBe("down");
    expect(reasonOf(region, "tm-web")).toEqual({ kind: "group", group: "endpoints", lost: 1, of: 2, need: 1 });
    expect(status(fail(model, [], { zones: [{ region: "westeurope", zone: "1" }] }), "tm-web")).toBeUndefined();
  });
});

describe("Front Door: a classic backend pool and an AFD origin group", () => {
  const classic = modelOf(frontDoorBackends());
  const afd = modelOf(frontDoorOrigins());
  it("each loses one of two origins degraded, and both down", () => {
    expect(reasonOf(fail(classic, ["app-1"]), "fd-web")).toEqual({
      kind: "group",
      group: "backend pool pool-web",
      lost: 1,
      of: 2,
      need: 1,
    });
    expect(reasonOf(fail(afd, ["app-1"]), "og-web")).toEqual({ kind: "group", group: "origins", lost: 1, of: 2, need: 1 });
    expect(status(fail(classic, ["app-1", "app-2"]), "fd-web")).toBe("down");
    expect(status(fail(afd, ["app-1", "app-2"]), "og-web")).toBe("down");
  });
});

describe("a SQL failover group and a geo-replica", () => {
  const model = modelOf(sqlFailover());
  it("keeps the failover group up (degraded) when the primary server fails, down when both do", () => {
    const primary = fail(model, ["sql-weu"]);
    expect(reasonOf(primary, "fog")).toEqual({ kind: "group", group: "servers", lost: 1, of: 2, need: 1 });
    expect(status(fail(model, ["sql-weu", "sql-neu"]), "fog")).toBe("down");
  });
  it("degrades the geo-secondary when its source is lost, never takes it down", () => {
    const region = fail(model, [], { regions: ["westeurope"] });
    const secondary = region.degraded.find((e) => e.key.includes("/sql-neu/databases/orders"))!;
    expect(secondary.reason).toEqual({ kind: "group", group: "geo-replication source", lost: 1, of: 1, need: 0 });
    expect(status(region, "fog")).toBe("degraded");
  });
});

describe("Cosmos DB regions", () => {
  const model = modelOf(cosmosRegions());
  it("a two-region account loses one region degraded, a zone of its zone-redundant region degraded", () => {
    expect(reasonOf(fail(model, [], { regions: ["westeurope"] }), "cosmos-two")).toEqual({
      kind: "group",
      group: "regions",
      lost: 1,
      of: 2,
      need: 1,
    });
    expect(reasonOf(fail(model, [], { zones: [{ region: "westeurope", zone: "3" }] }), "cosmos-two")).toEqual({
      kind: "group",
      group: "zones of westeurope",
      lost: 1,
      of: 3,
      need: 1,
    });
    expect(status(fail(model, [], { regions: ["westeurope", "northeurope"] }), "cosmos-two")).toBe("down");
  });
  it("a one-region account without zone redundancy is unknown in a zone outage, down in its region's", () => {
    expect(reasonOf(fail(model, [], { zones: [{ region: "westeurope", zone: "1" }] }), "cosmos-one")).toMatchObject({ kind: "placement" });
    expect(status(fail(model, [], { regions: ["westeurope"] }), "cosmos-one")).toBe("down");
  });
});

describe("instance groups within one resource and zone-redundant SKUs", () => {
  const model = modelOf(instanceGroups());
  const zone1 = fail(model, [], { zones: [{ region: "westeurope", zone: "1" }] });
  const zone2 = fail(model, [], { zones: [{ region: "westeurope", zone: "2" }] });
  it("a zone-redundant plan and a three-zone scale set lose a third; a plan of one is unknown", () => {
    expect(reasonOf(zone1, "asp-zr")).toEqual({ kind: "group", group: "zones", lost: 1, of: 3, need: 1 });
    expect(reasonOf(zone1, "vmss")).toEqual({ kind: "group", group: "zones", lost: 1, of: 3, need: 1 });
    expect(status(zone1, "asp-one")).toBe("unknown");
  });
  it("AKS: a user pool without zones makes the cluster unknown; a zonal user pool only degrades it", () => {
    expect(status(zone1, "aks-mixed")).toBe("unknown");
    expect(reasonOf(zone2, "aks-zonal")).toEqual({ kind: "group", group: "node pool zones", lost: 2, of: 4, need: 1 });
    expect(status(zone1, "aks-zonal")).toBe("degraded");
  });
  it("ZRS storage and Premium_ZRS disks lose a zone's share; LRS is unknown", () => {
    expect(status(zone1, "stzrs")).toBe("degraded");
    expect(status(zone1, "disk-zrs")).toBe("degraded");
    expect(reasonOf(zone1, "stlrs")).toMatchObject({ kind: "placement", rule: "locally or geo-redundant storage SKU" });
  });
});
