/**
 * The failure model of a graph: every dependency with its kind (required, one of a group,
 * observability only), the groups with their sizes and how many members they need, the extra
 * dependencies that make pool members stand for their compute, the placement of every node and
 * the entry points. Typed arrays in CSR form, built once per graph and shared by every scenario.
 */
import type { EntryPointRule } from "../entry-point-rules.js";
import { type EntryPoints, entryPoints } from "../entry-points.js";
import { relationCodes, type TopologyGraph } from "../graph.js";
import { type DependencyKind, type DependencyRule, dependencyRules } from "./dependency-rules.js";
import { type Placements, placementsOf } from "./placement.js";
import type { PlacementRule } from "./placement-rules.js";

/** Dependency kinds, as codes. */
export const REQUIRED = 0;
export const GROUP = 1;
export const OBSERVABILITY = 2;

const KIND_CODES: Record<DependencyKind, number> = { required: REQUIRED, group: GROUP, observability: OBSERVABILITY };

/** Groups of dependencies: a holder needs `need` of a group's `of` members. */
export interface Groups {
  count: number;
  holder: Uint32Array;
  of: Uint32Array;
  need: Uint32Array;
  /** What the group is, as people say it: `backend pool be-intranet`. */
  labels: readonly string[];
  /** Index into `rules` of the rule that formed the group. */
  rule: Uint16Array;
}

/** The failure model of one graph. */
export interface FailureModel {
  graph: TopologyGraph;
  /** Dependents of node w: revNode[revStart[w] .. revStart[w + 1]), with the kind and group of each dependency. */
  revStart: Uint32Array;
  revNode: Uint32Array;
  revKind: Uint8Array;
  /** Group of each dependency, -1 when it is not one of a group. */
  revGroup: Int32Array;
  /** Dependencies of node v, in the same form. */
  depStart: Uint32Array;
  depNode: Uint32Array;
  depKind: Uint8Array;
  depGroup: Int32Array;
  /** Relation code of each dependency (`relationCodes` index); 255 for those a reverse rule added. */
  depRelation: Uint8Array;
  groups: Groups;
  /** 1 for every node something depends on for observability only. */
  monitored: Uint8Array;
  /** How many groups each node needs (need > 0): it is down when every one of them is lost. */
  groupsHeld: Uint32Array;
  placements: Placements;
  entryPoints: EntryPoints;
  /** 1 for every entry point. */
  entryFlags: Uint8Array;
  rules: readonly DependencyRule[];
}

/** Options of the failure model. */
export interface FailureModelOptions {
  /** @default dependencyRules */
  dependencyRules?: readonly DependencyRule[];
  /** @default placementRules */
  placementRules?: readonly PlacementRule[];
  /** @default entryPointRules */
  entryPointRules?: readonly EntryPointRule[];
}

const matchesType = (types: readonly string[], type: string): boolean => types.includes("*") || types.includes(type);

/** Builds the failure model of a graph. O(nodes + edges); rules run once per pair of types, regexes once per matching edge. */
export function buildFailureModel(graph: TopologyGraph, options: FailureModelOptions = {}): FailureModel {
  const rules = options.dependencyRules ?? dependencyRules;
  const n = graph.nodeCount;
  const { outStart, outNode, outRelation, outEdge } = graph;
  const e = outNode.length;
  const typeCount = graph.types.length;
  const byPair = new Map<number, DependencyRule[]>();
  const rulesFor = (from: number, to: number): DependencyRule[] => {
    const key = from * typeCount + to;
    let found = byPair.get(key);
    if (found === undefined) {
      const a = graph.types[from]!;
      const b = graph.types[to]!;
      found = rules.filter((r) => matchesType(r.from, a) && matchesType(r.to, b));
      byPair.set(key, found);
    }
    return found;
  };
  const ruleIndex = new Map(rules.map((r, i) => [r, i]));

  // Dependencies: the graph's edges (kind by the first classify rule), then the reverse ones.
  const from = new Uint32Array(e);
  const to = new Uint32Array(e);
  const kind = new Uint8Array(e);
  const relation = new Uint8Array(e);
  const groupOf = new Int32Array(e).fill(-1);
  const extraFrom: number[] = [];
  const extraTo: number[] = [];
  const extraKind: number[] = [];
  const extraGroup: number[] = [];
  // Groups are found as (holder, rule, label) and numbered in (holder, label) order afterwards, so
  // the numbering never depends on the order of the edges.
  const groupKeys = new Map<string, number>();
  const rawHolder: number[] = [];
  const rawLabel: string[] = [];
  const rawRule: number[] = [];
  const rawNeed: number[] = [];
  const groupFor = (holder: number, rule: DependencyRule, edgeIndex: number): number => {
    let label: string;
    try {
      label = rule.group!.label({
        via: graph.viaOf(edgeIndex),
        relation: graph.relationOf(edgeIndex),
        from: graph.resources[graph.edgeFromNode[edgeIndex]!],
        to: graph.resources[graph.edgeToNode[edgeIndex]!],
      });
    } catch {
      label = rule.name;
    }
    const key = `${holder}\u0000${ruleIndex.get(rule)}\u0000${label}`;
    let g = groupKeys.get(key);
    if (g === undefined) {
      g = rawHolder.length;
      groupKeys.set(key, g);
      rawHolder.push(holder);
      rawLabel.push(label);
      rawRule.push(ruleIndex.get(rule)!);
      rawNeed.push(rule.group!.need);
    }
    return g;
  };

  for (let v = 0; v < n; v++) {
    const tv = graph.typeIds[v]!;
    for (let i = outStart[v]!; i < outStart[v + 1]!; i++) {
      const w = outNode[i]!;
      from[i] = v;
      to[i] = w;
      relation[i] = outRelation[i]!;
      const candidates = rulesFor(tv, graph.typeIds[w]!);
      let decided = false;
      for (const rule of candidates) {
        if (rule.relation !== undefined && relationCodes[outRelation[i]!] !== rule.relation) continue;
        if (rule.via !== undefined && !rule.via.test(graph.viaOf(outEdge[i]!))) continue;
        if (rule.mode === "classify") {
          if (decided) continue;
          decided = true;
          kind[i] = KIND_CODES[rule.kind];
          if (rule.kind === "group") groupOf[i] = groupFor(v, rule, outEdge[i]!);
        } else {
          extraFrom.push(w);
          extraTo.push(v);
          extraKind.push(KIND_CODES[rule.kind]);
          extraGroup.push(rule.kind === "group" ? groupFor(w, rule, outEdge[i]!) : -1);
        }
      }
    }
  }

  // Number the groups in (holder, label) order.
  const order = rawHolder
    .map((_h, i) => i)
    .sort(
      (a, b) =>
        rawHolder[a]! - rawHolder[b]! || (rawLabel[a]! < rawLabel[b]! ? -1 : rawLabel[a]! > rawLabel[b]! ? 1 : rawRule[a]! - rawRule[b]!),
    );
  const renumber = new Int32Array(order.length);
  order.forEach((raw, g) => (renumber[raw] = g));
  const count = order.length;
  const groups: Groups = {
    count,
    holder: Uint32Array.from(order.map((r) => rawHolder[r]!)),
    of: new Uint32Array(count),
    need: Uint32Array.from(order.map((r) => rawNeed[r]!)),
    labels: order.map((r) => rawLabel[r]!),
    rule: Uint16Array.from(order.map((r) => rawRule[r]!)),
  };

  const total = e + extraFrom.length;
  const allFrom = new Uint32Array(total);
  const allTo = new Uint32Array(total);
  const allKind = new Uint8Array(total);
  const allGroup = new Int32Array(total);
  const allRelation = new Uint8Array(total).fill(255);
  allFrom.set(from);
  allTo.set(to);
  allKind.set(kind);
  allRelation.set(relation);
  for (let i = 0; i < e; i++) allGroup[i] = groupOf[i]! < 0 ? -1 : renumber[groupOf[i]!]!;
  for (let j = 0; j < extraFrom.length; j++) {
    allFrom[e + j] = extraFrom[j]!;
    allTo[e + j] = extraTo[j]!;
    allKind[e + j] = extraKind[j]!;
    allGroup[e + j] = extraGroup[j]! < 0 ? -1 : renumber[extraGroup[j]!]!;
  }
  // A reverse rule may add a dependency the graph already has; keep one per (from, to, group).
  for (let i = 0; i < total; i++) if (allGroup[i]! >= 0) groups.of[allGroup[i]!] = groups.of[allGroup[i]!]! + 1;
  // A group cannot need more members than it has: a pool of one that "needs two" needs its one.
  for (let g = 0; g < count; g++) groups.need[g] = Math.min(groups.need[g]!, groups.of[g]!);
  // Only groups the holder needs can take it down; those it merely replicates to (need 0) never do.
  const groupsHeld = new Uint32Array(n);
  for (let g = 0; g < count; g++) if (groups.need[g]! > 0) groupsHeld[groups.holder[g]!] = groupsHeld[groups.holder[g]!]! + 1;

  const [depStart, depNode, depKind, depGroup, depRelation] = csr(n, allFrom, allTo, allKind, allGroup, allRelation);
  const [revStart, revNode, revKind, revGroup] = csr(n, allTo, allFrom, allKind, allGroup, allRelation);
  const entries = entryPoints(graph, options.entryPointRules);
  const monitored = new Uint8Array(n);
  for (let w = 0; w < n; w++) {
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      if (revKind[i] === OBSERVABILITY) {
        monitored[w] = 1;
        break;
      }
    }
  }
  return {
    graph,
    revStart,
    revNode,
    revKind,
    revGroup,
    depStart,
    depNode,
    depKind,
    depGroup,
    depRelation,
    groups,
    monitored,
    groupsHeld,
    placements: placementsOf(graph, options.placementRules),
    entryPoints: entries,
    entryFlags: entries.flags(),
    rules,
  };
}

const models = new WeakMap<TopologyGraph, FailureModel>();

/** The failure model of a graph with the default rules, built once per graph in this process. */
export function failureModelOf(graph: TopologyGraph): FailureModel {
  let model = models.get(graph);
  if (model === undefined) {
    model = buildFailureModel(graph);
    models.set(graph, model);
  }
  return model;
}

function csr(
  n: number,
  source: Uint32Array,
  target: Uint32Array,
  kind: Uint8Array,
  group: Int32Array,
  relation: Uint8Array,
): [Uint32Array, Uint32Array, Uint8Array, Int32Array, Uint8Array] {
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < source.length; i++) start[source[i]! + 1] = start[source[i]! + 1]! + 1;
  for (let v = 0; v < n; v++) start[v + 1] = start[v + 1]! + start[v]!;
  const fill = start.slice(0, n);
  const node = new Uint32Array(source.length);
  const k = new Uint8Array(source.length);
  const g = new Int32Array(source.length);
  const r = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const at = fill[source[i]!]!;
    fill[source[i]!] = at + 1;
    node[at] = target[i]!;
    k[at] = kind[i]!;
    g[at] = group[i]!;
    r[at] = relation[i]!;
  }
  return [start, node, k, g, r];
}
