import { beforeAll, describe, expect, it } from "vitest";

import { property } from "../../../lib/topology/checks.js";
import type { ExportResource, TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { redundancyOf } from "../../../lib/topology/redundancy.js";
import { redundancyRules } from "../../../lib/topology/redundancy-rules.js";
import { sampleExport } from "../../support/sample-export.js";
import { keyOf } from "./sample-keys.js";
import { k, smallExport, thing } from "./small-graphs.js";

let exp: TopologyExport;
let graph: TopologyGraph;
beforeAll(async () => {
  exp = await sampleExport();
  graph = buildGraph(exp);
});

/** [level, rule names] of a sample resource. */
const of = (type: string, name: string, group?: string) => {
  const r = redundancyOf(graph, keyOf(exp, type, name, group))!;
  return [r.level, r.evidence.map((e) => e.rule)];
};

describe("redundancy rules on the sample estate's payloads", () => {
  it("reads zones arrays and zone-redundant flags", () => {
    expect(of("Microsoft.Network/applicationGateways", "agw-prod-weu")).toEqual(["zone", ["zones", "autoscale minimum"]]);
    expect(of("Microsoft.Network/publicIPAddresses", "pip-agw-prod-weu")).toEqual(["zone", ["zones"]]);
    // One zone is a zonal resource, not a zone-redundant one.
    expect(of("Microsoft.Network/publicIPAddresses", "pip-vm-jump-01")).toEqual(["none", []]);
    expect(of("Microsoft.Compute/virtualMachines", "vm-jump-01")).toEqual(["none", []]);
    expect(of("Microsoft.ServiceBus/Namespaces", "sb-orders-prod-weu")).toEqual(["zone", ["zone-redundant flag"]]);
    expect(of("Microsoft.ContainerRegistry/registries", "crcontosoprodweu")).toEqual(["zone", ["registry zone redundancy"]]);
  });

  it("reads instance counts and capacity, and sites inherit their plan's", () => {
    expect(of("Microsoft.Web/serverfarms", "asp-web-prod-weu")).toEqual(["zone", ["zone-redundant flag", "instances", "workers"]]);
    expect(of("Microsoft.Web/serverfarms", "asp-corp-neu")).toEqual(["none", []]);
    expect(of("Microsoft.Web/sites", "func-orders-prod-weu")).toEqual(["zone", ["hosting plan zones", "hosting plan instances"]]);
    expect(of("Microsoft.Web/sites", "app-intranet-corp")).toEqual(["none", []]);
    const site = redundancyOf(graph, keyOf(exp, "Microsoft.Web/sites", "app-web-prod-weu"))!;
    expect(site.evidence[0]!.evidence).toBe("runs on plan asp-web-prod-weu: properties.zoneRedundant = true");
  });

  it("reads AKS node pool counts and zones, and scale set capacity", () => {
    const aks = redundancyOf(graph, keyOf(exp, "Microsoft.ContainerService/managedClusters", "aks-prod-weu"))!;
    expect(aks.level).toBe("zone");
    expect(aks.evidence.map((e) => e.evidence)).toEqual([
      "agentPoolProfiles[*].availabilityZones: every pool of 2 spans 3 or more zones",
      "agentPoolProfiles[*].count = [3,4] (every pool 2 or more nodes)",
    ]);
    expect(of("Microsoft.Compute/virtualMachineScaleSets", "aks-user-31415926-vmss")).toEqual([
      "zone",
      ["zones", "instances", "load balancer backend members"],
    ]);
  });

  it("reads replicas, geo-replication and failover groups", () => {
    expect(of("Microsoft.Cache/Redis", "redis-web-prod-weu")).toEqual([
      "region",
      ["zones", "cache replica", "cache tier with replica", "cache geo-replication"],
    ]);
    expect(of("Microsoft.Sql/servers", "sql-prod-weu")).toEqual(["region", ["SQL failover group"]]);
    expect(of("Microsoft.Sql/servers", "sql-prod-neu")).toEqual(["region", ["SQL failover group"]]);
    expect(of("Microsoft.Sql/servers/databases", "sqldb-orders", "rg-data-prod")).toEqual([
      "region",
      ["zone-redundant flag", "database built-in replicas", "SQL database in a failover group", "SQL database geo-secondary"],
    ]);
    expect(of("Microsoft.Sql/servers/databases", "sqldb-catalog", "rg-data-prod")).toEqual([
      "region",
      ["SQL database in a failover group", "SQL database geo-secondary"],
    ]);
    expect(of("Microsoft.Sql/servers/databases", "sqldb-catalog", "rg-data-dr-neu")).toEqual([
      "region",
      ["SQL database is a geo-secondary"],
    ]);
    expect(of("Microsoft.Sql/servers/databases", "master", "rg-data-prod")).toEqual(["none", []]);
  });

  it("reads storage SKU names", () => {
    expect(of("Microsoft.Storage/storageAccounts", "stfuncordersprodweu")).toEqual(["none", []]);
    expect(of("Microsoft.Storage/storageAccounts", "stcontosowebprodweu")).toEqual(["zone", ["storage zone-redundant SKU"]]);
    expect(of("Microsoft.Storage/storageAccounts", "stcontosodataprodweu")).toEqual(["region", ["storage geo-redundant SKU"]]);
    expect(of("Microsoft.Storage/storageAccounts", "stcorpbootdiagneu")).toEqual(["region", ["storage geo-redundant SKU"]]);
    // Premium_LRS managed disks.
    expect(of("Microsoft.Compute/disks", "vm-intranet-01-data-01")).toEqual(["none", []]);
  });

  it("reads Cosmos DB regions: one zone-redundant region is not multi-region", () => {
    expect(of("Microsoft.DocumentDB/databaseAccounts", "cosmos-sessions-prod")).toEqual([
      "region",
      ["Cosmos DB regions", "Cosmos DB zone-redundant region"],
    ]);
    expect(of("Microsoft.DocumentDB/databaseAccounts", "cosmos-catalog-prod-weu")).toEqual(["zone", ["Cosmos DB zone-redundant region"]]);
  });

  it("reads backend pool members, availability sets and load balancer frontends", () => {
    const nic = redundancyOf(graph, keyOf(exp, "Microsoft.Network/networkInterfaces", "nic-vm-intranet-02"))!;
    expect(nic).toEqual({
      level: "instance",
      evidence: [
        {
          rule: "load balancer backend members",
          level: "instance",
          evidence: "load balancer lb-intranet-corp-neu: 1 of 2 members of backend pool be-intranet",
        },
      ],
    });
    expect(of("Microsoft.Network/networkInterfaces", "nic-vm-jump-01")).toEqual(["none", []]);
    expect(of("Microsoft.Compute/virtualMachines", "vm-intranet-01")).toEqual(["instance", ["availability set"]]);
    expect(of("Microsoft.Network/loadBalancers", "lb-intranet-corp-neu")).toEqual(["zone", ["load balancer zone-redundant public IP"]]);
    // Key Vault: nothing in its payload speaks of redundancy.
    expect(of("Microsoft.KeyVault/vaults", "kv-contoso-prod-weu")).toEqual(["none", []]);
  });
});

describe("redundancy rules on ARM shapes the sample does not have", () => {
  const one = (resource: ExportResource, others: ExportResource[] = [], edges: [string, string][] = []) => {
    const g = buildGraph(
      smallExport(
        [],
        edges.map(([f, t]) => [f, t, "reference"] as const),
        [resource, ...others],
      ),
    );
    const r = redundancyOf(g, resource.key)!;
    return [r.level, r.evidence.map((e) => e.evidence)];
  };

  it("storage GZRS and disks ZRS", () => {
    expect(one(thing("st", { type: "Microsoft.Storage/storageAccounts", sku: { name: "Standard_RAGZRS" } }))).toEqual([
      "region",
      ['sku.name = "Standard_RAGZRS"', 'sku.name = "Standard_RAGZRS"'],
    ]);
    expect(one(thing("d", { type: "Microsoft.Compute/disks", sku: { name: "Premium_ZRS" } }))).toEqual([
      "zone",
      ['sku.name = "Premium_ZRS"'],
    ]);
  });

  it("Cosmos DB multi-region writes, flexible server HA, container app replicas", () => {
    expect(
      one(
        thing("c", {
          type: "Microsoft.DocumentDB/databaseAccounts",
          properties: { locations: [{ locationName: "West Europe" }], enableMultipleWriteLocations: true },
        }),
      ),
    ).toEqual(["region", ["properties.enableMultipleWriteLocations = true"]]);
    expect(
      one(
        thing("pg", {
          type: "Microsoft.DBforPostgreSQL/flexibleServers",
          properties: { highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" } },
        }),
      ),
    ).toEqual(["zone", ['properties.highAvailability.mode = "ZoneRedundant"']]);
    expect(
      one(thing("my", { type: "Microsoft.DBforMySQL/flexibleServers", properties: { highAvailability: { mode: "Disabled" } } })),
    ).toEqual(["none", []]);
    expect(
      one(thing("ca", { type: "Microsoft.App/containerApps", properties: { template: { scale: { minReplicas: 2, maxReplicas: 10 } } } })),
    ).toEqual(["instance", ["properties.template.scale.minReplicas = 2"]]);
    expect(one(thing("ca1", { type: "Microsoft.App/containerApps", properties: { template: { scale: { minReplicas: 1 } } } }))).toEqual([
      "none",
      [],
    ]);
  });

  it("capacity counts instances only for types where it does", () => {
    // Redis Basic: capacity is a size, and the tier has no replica.
    expect(one(thing("r", { type: "Microsoft.Cache/Redis", properties: { sku: { name: "Basic", family: "C", capacity: 2 } } }))).toEqual([
      "none",
      [],
    ]);
    expect(
      one(thing("vmss", { type: "Microsoft.Compute/virtualMachineScaleSets", sku: { name: "Standard_D2s_v5", capacity: 1 } })),
    ).toEqual(["none", []]);
    expect(
      one(
        thing("apim", {
          type: "Microsoft.ApiManagement/service",
          sku: { name: "Premium", capacity: 2 },
          properties: { additionalLocations: [{ location: "North Europe" }] },
        }),
      ),
    ).toEqual(["region", ["sku.capacity = 2", "properties.additionalLocations = 1 items"]]);
  });

  it("AKS with a one-node pool has no instance redundancy", () => {
    expect(
      one(
        thing("aks", {
          type: "Microsoft.ContainerService/managedClusters",
          properties: {
            agentPoolProfiles: [
              { name: "system", count: 3, mode: "System" },
              { name: "user", count: 1, mode: "User" },
            ],
          },
        }),
      ),
    ).toEqual(["none", []]);
  });

  it("AKS whose user pool has no zones is not zone-redundant, though its system pool spans three", () => {
    const pools = [
      { name: "system", count: 3, mode: "System", availabilityZones: ["1", "2", "3"] },
      { name: "user", count: 1, mode: "User" },
    ];
    expect(one(thing("aks", { type: "Microsoft.ContainerService/managedClusters", properties: { agentPoolProfiles: pools } }))).toEqual([
      "none",
      [],
    ]);
    const zoned = pools.map((p) => ({ ...p, availabilityZones: ["1", "2", "3"] }));
    expect(one(thing("aks", { type: "Microsoft.ContainerService/managedClusters", properties: { agentPoolProfiles: zoned } }))).toEqual([
      "zone",
      ["agentPoolProfiles[*].availabilityZones: every pool of 2 spans 3 or more zones"],
    ]);
  });

  it("a site behind a gateway pool of two addresses, and a registry with a replication", () => {
    const site = thing("web1", { type: "Microsoft.Web/sites", properties: { hostNames: ["web1.azurewebsites.net"] } });
    const gw = thing("gw", {
      type: "Microsoft.Network/applicationGateways",
      properties: {
        backendAddressPools: [
          { name: "pool", properties: { backendAddresses: [{ fqdn: "WEB1.azurewebsites.net" }, { fqdn: "web2.azurewebsites.net" }] } },
        ],
      },
    });
    expect(one(site, [gw], [["gw", "web1"]])).toEqual(["instance", ["application gateway gw: 1 of 2 addresses of backend pool pool"]]);
    const acr = thing("cr", { type: "Microsoft.ContainerRegistry/registries" });
    const replication: ExportResource = {
      ...thing("x"),
      key: `${k("cr")}/replications/northeurope`,
      type: "Microsoft.ContainerRegistry/registries/replications",
      name: "northeurope",
    };
    const g = buildGraph({
      resources: [acr, replication],
      edges: [{ from: replication.key, to: acr.key, relation: "contains", via: "id" }],
    });
    expect(redundancyOf(g, acr.key)!.level).toBe("region");
  });

  it("extends by adding a row to the table", () => {
    const vault = thing("kv", { type: "Microsoft.KeyVault/vaults", properties: { sku: { name: "premium" } } });
    const g = buildGraph(smallExport([], [], [vault]));
    expect(redundancyOf(g, vault.key)!.level).toBe("none");
    const rules = [
      ...redundancyRules,
      {
        name: "premium vault",
        types: ["microsoft.keyvault/vaults"],
        level: "zone" as const,
        check: property("properties.sku.name", { test: (v) => v === "premium" }),
      },
    ];
    expect(redundancyOf(g, vault.key, rules)).toEqual({
      level: "zone",
      evidence: [{ rule: "premium vault", level: "zone", evidence: 'properties.sku.name = "premium"' }],
    });
  });
});
