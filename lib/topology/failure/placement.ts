/**
 * The placement of every node of a graph, held compactly: a kind code, a region index and a zone
 * bit mask per node, with the rule that decided it. Built once per graph from placementRules.
 */
import { rulesByType } from "../checks.js";
import type { TopologyGraph } from "../graph.js";
import { parentKey } from "./parent.js";
import { type NodePool, type PlacementRule, placementRules, regionName } from "./placement-rules.js";

/** Placement kinds, as codes. */
export const GLOBAL = 0;
export const PLATFORM = 1;
export const ZONAL = 2;
export const UNPLACED = 3;
export const MULTI_REGION = 4;
export const NODE_POOLS = 5;
export const FOLLOWS = 6;
export const EXTERNAL = 7;

/** Placement kind names, by code. */
export const placementKinds = ["global", "platform", "zones", "unknown", "regions", "nodePools", "follows", "external"] as const;

/** A node pool with its zones as a mask. */
export interface PoolPlacement extends Omit<NodePool, "zones"> {
  zones: number;
}

/** Placements of every node. */
export interface Placements {
  kind: Uint8Array;
  /** Index into `regions`; 0 is "" (no region). */
  region: Uint32Array;
  /** Zones as bits: zone "1" is bit 0. */
  zones: Uint16Array;
  regions: readonly string[];
  /** Index into `rules` of the rule that decided each node; -1 for the defaults. */
  rule: Int16Array;
  rules: readonly PlacementRule[];
  /** 1 where a platform resource fails over to another region. */
  survivesRegion: Uint8Array;
  /** 1 where the resource is configuration (a change risk, not an availability one). */
  configuration: Uint8Array;
  multiRegion: ReadonlyMap<number, { region: number; zoneRedundant: boolean }[]>;
  nodePools: ReadonlyMap<number, PoolPlacement[]>;
  /** Why an unplaced node is unknown. */
  detail: ReadonlyMap<number, string>;
}

/** The bit of a zone name ("1" → 1, "2" → 2, "3" → 4); 0 for a name that is not a small number. */
export const zoneBit = (zone: string): number =>
  /^\d{1,2}$/.test(zone) && Number(zone) >= 1 && Number(zone) <= 16 ? 1 << (Number(zone) - 1) : 0;

/** Zone names of a mask. */
export const zonesOf = (mask: number): string[] =>
  Array.from({ length: 16 }, (_v, i) => i)
    .filter((i) => (mask & (1 << i)) !== 0)
    .map((i) => String(i + 1));

/** The number of zones in a mask. */
export const zoneCount = (mask: number): number => {
  let c = 0;
  for (let m = mask; m !== 0; m &= m - 1) c++;
  return c;
};

const maskOf = (zones: readonly string[]): number => zones.reduce((m, z) => m | zoneBit(z), 0);

/**
 * Placements of a graph's nodes by rule table.
 * @param rules @default placementRules
 */
export function placementsOf(graph: TopologyGraph, rules: readonly PlacementRule[] = placementRules): Placements {
  const n = graph.nodeCount;
  const forType = rulesByType(rules);
  const index = new Map(rules.map((r, i) => [r, i]));
  const kind = new Uint8Array(n);
  const region = new Uint32Array(n);
  const zones = new Uint16Array(n);
  const rule = new Int16Array(n).fill(-1);
  const survivesRegion = new Uint8Array(n);
  const configuration = new Uint8Array(n);
  const regions: string[] = [""];
  const regionIds = new Map<string, number>([["", 0]]);
  const regionId = (name: string): number => {
    let id = regionIds.get(name);
    if (id === undefined) {
      id = regions.length;
      regions.push(name);
      regionIds.set(name, id);
    }
    return id;
  };
  const multiRegion = new Map<number, { region: number; zoneRedundant: boolean }[]>();
  const nodePools = new Map<number, PoolPlacement[]>();
  const detail = new Map<number, string>();

  for (let v = 0; v < n; v++) {
    const resource = graph.resources[v];
    if (resource === undefined) {
      kind[v] = EXTERNAL;
      detail.set(v, "outside the discovered estate: its placement is not known");
      continue;
    }
    region[v] = regionId(resource.location === undefined ? "" : regionName(resource.location));
    let decided = false;
    for (const r of forType(graph.typeOf(v))) {
      const decision = r.decide(resource);
      if (decision === undefined) continue;
      decided = true;
      rule[v] = index.get(r)!;
      if (r.configuration === true) configuration[v] = 1;
      switch (decision.kind) {
        case "global":
          kind[v] = GLOBAL;
          break;
        case "platform":
          kind[v] = PLATFORM;
          if (decision.survivesRegion === true) survivesRegion[v] = 1;
          break;
        case "zones":
          kind[v] = ZONAL;
          zones[v] = maskOf(decision.zones);
          if (zones[v] === 0) kind[v] = UNPLACED;
          break;
        case "unknown":
          kind[v] = UNPLACED;
          detail.set(v, decision.detail);
          break;
        case "regions":
          kind[v] = MULTI_REGION;
          multiRegion.set(
            v,
            decision.locations.map((l) => ({ region: regionId(l.region), zoneRedundant: l.zoneRedundant })),
          );
          break;
        case "nodePools":
          kind[v] = NODE_POOLS;
          nodePools.set(
            v,
            decision.pools.map((p) => ({ ...p, zones: maskOf(p.zones) })),
          );
          break;
        case "follows":
          kind[v] = FOLLOWS;
          break;
      }
      break;
    }
    if (decided) continue;
    if (graph.idOf(parentKey(graph.keys[v]!) ?? "") !== undefined) {
      // A child no rule places (a queue, a DNS zone's link) is part of its parent and fails with it.
      kind[v] = FOLLOWS;
      continue;
    }
    kind[v] = UNPLACED;
    detail.set(v, "the payload names no zone, and no zone-redundant setting or platform fact applies");
  }
  return { kind, region, zones, regions, rule, rules, survivesRegion, configuration, multiRegion, nodePools, detail };
}
