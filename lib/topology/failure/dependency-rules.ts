/**
 * Failure semantics of dependencies, as data beside the edge rules (which say that `from` depends
 * on `to`; these say how much). A rule matches an edge by what it is: the holder's type (`from`),
 * the target's type (`to`), the relation and the `via` path. The first `classify` rule that
 * matches decides the edge's kind; every `reverse` rule that matches also adds the opposite
 * dependency (a NIC in a pool stands for its VM, so the NIC fails when the VM does).
 * Edges no rule names are required (or observability-only for the `monitoring` relation).
 * Extend the table; keep the code that reads it as is.
 */
import type { Relation } from "../edge-rules.js";
import type { ExportResource } from "../export-format.js";
import { valuesAt } from "../property-path.js";
import type { FactSourceKey } from "./sources.js";

/**
 * How a dependent needs a dependency: `required` (it fails when the dependency fails), `group`
 * (it needs `need` of the group's members), `observability` (it only loses telemetry).
 */
export type DependencyKind = "required" | "group" | "observability";

/** What a group rule's label function may read: the edge and both payloads. */
export interface EdgeFacts {
  via: string;
  relation: Relation;
  /** The payload of the edge's `from` (the holder of a forward reference), if discovered. */
  from: ExportResource | undefined;
  /** The payload of the edge's `to`, if discovered. */
  to: ExportResource | undefined;
}

/** One rule of the table. */
export interface DependencyRule {
  name: string;
  /** Lower-cased types of the edge's `from`; `*` for any. */
  from: readonly string[];
  /** Lower-cased types of the edge's `to`; `*` for any. */
  to: readonly string[];
  relation?: Relation;
  via?: RegExp;
  /** `classify` decides the edge's own kind; `reverse` adds `to` depends on `from` with `kind`. */
  mode: "classify" | "reverse";
  kind: DependencyKind;
  /**
   * For groups: the members of one holder with the same label form one group, and the holder
   * keeps working while `need` of them survive (0: it only degrades). A holder with several groups
   * (a balancer with two pools) is down when every one of them is lost, degraded when one lost a member.
   */
  group?: { label: (edge: EdgeFacts) => string; need: number };
  source: FactSourceKey;
}

const lastSegment = (value: unknown): string => (typeof value === "string" ? (value.split("/").at(-1) ?? value) : "");

/** The name of the `pools[i]` element the via points into, read from the payload that holds the list. */
function poolName(list: string, holder: "from" | "to", fallback: string): (edge: EdgeFacts) => string {
  const pattern = new RegExp(`(^|\\.)${list}\\[(\\d+)\\]`);
  return (edge) => {
    const m = pattern.exec(edge.via);
    if (m === null) return fallback;
    const prefix = edge.via.slice(0, m.index + m[0].length);
    const name = valuesAt(edge[holder], `${prefix}.name`)[0]?.value;
    return `${fallback} ${typeof name === "string" ? name : m[2]}`;
  };
}

/** The last segment of the id at the via, in the payload that holds the reference (a back-reference's member). */
const referencedName =
  (fallback: string) =>
  (edge: EdgeFacts): string => {
    const value = valuesAt(edge.to, edge.via)[0]?.value ?? valuesAt(edge.from, edge.via)[0]?.value;
    const name = lastSegment(value);
    return name === "" ? fallback : `${fallback} ${name}`;
  };

const fixed = (label: string) => (): string => label;

const LB = "microsoft.network/loadbalancers";
const AGW = "microsoft.network/applicationgateways";
const NIC = "microsoft.network/networkinterfaces";
const VM = "microsoft.compute/virtualmachines";
const VMSS = "microsoft.compute/virtualmachinescalesets";
const PIP = "microsoft.network/publicipaddresses";
const FOG = "microsoft.sql/servers/failovergroups";
const SQL_DB = "microsoft.sql/servers/databases";
const AFD_GROUP = "microsoft.cdn/profiles/origingroups";
const AFD_ORIGIN = "microsoft.cdn/profiles/origingroups/origins";

/** The dependency rules TopDeck uses by default. */
export const dependencyRules: readonly DependencyRule[] = [
  {
    name: "telemetry and alerting",
    from: ["*"],
    to: ["*"],
    relation: "monitoring",
    mode: "classify",
    kind: "observability",
    source: "diagnostics",
  },
  {
    name: "dashboards only show",
    from: ["microsoft.portal/dashboards"],
    to: ["*"],
    mode: "classify",
    kind: "observability",
    source: "appInsights",
  },
  {
    name: "load balancer backend pool",
    from: [LB],
    to: [NIC, VMSS, VM],
    via: /(^|\.)(backendAddressPools|loadBalancerBackendAddressPools)\[/,
    mode: "classify",
    kind: "group",
    // The pool is named in the balancer's payload (backendIPConfigurations) or in the member's (back-reference).
    group: {
      label: (e) =>
        /^properties\.backendAddressPools\[/.test(e.via)
          ? poolName("backendAddressPools", "from", "backend pool")(e)
          : referencedName("backend pool")(e),
      need: 1,
    },
    source: "loadBalancerPools",
  },
  {
    name: "load balancer inbound NAT rule",
    from: [LB],
    to: [NIC, VMSS, VM],
    via: /(^|\.)(inboundNatRules|loadBalancerInboundNatRules|inboundNatPools|loadBalancerInboundNatPools)\[/,
    mode: "classify",
    kind: "group",
    group: { label: referencedName("inbound NAT rule"), need: 1 },
    source: "loadBalancerProbes",
  },
  {
    name: "application gateway backend pool",
    from: [AGW],
    to: ["*"],
    via: /^properties\.backendAddressPools\[/,
    mode: "classify",
    kind: "group",
    group: { label: poolName("backendAddressPools", "from", "backend pool"), need: 1 },
    source: "appGatewayProbes",
  },
  {
    name: "application gateway backend member",
    from: [AGW],
    to: [NIC, VMSS, VM],
    via: /(^|\.)applicationGatewayBackendAddressPools\[/,
    mode: "classify",
    kind: "group",
    group: { label: referencedName("backend pool"), need: 1 },
    source: "appGatewayProbes",
  },
  {
    name: "front door backend pool",
    from: ["microsoft.network/frontdoors"],
    to: ["*"],
    via: /^properties\.backendPools\[/,
    mode: "classify",
    kind: "group",
    group: { label: poolName("backendPools", "from", "backend pool"), need: 1 },
    source: "frontDoorOrigins",
  },
  {
    name: "traffic manager endpoints",
    from: ["microsoft.network/trafficmanagerprofiles"],
    to: ["*"],
    via: /^properties\.endpoints\[/,
    mode: "classify",
    kind: "group",
    group: { label: fixed("endpoints"), need: 1 },
    source: "trafficManager",
  },
  {
    name: "failover group partners",
    from: [FOG],
    to: ["microsoft.sql/servers"],
    via: /^(id|properties\.partnerServers\[\d+\]\.id)$/,
    mode: "classify",
    kind: "group",
    group: { label: fixed("servers"), need: 1 },
    source: "sqlFailoverGroups",
  },
  {
    name: "failover group databases",
    from: [FOG],
    to: [SQL_DB],
    via: /^properties\.databases\[/,
    mode: "classify",
    kind: "group",
    // The partner holds a geo-secondary of each database: losing one only loses its replica pair.
    group: { label: (e) => `database ${e.to?.name ?? ""}`, need: 0 },
    source: "sqlFailoverGroups",
  },
  {
    name: "geo-replication source",
    from: [SQL_DB],
    to: [SQL_DB],
    via: /(^|\.)sourceDatabaseId$/,
    mode: "classify",
    kind: "group",
    group: { label: fixed("geo-replication source"), need: 0 },
    source: "sqlGeoReplication",
  },
  // Pool members resolve to the compute behind them.
  {
    name: "a NIC stands for its VM",
    from: [VM],
    to: [NIC],
    via: /(^|\.)networkInterfaces\[/,
    mode: "reverse",
    kind: "required",
    source: "loadBalancerPools",
  },
  {
    name: "a public IP serves what it is attached to",
    from: ["*"],
    to: [PIP],
    relation: "network",
    via: /(^|\.)publicIPAddress\.id$/,
    mode: "reverse",
    kind: "required",
    source: "publicIpZones",
  },
  {
    name: "front door origin group",
    from: [AFD_ORIGIN],
    to: [AFD_GROUP],
    relation: "contains",
    mode: "reverse",
    kind: "group",
    group: { label: fixed("origins"), need: 1 },
    source: "frontDoorOrigins",
  },
];
