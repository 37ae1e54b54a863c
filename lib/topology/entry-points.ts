import { ruleContext, rulesByType } from "./checks.js";
import { type EntryPointRule, entryPointRules } from "./entry-point-rules.js";
import type { TopologyGraph } from "./graph.js";

/** Why a resource is an entry point: the rule that matched and the evidence it found. */
export interface EntryPointMatch {
  rule: string;
  evidence: string;
}

/** Entry-point tests over one graph, with the rule table compiled once. */
export interface EntryPoints {
  /** The match for node `id`, or undefined when it is not an entry point (external nodes never are). */
  of(id: number): EntryPointMatch | undefined;
  /** 1 for every node that is an entry point, 0 otherwise. */
  flags(): Uint8Array;
}

/**
 * Entry-point detection for a graph.
 * @param rules @default entryPointRules
 */
export function entryPoints(graph: TopologyGraph, rules: readonly EntryPointRule[] = entryPointRules): EntryPoints {
  const forType = rulesByType(rules);
  const memo = new Map<number, EntryPointMatch | undefined>();
  const of = (id: number): EntryPointMatch | undefined => {
    if (memo.has(id)) return memo.get(id);
    const resource = graph.resources[id];
    let match: EntryPointMatch | undefined;
    if (resource !== undefined) {
      for (const rule of forType(graph.typeOf(id))) {
        const evidence = rule.check === undefined ? `type ${resource.type}` : rule.check(resource, ruleContext(graph, id));
        if (evidence !== undefined) {
          match = { rule: rule.name, evidence };
          break;
        }
      }
    }
    memo.set(id, match);
    return match;
  };
  return {
    of,
    flags: () => {
      const out = new Uint8Array(graph.nodeCount);
      for (let v = 0; v < graph.nodeCount; v++) if (of(v) !== undefined) out[v] = 1;
      return out;
    },
  };
}
