import type { TopologyGraph } from "./graph.js";
import { type RiskOptions, riskScan, type RiskScore } from "./risk.js";

/** Options of `singlePointsOfFailure`. */
export interface SpofOptions extends RiskOptions {
  /** Scores already computed by `riskScan` for this graph, to avoid a second scan. @default computed */
  scores?: readonly RiskScore[];
}

/**
 * Single points of failure: discovered resources that something depends on through an outage edge
 * (any relation but `monitoring`) and that no redundancy rule finds evidence for. Ranked by risk
 * score, then blast radius, then export order; each entry carries the factors of its score.
 */
export function singlePointsOfFailure(graph: TopologyGraph, options: SpofOptions = {}): RiskScore[] {
  const scores = options.scores ?? riskScan(graph, options);
  return scores
    .filter((s) => s.dependents > 0 && s.redundancy.level === "none")
    .sort((a, b) => b.score - a.score || b.blastRadius - a.blastRadius);
}
