import { ruleContext, rulesByType } from "./checks.js";
import type { TopologyGraph } from "./graph.js";
import { type RedundancyLevel, type RedundancyRule, redundancyRules } from "./redundancy-rules.js";

/** One piece of evidence of redundancy: the rule, the level it grants and what it found. */
export interface RedundancyEvidence {
  rule: string;
  level: Exclude<RedundancyLevel, "none">;
  evidence: string;
}

/** What a resource's payload says about its redundancy. */
export interface Redundancy {
  /** The highest level any rule found; "none" when no rule holds (or the node is not a discovered resource). */
  level: RedundancyLevel;
  /** Every rule that holds, in table order. */
  evidence: RedundancyEvidence[];
}

/** Levels from weakest to strongest. */
export const redundancyLevels: readonly RedundancyLevel[] = ["none", "instance", "zone", "region"];

/** Redundancy assessment over one graph, with the rule table compiled once. */
export type RedundancyAssessor = (id: number) => Redundancy;

/**
 * Redundancy of the nodes of a graph, by rule table.
 * @param rules @default redundancyRules
 */
export function redundancyAssessor(graph: TopologyGraph, rules: readonly RedundancyRule[] = redundancyRules): RedundancyAssessor {
  const forType = rulesByType(rules);
  return (id) => {
    const resource = graph.resources[id];
    if (resource === undefined) return { level: "none", evidence: [] };
    const context = ruleContext(graph, id);
    const evidence: RedundancyEvidence[] = [];
    let best = 0;
    for (const rule of forType(graph.typeOf(id))) {
      const found = rule.check(resource, context);
      if (found === undefined) continue;
      evidence.push({ rule: rule.name, level: rule.level, evidence: found });
      best = Math.max(best, redundancyLevels.indexOf(rule.level));
    }
    return { level: redundancyLevels[best]!, evidence };
  };
}

/**
 * Redundancy of one resource by key; undefined when the graph does not hold it.
 * @param rules @default redundancyRules
 */
export function redundancyOf(
  graph: TopologyGraph,
  key: string,
  rules: readonly RedundancyRule[] = redundancyRules,
): Redundancy | undefined {
  const id = graph.idOf(key);
  return id === undefined ? undefined : redundancyAssessor(graph, rules)(id);
}
