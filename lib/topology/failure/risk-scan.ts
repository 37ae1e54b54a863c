/**
 * Single points of failure, redefined over the failure model: a resource with no redundancy of its
 * own (one instance, in one zone or of unknown placement) whose failure alone takes an entry point
 * down. Per zone of every region in the estate, what goes down with that zone. Apart, the change
 * risk: configuration (NSGs, route tables, DNS zones, identities, networks) that Azure keeps
 * available by itself, but whose deletion or misconfiguration breaks what depends on it.
 */
import { redundancyAssessor } from "../redundancy.js";
import { type FailureAnswer, scenarioAnswer } from "./answer.js";
import type { FailureModel } from "./model.js";
import { GLOBAL, MULTI_REGION, placementKinds, PLATFORM, ZONAL, zoneCount, zonesOf } from "./placement.js";
import { ALL_ZONES } from "./placement-rules.js";
import { singleFailureCounts } from "./single-failures.js";

/** Where a resource lives, as the model read it. */
export interface PlacementSummary {
  kind: (typeof placementKinds)[number];
  region?: string;
  zones?: string[];
  /** The placement rule that decided, when one did. */
  rule?: string;
}

/** A resource whose failure alone takes entry points down. */
export interface SinglePointOfFailure {
  key: string;
  type: string;
  name: string;
  /** Entry points down with it, itself included. */
  entryPointsDown: number;
  /** Resources down with it, itself excluded. */
  down: number;
  placement: PlacementSummary;
}

/** A configuration resource whose deletion breaks its dependents. */
export interface ChangeRisk {
  key: string;
  type: string;
  name: string;
  /** Resources that depend on it directly (any kind but observability). */
  dependents: number;
  /** Resources down if it were deleted, itself excluded. */
  down: number;
  entryPointsDown: number;
}

/** What one zone's outage takes down. */
export interface ZoneExposure {
  region: string;
  zone: string;
  totals: FailureAnswer["totals"];
  /** The first entry points down (at most `entryPointLimit`). */
  entryPointsDown: { key: string; type: string; name: string }[];
}

/** The whole scan, every list ranked and complete. */
export interface FailureRiskScan {
  resources: number;
  singlePointsOfFailure: SinglePointOfFailure[];
  zones: ZoneExposure[];
  changeRisk: ChangeRisk[];
}

/** Rules about a resource's neighbours, not itself: the failure model's groups answer those. */
const neighbourRules = new Set(["availability set", "load balancer backend members"]);

/** The placement of node v, for answers. */
export function placementSummary(model: FailureModel, v: number): PlacementSummary {
  const p = model.placements;
  const kind = placementKinds[p.kind[v]!]!;
  const region = p.regions[p.region[v]!]!;
  const rule = p.rule[v]!;
  return {
    kind,
    ...(region === "" ? {} : { region }),
    ...(p.kind[v] === ZONAL ? { zones: zonesOf(p.zones[v]!) } : {}),
    ...(rule >= 0 ? { rule: p.rules[rule]!.name } : {}),
  };
}

/** Whether the placement alone makes a resource survive the loss of one zone. */
function placedRedundantly(model: FailureModel, v: number): boolean {
  const kind = model.placements.kind[v];
  if (kind === GLOBAL || kind === PLATFORM || kind === MULTI_REGION) return true;
  return kind === ZONAL && zoneCount(model.placements.zones[v]!) >= 2;
}

/**
 * Single points of failure (ranked by entry points down, then resources down, then export order),
 * per-zone exposure (regions in name order, zones in number order) and change risk (ranked alike).
 */
export function failureRiskScan(model: FailureModel, options: { entryPointLimit?: number } = {}): FailureRiskScan {
  const { graph, placements } = model;
  const counts = singleFailureCounts(model);
  const assess = redundancyAssessor(graph);
  const spofs: SinglePointOfFailure[] = [];
  const changeRisk: ChangeRisk[] = [];
  let resources = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.resources[v] === undefined) continue;
    resources++;
    if (placements.configuration[v] === 1) {
      if (counts.down[v] === 0) continue;
      let dependents = 0;
      for (let i = model.revStart[v]!; i < model.revStart[v + 1]!; i++) if (model.revKind[i] !== 2) dependents++;
      changeRisk.push({
        key: graph.keys[v]!,
        type: graph.typeOf(v),
        name: graph.nameOf(v),
        dependents,
        down: counts.down[v]!,
        entryPointsDown: counts.entryPointsDown[v]!,
      });
      continue;
    }
    if (counts.entryPointsDown[v] === 0 || placedRedundantly(model, v)) continue;
    if (assess(v).evidence.some((e) => !neighbourRules.has(e.rule))) continue;
    spofs.push({
      key: graph.keys[v]!,
      type: graph.typeOf(v),
      name: graph.nameOf(v),
      entryPointsDown: counts.entryPointsDown[v]!,
      down: counts.down[v]!,
      placement: placementSummary(model, v),
    });
  }
  // Stable sorts: ties keep export order.
  spofs.sort((a, b) => b.entryPointsDown - a.entryPointsDown || b.down - a.down);
  changeRisk.sort((a, b) => b.entryPointsDown - a.entryPointsDown || b.down - a.down);
  return { resources, singlePointsOfFailure: spofs, zones: zoneExposure(model, options.entryPointLimit ?? 10), changeRisk };
}

/** Every zone of every region the estate uses: the zones its payloads name, and at least 1–3. */
export function estateZones(model: FailureModel): { region: string; zone: string }[] {
  const p = model.placements;
  const masks = new Map<number, number>();
  const base = ALL_ZONES.reduce((m, z) => m | (1 << (Number(z) - 1)), 0);
  for (let v = 0; v < model.graph.nodeCount; v++) {
    const r = p.region[v]!;
    const name = p.regions[r]!;
    if (name === "" || name === "global" || model.graph.resources[v] === undefined) continue;
    masks.set(r, (masks.get(r) ?? base) | (p.kind[v] === ZONAL ? p.zones[v]! : 0));
  }
  return [...masks.entries()]
    .sort(([a], [b]) => (p.regions[a]! < p.regions[b]! ? -1 : 1))
    .flatMap(([r, mask]) => zonesOf(mask).map((zone) => ({ region: p.regions[r]!, zone })));
}

function zoneExposure(model: FailureModel, limit: number): ZoneExposure[] {
  return estateZones(model).map((z) => {
    const answer = scenarioAnswer(model, [], { zones: [z] }, { limit });
    return {
      ...z,
      totals: answer.totals,
      entryPointsDown: answer.entryPoints.down.map((e) => ({ key: e.key, type: e.type, name: e.name })),
    };
  });
}
