/**
 * Scenarios: what fails directly when resources, zones or regions go down, as seeds of the
 * propagation. A zone is a region and a zone number: every zonal resource pinned there goes down,
 * every zone-redundant one loses that zone's share, every regional one whose zone is not known is
 * unknown. A region takes down everything in it except what lives in other regions too.
 */
import type { FailureModel } from "./model.js";
import { EXTERNAL, GLOBAL, MULTI_REGION, NODE_POOLS, type Placements, PLATFORM, UNPLACED, ZONAL, zoneBit, zoneCount } from "./placement.js";
import { regionName } from "./placement-rules.js";
import type { OwnLoss, Seeds } from "./propagate.js";

/** A zone of a region: `{ region: "westeurope", zone: "1" }`. */
export interface ZoneRef {
  region: string;
  zone: string;
}

/** What a scenario fails: resources by id, zones, regions. */
export interface FailureSet {
  ids?: readonly string[];
  zones?: readonly ZoneRef[];
  regions?: readonly string[];
}

/** A scenario as resolved on one graph: node ids for the resources, normalized zones and regions. */
export interface ResolvedScenario {
  ids: number[];
  zones: ZoneRef[];
  regions: string[];
}

/** The scenario's failure set, normalized: canonical region names, zones as given. */
export function resolveScenario(ids: readonly number[], set: FailureSet): ResolvedScenario {
  const zones = new Map<string, ZoneRef>();
  for (const z of set.zones ?? []) {
    const ref = { region: regionName(z.region), zone: z.zone.trim() };
    zones.set(`${ref.region}/${ref.zone}`, ref);
  }
  return {
    ids: [...new Set(ids)].sort((a, b) => a - b),
    zones: [...zones.values()],
    regions: [...new Set((set.regions ?? []).map(regionName))],
  };
}

/** Why a seed failed: it was named, its zone or region went down, or it lives where it cannot be told. */
export type SeedCause = { kind: "id" } | { kind: "zone"; region: string; zones: string[] } | { kind: "region"; region: string };

/** The seeds of a resolved scenario over the model's placements. */
export function seedsOf(model: FailureModel, scenario: ResolvedScenario): Seeds {
  const failed = failedPlaces(model.placements, scenario);
  const seeds: SeedLists = { down: [...scenario.ids], unknown: [], degraded: new Map<number, OwnLoss>() };
  if (!failed.anyPlace) return seeds;
  // One call per node of the estate; the per-kind steps push into `seeds`.
  for (let v = 0; v < model.graph.nodeCount; v++) seedOfPlace(failed, v, seeds);
  return seeds;
}

/** The seeds being collected, writable. */
interface SeedLists {
  down: number[];
  unknown: number[];
  degraded: Map<number, OwnLoss>;
}

/** The scenario's zones and regions over the placements' region indices: which regions failed, and which zones of each. */
interface FailedPlaces {
  p: Placements;
  /** 1 for every failed region. */
  failedRegion: Uint8Array;
  /** Per region, the failed zones as a mask. */
  failedZones: Uint16Array;
  /** Whether the scenario fails any zone or region. */
  anyPlace: boolean;
}

function failedPlaces(p: Placements, scenario: ResolvedScenario): FailedPlaces {
  const regionIds = new Map(p.regions.map((r, i) => [r, i]));
  const failedRegion = new Uint8Array(p.regions.length);
  for (const r of scenario.regions) {
    const id = regionIds.get(r);
    if (id !== undefined) failedRegion[id] = 1;
  }
  const failedZones = new Uint16Array(p.regions.length);
  for (const z of scenario.zones) {
    const id = regionIds.get(z.region);
    if (id !== undefined) failedZones[id] = failedZones[id]! | zoneBit(z.zone);
  }
  return { p, failedRegion, failedZones, anyPlace: scenario.zones.length > 0 || scenario.regions.length > 0 };
}

/** Node v as a seed of the failed places (down, unknown, degraded or none), by its placement kind. */
function seedOfPlace(failed: FailedPlaces, v: number, seeds: SeedLists): void {
  const { p, failedRegion, failedZones } = failed;
  const { down, unknown, degraded } = seeds;
  const kind = p.kind[v]!;
  const r = p.region[v]!;
  const regionDown = r !== 0 && failedRegion[r] === 1;
  const hit = failedZones[r]!;
  switch (kind) {
    case GLOBAL:
      break;
    case EXTERNAL:
      unknown.push(v);
      break;
    case PLATFORM:
      if (regionDown) {
        if (p.survivesRegion[v] === 1) degraded.set(v, { label: "regions", lost: 1, of: 2 });
        else down.push(v);
      }
      break;
    case ZONAL: {
      const mask = p.zones[v]!;
      const lostMask = mask & hit;
      if (regionDown || lostMask === mask) down.push(v);
      else if (lostMask !== 0) degraded.set(v, { label: "zones", lost: zoneCount(lostMask), of: zoneCount(mask) });
      break;
    }
    case UNPLACED:
      if (regionDown) down.push(v);
      // Some place failed (seedsOf returns before otherwise): an unplaced node in a hit region, or
      // one whose region is unknown, may be in it.
      else if (hit !== 0 || r === 0) unknown.push(v);
      break;
    case MULTI_REGION:
      multiRegionSeed(failed, v, seeds);
      break;
    case NODE_POOLS:
      if (regionDown) down.push(v);
      else if (hit !== 0) nodePoolsSeed(p, v, hit, seeds);
      break;
    default:
      break;
  }
}

/** A resource in several regions: down when all of them failed, degraded when some regions or zones did. */
function multiRegionSeed({ p, failedRegion, failedZones }: FailedPlaces, v: number, seeds: SeedLists): void {
  const locations = p.multiRegion.get(v)!;
  const lostRegions = locations.filter((l) => failedRegion[l.region] === 1).length;
  const zoneHit = locations.filter((l) => failedRegion[l.region] !== 1 && failedZones[l.region] !== 0);
  if (lostRegions === locations.length) seeds.down.push(v);
  else if (lostRegions > 0) seeds.degraded.set(v, { label: "regions", lost: lostRegions, of: locations.length });
  else if (zoneHit.length > 0) {
    const zr = zoneHit.every((l) => l.zoneRedundant);
    seeds.degraded.set(
      v,
      zr
        ? { label: `zones of ${p.regions[zoneHit[0]!.region]}`, lost: 1, of: 3 }
        : { label: "regions", lost: zoneHit.length, of: locations.length },
    );
  }
}

/**
 * A cluster whose region's zones `hit` failed: down when its system pool or every pool is lost,
 * unknown when a pool's zones are not known, else degraded by the share of pool zones lost.
 */
function nodePoolsSeed(p: Placements, v: number, hit: number, seeds: SeedLists): void {
  const pools = p.nodePools.get(v)!;
  let lostPools = 0;
  let lostShares = 0;
  let shares = 0;
  let unsure = false;
  let systemLost = false;
  for (const pool of pools) {
    shares += Math.max(1, zoneCount(pool.zones));
    if (pool.zones === 0) {
      unsure = true;
      continue;
    }
    const lostMask = pool.zones & hit;
    if (lostMask === 0) continue;
    lostShares += zoneCount(lostMask);
    if (lostMask === pool.zones) {
      lostPools++;
      if (pool.system) systemLost = true;
    }
  }
  if (systemLost || lostPools === pools.length) seeds.down.push(v);
  else if (unsure) seeds.unknown.push(v);
  else if (lostShares > 0) seeds.degraded.set(v, { label: "node pool zones", lost: lostShares, of: shares });
}

/** Why a seed is down or unknown in a scenario, for its reason. */
export function seedCause(model: FailureModel, scenario: ResolvedScenario, v: number): SeedCause {
  if (scenario.ids.includes(v)) return { kind: "id" };
  const region = model.placements.regions[model.placements.region[v]!]!;
  if (scenario.regions.includes(region)) return { kind: "region", region };
  return { kind: "zone", region, zones: scenario.zones.filter((z) => z.region === region).map((z) => z.zone) };
}
