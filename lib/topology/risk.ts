import type { EntryPointRule } from "./entry-point-rules.js";
import { entryPoints } from "./entry-points.js";
import { MONITORING, type TopologyGraph } from "./graph.js";
import { impactOf } from "./impact.js";
import { reachCounts } from "./reach.js";
import { type Redundancy, redundancyAssessor } from "./redundancy.js";
import type { RedundancyRule } from "./redundancy-rules.js";
import { defaultRiskWeights, type RiskWeights } from "./risk-weights.js";

/** Options of the risk score. */
export interface RiskOptions {
  /** @default defaultRiskWeights */
  weights?: Partial<RiskWeights>;
  /** @default entryPointRules */
  entryPointRules?: readonly EntryPointRule[];
  /** @default redundancyRules */
  redundancyRules?: readonly RedundancyRule[];
}

/** One factor of a risk score: what was measured, and the points or multiplier it gave. */
export type RiskFactor =
  | { name: "blastRadius"; value: number; points: number; detail: string }
  | { name: "entryPoints"; value: number; points: number; detail: string }
  | { name: "kind"; value: string; points: number; detail: string }
  | { name: "redundancy"; value: Redundancy["level"]; multiplier: number; detail: string };

/** The risk of one resource, with the factors that produced it. */
export interface RiskScore {
  key: string;
  type: string;
  name: string;
  /** 0–100: `round((blast + entry + kind points) × redundancy multiplier)`. */
  score: number;
  factors: RiskFactor[];
  /** Resources that fail with it (full blast radius, `monitoring` edges excluded). */
  blastRadius: number;
  /** Entry points among them, plus the resource itself when it is one. */
  entryPoints: number;
  /** Resources that depend on it directly through an outage edge. */
  dependents: number;
  redundancy: Redundancy;
}

/** What the score is computed from. */
export interface RiskInputs {
  type: string;
  blastRadius: number;
  entryPointsReached: number;
  isEntryPoint: boolean;
  redundancy: Redundancy;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Kind points of a lower-cased type: exact type, else `namespace/*`, else the default. */
export function kindPointsOf(type: string, weights: RiskWeights): { points: number; matched: string } {
  if (weights.kind[type] !== undefined) return { points: weights.kind[type], matched: type };
  const ns = `${type.split("/")[0]}/*`;
  if (weights.kind[ns] !== undefined) return { points: weights.kind[ns], matched: ns };
  return { points: weights.defaultKindPoints, matched: "default" };
}

/** The score and its factors from measured inputs; pure, so docs and tests can work examples. */
export function scoreRisk(inputs: RiskInputs, weights: RiskWeights = defaultRiskWeights): { score: number; factors: RiskFactor[] } {
  const b = inputs.blastRadius;
  const e = inputs.entryPointsReached + (inputs.isEntryPoint ? 1 : 0);
  const blast = Math.min(weights.blastCap, weights.blastPointsPerDoubling * Math.log2(1 + b));
  const entry = Math.min(weights.entryCap, weights.entryPointsPerDoubling * Math.log2(1 + e));
  const kind = kindPointsOf(inputs.type, weights);
  const multiplier = weights.redundancy[inputs.redundancy.level];
  const evidence = inputs.redundancy.evidence.map((x) => `${x.rule}: ${x.evidence}`).join("; ");
  return {
    score: Math.round((blast + entry + kind.points) * multiplier),
    factors: [
      { name: "blastRadius", value: b, points: round1(blast), detail: `${b} resource(s) fail with it` },
      {
        name: "entryPoints",
        value: e,
        points: round1(entry),
        detail: `${e} entry point(s) affected${inputs.isEntryPoint ? ", itself included" : ""}`,
      },
      { name: "kind", value: inputs.type, points: kind.points, detail: `kind ${kind.matched}` },
      { name: "redundancy", value: inputs.redundancy.level, multiplier, detail: evidence === "" ? "no redundancy found" : evidence },
    ],
  };
}

const merged = (options: RiskOptions): RiskWeights => ({ ...defaultRiskWeights, ...options.weights });

function outageDependents(graph: TopologyGraph, v: number): number {
  let count = 0;
  for (let i = graph.inStart[v]!; i < graph.inStart[v + 1]!; i++) if (graph.inRelation[i] !== MONITORING && graph.inNode[i] !== v) count++;
  return count;
}

/** The risk of one resource by key; undefined when the graph does not hold it as a discovered resource. */
export function riskOf(graph: TopologyGraph, key: string, options: RiskOptions = {}): RiskScore | undefined {
  const id = graph.idOf(key);
  if (id === undefined || graph.resources[id] === undefined) return undefined;
  const impact = impactOf(graph, key, { entryPointRules: options.entryPointRules })!;
  const redundancy = redundancyAssessor(graph, options.redundancyRules)(id);
  const isEntryPoint = entryPoints(graph, options.entryPointRules).of(id) !== undefined;
  const inputs = {
    type: graph.typeOf(id),
    blastRadius: impact.impacted.length,
    entryPointsReached: impact.entryPoints.length,
    isEntryPoint,
    redundancy,
  };
  return {
    key: graph.keys[id]!,
    type: inputs.type,
    name: graph.nameOf(id),
    ...scoreRisk(inputs, merged(options)),
    blastRadius: inputs.blastRadius,
    entryPoints: inputs.entryPointsReached + (isEntryPoint ? 1 : 0),
    dependents: outageDependents(graph, id),
    redundancy,
  };
}

/**
 * The risk of every discovered resource, highest first (ties in export order). Blast radii come from one
 * pass over the whole graph (`reachCounts`), not a search per resource.
 */
export function riskScan(graph: TopologyGraph, options: RiskOptions = {}): RiskScore[] {
  const weights = merged(options);
  const flags = entryPoints(graph, options.entryPointRules).flags();
  const reach = reachCounts(graph, flags);
  const assess = redundancyAssessor(graph, options.redundancyRules);
  const out: RiskScore[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.resources[v] === undefined) continue;
    const redundancy = assess(v);
    const inputs = {
      type: graph.typeOf(v),
      blastRadius: reach.blastRadius[v]!,
      entryPointsReached: reach.entryPointsReached[v]!,
      isEntryPoint: flags[v] === 1,
      redundancy,
    };
    out.push({
      key: graph.keys[v]!,
      type: inputs.type,
      name: graph.nameOf(v),
      ...scoreRisk(inputs, weights),
      blastRadius: inputs.blastRadius,
      entryPoints: inputs.entryPointsReached + flags[v]!,
      dependents: outageDependents(graph, v),
      redundancy,
    });
  }
  // A stable sort: ties keep export order (discovery writes resources sorted by key), with no
  // string comparisons over 100,000 long keys.
  return out.sort((a, b) => b.score - a.score);
}
