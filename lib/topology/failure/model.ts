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
  const classified = classifyEdges(graph, rules);
  const { groups, renumber } = numberGroups(classified.groups);
  const all = allDependencies(classified, renumber);
  const groupsHeld = settleGroups(n, groups, all.group);
  const [depStart, depNode, depKind, depGroup, depRelation] = csr(n, all.from, all.to, all.kind, all.group, all.relation);
  const [revStart, revNode, revKind, revGroup] = csr(n, all.to, all.from, all.kind, all.group, all.relation);
  const entries = entryPoints(graph, options.entryPointRules);
  const monitored = monitoredNodes(n, revStart, revKind);
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

/** The rules, with what classifying an edge asks of them: each rule's index, and the rules of each pair of types (memoised). */
interface RuleLookup {
  graph: TopologyGraph;
  rules: readonly DependencyRule[];
  typeCount: number;
  ruleIndex: Map<DependencyRule, number>;
  byPair: Map<number, DependencyRule[]>;
}

/** The rules whose types match an edge from type `from` to type `to` (type ids), in rule order. */
function rulesFor(lookup: RuleLookup, from: number, to: number): DependencyRule[] {
  const { graph } = lookup;
  const key = from * lookup.typeCount + to;
  let found = lookup.byPair.get(key);
  if (found === undefined) {
    const a = graph.types[from]!;
    const b = graph.types[to]!;
    found = lookup.rules.filter((r) => matchesType(r.from, a) && matchesType(r.to, b));
    lookup.byPair.set(key, found);
  }
  return found;
}

/**
 * Groups as found, (holder, rule, label) each once, in the order edges formed them. They are
 * numbered in (holder, label) order afterwards (`numberGroups`), so the numbering never depends on
 * the order of the edges.
 */
interface RawGroups {
  keys: Map<string, number>;
  holder: number[];
  label: string[];
  rule: number[];
  need: number[];
}

/** The raw group of `holder` that a group rule puts the dependency of graph edge `edgeIndex` in; a label that throws is the rule's name. */
function groupFor(lookup: RuleLookup, raw: RawGroups, holder: number, rule: DependencyRule, edgeIndex: number): number {
  const { graph, ruleIndex } = lookup;
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
  let g = raw.keys.get(key);
  if (g === undefined) {
    g = raw.holder.length;
    raw.keys.set(key, g);
    raw.holder.push(holder);
    raw.label.push(label);
    raw.rule.push(ruleIndex.get(rule)!);
    raw.need.push(rule.group!.need);
  }
  return g;
}

/** Dependencies as parallel arrays: `from[i]` depends on `to[i]`, with its kind, group (-1 for none) and relation code. */
interface DependencyArrays {
  from: Uint32Array;
  to: Uint32Array;
  kind: Uint8Array;
  group: Int32Array;
  relation: Uint8Array;
}

/** The dependencies reverse rules add, in the same form (their relation is 255). */
interface ExtraDependencies {
  from: number[];
  to: number[];
  kind: number[];
  group: number[];
}

/** What classifying the graph's edges finds: the edges as dependencies (with raw groups), those reverse rules add, and the groups. */
interface Classified {
  edges: DependencyArrays;
  extra: ExtraDependencies;
  groups: RawGroups;
}

/**
 * Dependencies: the graph's edges (kind by the first classify rule that matches), and the reverse
 * ones the reverse rules add. One pass over every edge, kept in one body: it runs per edge and
 * per candidate rule.
 */
function classifyEdges(graph: TopologyGraph, rules: readonly DependencyRule[]): Classified {
  const lookup: RuleLookup = {
    graph,
    rules,
    typeCount: graph.types.length,
    ruleIndex: new Map(rules.map((r, i) => [r, i])),
    byPair: new Map(),
  };
  const { outStart, outNode, outRelation, outEdge } = graph;
  const e = outNode.length;
  const from = new Uint32Array(e);
  const to = new Uint32Array(e);
  const kind = new Uint8Array(e);
  const relation = new Uint8Array(e);
  const groupOf = new Int32Array(e).fill(-1);
  const extra: ExtraDependencies = { from: [], to: [], kind: [], group: [] };
  const groups: RawGroups = { keys: new Map(), holder: [], label: [], rule: [], need: [] };
  for (let v = 0; v < graph.nodeCount; v++) {
    const tv = graph.typeIds[v]!;
    for (let i = outStart[v]!; i < outStart[v + 1]!; i++) {
      const w = outNode[i]!;
      from[i] = v;
      to[i] = w;
      relation[i] = outRelation[i]!;
      const candidates = rulesFor(lookup, tv, graph.typeIds[w]!);
      let decided = false;
      for (const rule of candidates) {
        if (rule.relation !== undefined && relationCodes[outRelation[i]!] !== rule.relation) continue;
        if (rule.via !== undefined && !rule.via.test(graph.viaOf(outEdge[i]!))) continue;
        if (rule.mode === "classify") {
          if (decided) continue;
          decided = true;
          kind[i] = KIND_CODES[rule.kind];
          if (rule.kind === "group") groupOf[i] = groupFor(lookup, groups, v, rule, outEdge[i]!);
        } else {
          extra.from.push(w);
          extra.to.push(v);
          extra.kind.push(KIND_CODES[rule.kind]);
          extra.group.push(rule.kind === "group" ? groupFor(lookup, groups, w, rule, outEdge[i]!) : -1);
        }
      }
    }
  }
  return { edges: { from, to, kind, group: groupOf, relation }, extra, groups };
}

/** The groups numbered in (holder, label) order, and the new number of each raw group. */
function numberGroups(raw: RawGroups): { groups: Groups; renumber: Int32Array } {
  const { holder, label, rule, need } = raw;
  const order = holder
    .map((_h, i) => i)
    .sort((a, b) => holder[a]! - holder[b]! || (label[a]! < label[b]! ? -1 : label[a]! > label[b]! ? 1 : rule[a]! - rule[b]!));
  const renumber = new Int32Array(order.length);
  order.forEach((r, g) => (renumber[r] = g));
  const count = order.length;
  const groups: Groups = {
    count,
    holder: Uint32Array.from(order.map((r) => holder[r]!)),
    of: new Uint32Array(count),
    need: Uint32Array.from(order.map((r) => need[r]!)),
    labels: order.map((r) => label[r]!),
    rule: Uint16Array.from(order.map((r) => rule[r]!)),
  };
  return { groups, renumber };
}

/** Every dependency, the graph's edges then the extra ones, with groups renumbered; 255 is the relation of the extra ones. */
function allDependencies({ edges, extra }: Classified, renumber: Int32Array): DependencyArrays {
  const e = edges.from.length;
  const total = e + extra.from.length;
  const from = new Uint32Array(total);
  const to = new Uint32Array(total);
  const kind = new Uint8Array(total);
  const group = new Int32Array(total);
  const relation = new Uint8Array(total).fill(255);
  from.set(edges.from);
  to.set(edges.to);
  kind.set(edges.kind);
  relation.set(edges.relation);
  for (let i = 0; i < e; i++) group[i] = edges.group[i]! < 0 ? -1 : renumber[edges.group[i]!]!;
  for (let j = 0; j < extra.from.length; j++) {
    from[e + j] = extra.from[j]!;
    to[e + j] = extra.to[j]!;
    kind[e + j] = extra.kind[j]!;
    group[e + j] = extra.group[j]! < 0 ? -1 : renumber[extra.group[j]!]!;
  }
  return { from, to, kind, group, relation };
}

/** Fills in each group's size (`of`) and caps its `need` by it; returns how many groups each node needs (`groupsHeld`). */
function settleGroups(n: number, groups: Groups, group: Int32Array): Uint32Array {
  // One member per dependency in the group: inferEdges keeps one edge per pair of resources, so the
  // dependency a reverse rule adds (w -> v for the edge v -> w) never repeats one of the graph's.
  for (let i = 0; i < group.length; i++) if (group[i]! >= 0) groups.of[group[i]!] = groups.of[group[i]!]! + 1;
  // A group cannot need more members than it has: a pool of one that "needs two" needs its one.
  for (let g = 0; g < groups.count; g++) groups.need[g] = Math.min(groups.need[g]!, groups.of[g]!);
  // Only groups the holder needs can take it down; those it merely replicates to (need 0) never do.
  const groupsHeld = new Uint32Array(n);
  for (let g = 0; g < groups.count; g++) if (groups.need[g]! > 0) groupsHeld[groups.holder[g]!] = groupsHeld[groups.holder[g]!]! + 1;
  return groupsHeld;
}

/** 1 for every node something depends on for observability only. */
function monitoredNodes(n: number, revStart: Uint32Array, revKind: Uint8Array): Uint8Array {
  const monitored = new Uint8Array(n);
  for (let w = 0; w < n; w++) {
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      if (revKind[i] === OBSERVABILITY) {
        monitored[w] = 1;
        break;
      }
    }
  }
  return monitored;
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
