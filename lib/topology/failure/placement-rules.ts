/**
 * Placement and platform facts, as data: which region and zone or zones a resource lives in, read
 * from its payload, and what Azure keeps redundant by itself. The first rule that decides wins;
 * each names the public page it rests on (./sources.ts, docs/topology.md). A resource no rule can
 * place is `unknown`: reported as such in a zone outage, never assumed safe.
 * Extend the table; keep the code that reads it as is.
 */
import type { ExportResource } from "../export-format.js";
import { valuesAt } from "../property-path.js";
import type { FactSourceKey } from "./sources.js";

/** One node pool of a managed cluster. */
export interface NodePool {
  name: string;
  /** System-mode pools run the cluster's own components: losing every one of them takes it down. */
  system: boolean;
  /** Zones the pool spans; empty when the pool is regional (its nodes may be in any zone). */
  zones: string[];
  count: number;
}

/** What a placement rule decides. */
export type PlacementDecision =
  /** Not in a region: survives zone and region outages. */
  | { kind: "global" }
  /** Regional, and Azure keeps it across the region's zones; `survivesRegion` when it also fails over to another region. */
  | { kind: "platform"; survivesRegion?: boolean }
  /** Pinned to these zones of its region: one zone is zonal, several are zone-redundant. */
  | { kind: "zones"; zones: string[] }
  /** Regional with no zone the payload names. */
  | { kind: "unknown"; detail: string }
  /** Several regions (Cosmos DB locations), each zone-redundant or not. */
  | { kind: "regions"; locations: { region: string; zoneRedundant: boolean }[] }
  | { kind: "nodePools"; pools: NodePool[] }
  /** No placement of its own: it fails with what it depends on (a NIC with its VM, a child with its parent). */
  | { kind: "follows" };

/** One placement rule. */
export interface PlacementRule {
  name: string;
  /** Lower-cased types; `*` for every type. */
  types: readonly string[];
  decide: (resource: ExportResource) => PlacementDecision | undefined;
  source: FactSourceKey;
  /** Configuration rather than a running thing: its deletion is a change risk, its loss not an availability one. */
  configuration?: boolean;
}

/** Zones of a zone-redundant service that does not list them: regions with zones have at least three. */
export const ALL_ZONES: readonly string[] = ["1", "2", "3"];

/** A region name as ARM compares them: "North Europe" is northeurope. */
export const regionName = (location: string): string => location.toLowerCase().replace(/\s+/g, "");

const text = (root: unknown, path: string): string | undefined => {
  const v = valuesAt(root, path)[0]?.value;
  return typeof v === "string" ? v : undefined;
};
const zoneList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((z): z is string => typeof z === "string" && /^\d{1,2}$/.test(z)) : [];
const always = (decision: PlacementDecision) => (): PlacementDecision => decision;

const skuName = (r: ExportResource): string => (typeof r.sku?.name === "string" ? r.sku.name : "");

/** Cosmos DB `properties.locations`: one entry per region, with `isZoneRedundant`. */
function cosmosLocations(r: ExportResource): PlacementDecision | undefined {
  const locations = valuesAt(r, "properties.locations[*]").map((f) => f.value as Record<string, unknown>);
  if (locations.length === 0) return undefined;
  const parsed = locations.map((l) => ({
    region: regionName(typeof l.locationName === "string" ? l.locationName : ""),
    zoneRedundant: l.isZoneRedundant === true,
  }));
  if (parsed.length >= 2) return { kind: "regions", locations: parsed };
  return parsed[0]!.zoneRedundant
    ? { kind: "zones", zones: [...ALL_ZONES] }
    : { kind: "unknown", detail: "properties.locations[0].isZoneRedundant is not true: the account's replicas may all be in one zone" };
}

/** AKS `properties.agentPoolProfiles`: each pool's zones, mode and node count. */
function agentPools(r: ExportResource): PlacementDecision | undefined {
  const pools = valuesAt(r, "properties.agentPoolProfiles[*]").map((f) => f.value as Record<string, unknown>);
  if (pools.length === 0) return undefined;
  return {
    kind: "nodePools",
    pools: pools.map((p) => ({
      name: typeof p.name === "string" ? p.name : "pool",
      system: typeof p.mode === "string" && p.mode.toLowerCase() === "system",
      zones: zoneList(p.availabilityZones),
      count: typeof p.count === "number" ? p.count : 1,
    })),
  };
}

/** A load balancer whose frontends are all public follows its public IPs; internal frontends carry their own zones. */
function balancerFrontends(r: ExportResource): PlacementDecision | undefined {
  const frontends = valuesAt(r, "properties.frontendIPConfigurations[*]").map((f) => f.value);
  if (frontends.length === 0) return undefined;
  const zones = [...new Set(frontends.flatMap((f) => zoneList((f as { zones?: unknown }).zones)))].sort();
  if (zones.length > 0) return { kind: "zones", zones };
  if (frontends.every((f) => valuesAt(f, "properties.publicIPAddress.id").length > 0)) return { kind: "follows" };
  return undefined;
}

const STORAGE = ["microsoft.storage/storageaccounts", "microsoft.compute/disks"];

/** The placement rules TopDeck uses by default, first match wins. */
export const placementRules: readonly PlacementRule[] = [
  {
    name: "DNS zones are global",
    types: ["microsoft.network/privatednszones", "microsoft.network/privatednszones/virtualnetworklinks", "microsoft.network/dnszones"],
    decide: always({ kind: "global" }),
    source: "privateDns",
    configuration: true,
  },
  {
    name: "Front Door and Traffic Manager are global",
    types: [
      "microsoft.network/frontdoors",
      "microsoft.cdn/profiles",
      "microsoft.cdn/profiles/afdendpoints",
      "microsoft.cdn/profiles/afdendpoints/routes",
      "microsoft.cdn/profiles/origingroups",
      "microsoft.cdn/profiles/origingroups/origins",
      "microsoft.network/trafficmanagerprofiles",
    ],
    decide: always({ kind: "global" }),
    source: "frontDoor",
  },
  {
    name: "regional networking spans the region's zones",
    types: [
      "microsoft.network/virtualnetworks",
      "microsoft.network/virtualnetworks/subnets",
      "microsoft.network/virtualnetworks/virtualnetworkpeerings",
      "microsoft.network/networksecuritygroups",
      "microsoft.network/routetables",
      "microsoft.network/applicationsecuritygroups",
      "microsoft.network/networkwatchers",
      "microsoft.network/applicationgatewaywebapplicationfirewallpolicies",
      "microsoft.network/frontdoorwebapplicationfirewallpolicies",
      "microsoft.network/firewallpolicies",
      "microsoft.network/ddosprotectionplans",
    ],
    decide: always({ kind: "platform" }),
    source: "virtualNetwork",
    configuration: true,
  },
  {
    name: "private endpoints are regional Private Link constructs",
    types: ["microsoft.network/privateendpoints"],
    decide: always({ kind: "platform" }),
    source: "privateLink",
  },
  {
    name: "managed identities are backed by Entra ID",
    types: ["microsoft.managedidentity/userassignedidentities"],
    decide: always({ kind: "platform" }),
    source: "managedIdentity",
    configuration: true,
  },
  {
    name: "Key Vault replicates within and across regions",
    types: ["microsoft.keyvault/vaults"],
    decide: always({ kind: "platform", survivesRegion: true }),
    source: "keyVault",
  },
  {
    name: "availability sets and placement groups are placement constraints",
    types: ["microsoft.compute/availabilitysets", "microsoft.compute/proximityplacementgroups"],
    decide: always({ kind: "platform" }),
    source: "availabilitySets",
    configuration: true,
  },
  {
    name: "a NIC is where its VM or endpoint is",
    types: ["microsoft.network/networkinterfaces"],
    decide: always({ kind: "follows" }),
    source: "vmZones",
    configuration: true,
  },
  {
    name: "an app runs on its plan's instances",
    types: ["microsoft.web/sites", "microsoft.web/sites/slots"],
    decide: always({ kind: "follows" }),
    source: "appService",
  },
  {
    name: "a SQL logical server is a logical construct",
    types: ["microsoft.sql/servers"],
    decide: always({ kind: "platform" }),
    source: "sqlServer",
  },
  {
    name: "dashboards, alerts and action groups are metadata",
    types: [
      "microsoft.portal/dashboards",
      "microsoft.insights/metricalerts",
      "microsoft.insights/actiongroups",
      "microsoft.insights/scheduledqueryrules",
      "microsoft.insights/activitylogalerts",
    ],
    decide: always({ kind: "platform" }),
    source: "alerts",
  },
  {
    name: "global location",
    types: ["*"],
    decide: (r) => (r.location !== undefined && regionName(r.location) === "global" ? { kind: "global" } : undefined),
    source: "regions",
  },
  { name: "Cosmos DB locations", types: ["microsoft.documentdb/databaseaccounts"], decide: cosmosLocations, source: "cosmos" },
  { name: "AKS node pools", types: ["microsoft.containerservice/managedclusters"], decide: agentPools, source: "aksZones" },
  {
    name: "zones",
    types: ["*"],
    decide: (r) => {
      const zones = zoneList((r as { zones?: unknown }).zones);
      return zones.length > 0 ? { kind: "zones", zones } : undefined;
    },
    source: "zonesOverview",
  },
  {
    name: "zone-redundant storage SKU",
    types: STORAGE,
    decide: (r) => (/_?(ZRS|GZRS|RAGZRS)$/i.test(skuName(r)) ? { kind: "zones", zones: [...ALL_ZONES] } : undefined),
    source: "storageRedundancy",
  },
  {
    name: "locally or geo-redundant storage SKU",
    types: STORAGE,
    decide: (r) =>
      /_?(LRS|GRS|RAGRS)$/i.test(skuName(r))
        ? {
            kind: "unknown",
            detail: `sku.name = ${skuName(r)}: copies in one datacenter of the primary region, in a zone ARM does not name`,
          }
        : undefined,
    source: "storageRedundancy",
  },
  {
    name: "zone-redundant flag",
    types: ["*"],
    decide: (r) => (valuesAt(r, "properties.zoneRedundant")[0]?.value === true ? { kind: "zones", zones: [...ALL_ZONES] } : undefined),
    source: "zoneSupport",
  },
  {
    name: "SQL database without zone redundancy",
    types: ["microsoft.sql/servers/databases"],
    decide: () => ({ kind: "unknown", detail: "properties.zoneRedundant is not true: the database's replicas may all be in one zone" }),
    source: "sqlZones",
  },
  {
    name: "registry zone redundancy",
    types: ["microsoft.containerregistry/registries"],
    decide: (r) =>
      text(r, "properties.zoneRedundancy")?.toLowerCase() === "enabled" ? { kind: "zones", zones: [...ALL_ZONES] } : undefined,
    source: "containerRegistry",
  },
  {
    name: "flexible server high availability",
    types: ["microsoft.dbforpostgresql/flexibleservers", "microsoft.dbformysql/flexibleservers"],
    decide: (r) => {
      const primary = text(r, "properties.availabilityZone");
      const standby = text(r, "properties.highAvailability.standbyAvailabilityZone");
      if (text(r, "properties.highAvailability.mode")?.toLowerCase() === "zoneredundant")
        return { kind: "zones", zones: primary && standby ? [primary, standby] : [...ALL_ZONES] };
      return primary !== undefined && /^\d+$/.test(primary) ? { kind: "zones", zones: [primary] } : undefined;
    },
    source: "flexibleServer",
  },
  { name: "load balancer frontends", types: ["microsoft.network/loadbalancers"], decide: balancerFrontends, source: "loadBalancerZones" },
];
