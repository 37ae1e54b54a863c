/**
 * Redundancy, as data: what a resource's properties (and, where Azure keeps the fact on a
 * neighbour, the neighbour's) say about surviving the loss of one instance, zone or region.
 * Each rule returns the evidence it found. Extend the table; keep the code that reads it as is.
 *
 * Nothing is assumed from a type alone: a resource whose payload says nothing is not redundant.
 */
import {
  atLeast,
  type Check,
  dependency,
  dependent,
  every,
  isTrue,
  matches,
  minItems,
  oneOf,
  property,
  type RuleContext,
  type ValueTest,
} from "./checks.js";
import type { ExportResource } from "./export-format.js";
import { canonicalKey } from "./ids.js";
import { valuesAt } from "./property-path.js";

/** How much a resource survives: several instances, several zones, several regions. */
export type RedundancyLevel = "none" | "instance" | "zone" | "region";

/** One redundancy rule. */
export interface RedundancyRule {
  name: string;
  /** Lower-cased types the rule applies to; `*` for every type. */
  types: readonly string[];
  level: Exclude<RedundancyLevel, "none">;
  check: Check;
}

const SQL_SERVER = "microsoft.sql/servers";
const SQL_DATABASE = "microsoft.sql/servers/databases";
const FAILOVER_GROUP = "microsoft.sql/servers/failovergroups";

const twoOrMore: ValueTest = atLeast(2);

/** The string at `path`, or `fallback`. */
const textAt = (root: unknown, path: string, fallback: string): string => {
  const value = valuesAt(root, path)[0]?.value;
  return typeof value === "string" ? value : fallback;
};

/** A failover group pairs its server with at least one partner. */
const failoverGroupWithPartner = (group: ExportResource): string | undefined => {
  const partners = valuesAt(group, "properties.partnerServers[*].id").map((f) => String(f.value).split("/").at(-1));
  return partners.length > 0 ? `partner ${partners.join(", ")}` : undefined;
};

/** A failover group that lists this database. */
const failoverGroupListing = (group: ExportResource, db: ExportResource): string | undefined =>
  valuesAt(group, "properties.databases[*]").some((f) => typeof f.value === "string" && canonicalKey(f.value) === db.key)
    ? "lists it in properties.databases"
    : undefined;

/** A database whose `sourceDatabaseId` is this one: a geo-secondary. */
const geoSecondaryOf = (other: ExportResource, db: ExportResource): string | undefined => {
  const source = valuesAt(other, "properties.sourceDatabaseId")[0]?.value;
  return typeof source === "string" && canonicalKey(source) === db.key
    ? `properties.sourceDatabaseId names it (${textAt(other, "properties.secondaryType", "secondary")})`
    : undefined;
};

/**
 * Membership of a load balancer's backend pool with two or more members (a NIC or scale set that
 * the balancer can route around), read from the balancer's pools.
 */
const lbPoolMember = (lb: ExportResource, member: ExportResource, context: RuleContext): string | undefined => {
  for (const pool of valuesAt(lb, "properties.backendAddressPools[*]")) {
    const refs = [
      ...valuesAt(pool.value, "properties.backendIPConfigurations[*].id"),
      ...valuesAt(pool.value, "properties.loadBalancerBackendAddresses[*].properties.networkInterfaceIPConfiguration.id"),
    ];
    const members = new Set(refs.map((f) => (typeof f.value === "string" ? (context.resolve(f.value) ?? canonicalKey(f.value)) : "")));
    for (const a of valuesAt(pool.value, "properties.loadBalancerBackendAddresses[*].properties.ipAddress"))
      members.add(`ip:${String(a.value)}`);
    members.delete("");
    const name = textAt(pool.value, "name", "pool");
    if (members.has(member.key) && members.size >= 2) return `1 of ${members.size} members of backend pool ${name}`;
  }
  return undefined;
};

/** Membership of an application gateway backend pool with two or more addresses, matched by host name. */
const gatewayPoolMember = (gateway: ExportResource, site: ExportResource): string | undefined => {
  const hostNames = new Set(valuesAt(site, "properties.hostNames[*]").map((f) => String(f.value).toLowerCase()));
  for (const pool of valuesAt(gateway, "properties.backendAddressPools[*]")) {
    const addresses = valuesAt(pool.value, "properties.backendAddresses[*]").map((f) => f.value as Record<string, unknown>);
    const mine = addresses.some((a) => typeof a.fqdn === "string" && hostNames.has(a.fqdn.toLowerCase()));
    if (mine && addresses.length >= 2) return `1 of ${addresses.length} addresses of backend pool ${textAt(pool.value, "name", "pool")}`;
  }
  return undefined;
};

/** An availability set that holds two or more virtual machines. */
const availabilitySetOfTwo = property("properties.virtualMachines", minItems(2));

const poolCounts = (values: unknown[]): string => `agentPoolProfiles[*].count = ${JSON.stringify(values)} (every pool 2 or more nodes)`;
/**
 * Every node pool spans two or more zones. A pool without `availabilityZones` is regional (its
 * nodes may all be in one zone), so it fails the rule rather than being skipped.
 */
const everyPoolAcrossZones: Check = (resource) => {
  const pools = valuesAt(resource, "properties.agentPoolProfiles[*]").map((f) => f.value as Record<string, unknown>);
  if (pools.length === 0) return undefined;
  const zones = pools.map((p) => (Array.isArray(p.availabilityZones) ? p.availabilityZones.length : 0));
  return zones.every((z) => z >= 2)
    ? `agentPoolProfiles[*].availabilityZones: every pool of ${pools.length} spans ${Math.min(...zones)} or more zones`
    : undefined;
};

/** The redundancy rules TopDeck uses by default, most specific first within a type. */
export const redundancyRules: readonly RedundancyRule[] = [
  // Zones, wherever ARM keeps them.
  { name: "zones", types: ["*"], level: "zone", check: property("zones", minItems(2)) },
  { name: "zone-redundant flag", types: ["*"], level: "zone", check: property("properties.zoneRedundant", isTrue) },
  {
    name: "registry zone redundancy",
    types: ["microsoft.containerregistry/registries"],
    level: "zone",
    check: property("properties.zoneRedundancy", oneOf("Enabled")),
  },
  {
    name: "load balancer frontend zones",
    types: ["microsoft.network/loadbalancers"],
    level: "zone",
    check: property("properties.frontendIPConfigurations[*].zones", minItems(2)),
  },
  {
    name: "load balancer zone-redundant public IP",
    types: ["microsoft.network/loadbalancers"],
    level: "zone",
    check: dependency("microsoft.network/publicipaddresses", "frontend public IP", property("zones", minItems(2))),
  },
  {
    name: "global public IP",
    types: ["microsoft.network/publicipaddresses"],
    level: "region",
    check: property("sku.tier", oneOf("Global")),
  },

  // Instance counts and capacity, where capacity counts instances.
  {
    name: "instances",
    types: [
      "microsoft.web/serverfarms",
      "microsoft.compute/virtualmachinescalesets",
      "microsoft.network/applicationgateways",
      "microsoft.apimanagement/service",
    ],
    level: "instance",
    check: property("sku.capacity", twoOrMore),
  },
  { name: "workers", types: ["microsoft.web/serverfarms"], level: "instance", check: property("properties.numberOfWorkers", twoOrMore) },
  {
    name: "autoscale minimum",
    types: ["microsoft.network/applicationgateways"],
    level: "instance",
    check: property("properties.autoscaleConfiguration.minCapacity", twoOrMore),
  },
  {
    name: "container app replicas",
    types: ["microsoft.app/containerapps"],
    level: "instance",
    check: property("properties.template.scale.minReplicas", twoOrMore),
  },
  { name: "node pools across zones", types: ["microsoft.containerservice/managedclusters"], level: "zone", check: everyPoolAcrossZones },
  {
    name: "node pool counts",
    types: ["microsoft.containerservice/managedclusters"],
    level: "instance",
    check: every("properties.agentPoolProfiles[*].count", twoOrMore, poolCounts),
  },
  {
    name: "availability set",
    types: ["microsoft.compute/virtualmachines"],
    level: "instance",
    check: dependency("microsoft.compute/availabilitysets", "in availability set", availabilitySetOfTwo),
  },
  {
    name: "hosting plan zones",
    types: ["microsoft.web/sites"],
    level: "zone",
    check: dependency("microsoft.web/serverfarms", "runs on plan", property("properties.zoneRedundant", isTrue)),
  },
  {
    name: "hosting plan instances",
    types: ["microsoft.web/sites"],
    level: "instance",
    check: dependency("microsoft.web/serverfarms", "runs on plan", property("sku.capacity", twoOrMore)),
  },
  {
    name: "load balancer backend members",
    types: ["microsoft.network/networkinterfaces", "microsoft.compute/virtualmachinescalesets", "microsoft.compute/virtualmachines"],
    level: "instance",
    check: dependent("microsoft.network/loadbalancers", "load balancer", lbPoolMember),
  },
  {
    name: "application gateway backend members",
    types: ["microsoft.web/sites"],
    level: "instance",
    check: dependent("microsoft.network/applicationgateways", "application gateway", gatewayPoolMember),
  },

  // Replicas.
  {
    name: "cache replica",
    types: ["microsoft.cache/redis"],
    level: "instance",
    check: property("properties.replicasPerMaster", atLeast(1)),
  },
  {
    name: "cache tier with replica",
    types: ["microsoft.cache/redis"],
    level: "instance",
    check: property("properties.sku.name", oneOf("Standard", "Premium")),
  },
  {
    name: "database built-in replicas",
    types: [SQL_DATABASE],
    level: "instance",
    check: property("sku.tier", oneOf("BusinessCritical", "Premium")),
  },
  {
    name: "database high-availability replicas",
    types: [SQL_DATABASE],
    level: "instance",
    check: property("properties.highAvailabilityReplicaCount", atLeast(1)),
  },
  {
    name: "flexible server zone-redundant HA",
    types: ["microsoft.dbforpostgresql/flexibleservers", "microsoft.dbformysql/flexibleservers"],
    level: "zone",
    check: property("properties.highAvailability.mode", oneOf("ZoneRedundant")),
  },
  {
    name: "flexible server same-zone HA",
    types: ["microsoft.dbforpostgresql/flexibleservers", "microsoft.dbformysql/flexibleservers"],
    level: "instance",
    check: property("properties.highAvailability.mode", oneOf("SameZone")),
  },

  // Other regions: geo-replication and failover groups.
  {
    name: "storage zone-redundant SKU",
    types: ["microsoft.storage/storageaccounts", "microsoft.compute/disks"],
    level: "zone",
    check: property("sku.name", matches(/_(ZRS|GZRS|RAGZRS)$/i)),
  },
  {
    name: "storage geo-redundant SKU",
    types: ["microsoft.storage/storageaccounts"],
    level: "region",
    check: property("sku.name", matches(/_(GRS|RAGRS|GZRS|RAGZRS)$/i)),
  },
  {
    name: "Cosmos DB regions",
    types: ["microsoft.documentdb/databaseaccounts"],
    level: "region",
    check: property("properties.locations", minItems(2)),
  },
  {
    name: "Cosmos DB multi-region writes",
    types: ["microsoft.documentdb/databaseaccounts"],
    level: "region",
    check: property("properties.enableMultipleWriteLocations", isTrue),
  },
  {
    name: "Cosmos DB zone-redundant region",
    types: ["microsoft.documentdb/databaseaccounts"],
    level: "zone",
    check: property("properties.locations[*].isZoneRedundant", isTrue),
  },
  {
    name: "cache geo-replication",
    types: ["microsoft.cache/redis"],
    level: "region",
    check: property("properties.linkedServers", minItems(1)),
  },
  {
    name: "messaging geo-replication",
    types: ["microsoft.servicebus/namespaces", "microsoft.eventhub/namespaces"],
    level: "region",
    check: property("properties.geoDataReplication.locations", minItems(2)),
  },
  {
    name: "API Management additional regions",
    types: ["microsoft.apimanagement/service"],
    level: "region",
    check: property("properties.additionalLocations", minItems(1)),
  },
  {
    name: "registry geo-replication",
    types: ["microsoft.containerregistry/registries"],
    level: "region",
    check: dependent("microsoft.containerregistry/registries/replications", "replication", () => "present"),
  },
  {
    name: "traffic manager endpoints",
    types: ["microsoft.network/trafficmanagerprofiles"],
    level: "region",
    check: property("properties.endpoints", minItems(2)),
  },
  {
    name: "SQL failover group",
    types: [SQL_SERVER],
    level: "region",
    check: dependent(FAILOVER_GROUP, "failover group", failoverGroupWithPartner),
  },
  {
    name: "SQL database in a failover group",
    types: [SQL_DATABASE],
    level: "region",
    check: dependent(FAILOVER_GROUP, "failover group", failoverGroupListing),
  },
  {
    name: "SQL database geo-secondary",
    types: [SQL_DATABASE],
    level: "region",
    check: dependent(SQL_DATABASE, "geo-secondary", geoSecondaryOf),
  },
  {
    name: "SQL database is a geo-secondary",
    types: [SQL_DATABASE],
    level: "region",
    check: property("properties.secondaryType", oneOf("Geo")),
  },
];
