import type { TopologyGraph } from "./graph.js";

/** Which part of a graph to render. Filters combine: a resource must pass every one given. */
export interface TopologyScope {
  /** Subscription ids, any casing. @default every subscription */
  subscriptions?: readonly string[];
  /** Resource group names, any casing. @default every resource group */
  resourceGroups?: readonly string[];
  /** Resource types, any casing (`Microsoft.Web/sites`). @default every type */
  types?: readonly string[];
  /** Only the neighbourhood of one resource. @default the whole graph */
  around?: {
    key: string;
    /** Hops from the resource. @default 1 */
    depth?: number;
    /** Follow edges to what depends on it, to what it depends on, or both. @default "both" */
    direction?: "both" | "dependents" | "dependencies";
  };
}

/** The part of a graph a scope selects. */
export interface ScopedGraph {
  /** Node ids, ordered by key. */
  nodes: number[];
  /** Edge indices (into the graph's edge columns) whose both ends are selected, in the source's order. */
  edges: number[];
}

const lowerSet = (xs: readonly string[] | undefined): Set<string> | undefined =>
  xs === undefined ? undefined : new Set(xs.map((x) => x.toLowerCase()));

function neighbourhood(graph: TopologyGraph, root: number, depth: number, direction: "both" | "dependents" | "dependencies"): Set<number> {
  const seen = new Set([root]);
  let frontier = [root];
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const next: number[] = [];
    const visit = (start: Uint32Array, node: Uint32Array, v: number): void => {
      for (let i = start[v]!; i < start[v + 1]!; i++) {
        const u = node[i]!;
        if (!seen.has(u)) {
          seen.add(u);
          next.push(u);
        }
      }
    };
    for (const v of frontier) {
      if (direction !== "dependencies") visit(graph.inStart, graph.inNode, v);
      if (direction !== "dependents") visit(graph.outStart, graph.outNode, v);
    }
    frontier = next;
  }
  return seen;
}

/**
 * The nodes and edges a scope selects. Discovered resources must pass every filter (the `around`
 * resource itself always does); external nodes come along when an edge joins them to a selected
 * resource (and, with `around`, when they are in the neighbourhood). An `around` key the graph
 * does not hold selects nothing.
 */
export function scopeOf(graph: TopologyGraph, scope: TopologyScope = {}): ScopedGraph {
  const subscriptions = lowerSet(scope.subscriptions);
  const groups = lowerSet(scope.resourceGroups);
  const types = lowerSet(scope.types);
  let near: Set<number> | undefined;
  let root: number | undefined;
  if (scope.around !== undefined) {
    root = graph.idOf(scope.around.key);
    if (root === undefined) return { nodes: [], edges: [] };
    near = neighbourhood(graph, root, scope.around.depth ?? 1, scope.around.direction ?? "both");
  }
  const selected = new Uint8Array(graph.nodeCount);
  const candidates = near ?? Array.from({ length: graph.nodeCount }, (_v, i) => i);
  for (const v of candidates) {
    if (graph.resources[v] === undefined) continue;
    const passes =
      v === root ||
      ((subscriptions === undefined || subscriptions.has(graph.subscriptions[graph.subscriptionIds[v]!]!)) &&
        (groups === undefined || groups.has(graph.groups[graph.groupIds[v]!]!)) &&
        (types === undefined || types.has(graph.typeOf(v))));
    if (passes) selected[v] = 1;
  }
  if (root !== undefined) selected[root] = 1;
  // External nodes joined to a selected resource.
  for (let v = 0; v < graph.nodeCount; v++) {
    if (selected[v] !== 1 || graph.resources[v] === undefined) continue;
    const pull = (start: Uint32Array, node: Uint32Array): void => {
      for (let i = start[v]!; i < start[v + 1]!; i++) {
        const u = node[i]!;
        if (graph.resources[u] === undefined && (near === undefined || near.has(u))) selected[u] = 1;
      }
    };
    pull(graph.outStart, graph.outNode);
    pull(graph.inStart, graph.inNode);
  }
  const nodes: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (selected[v] === 1) nodes.push(v);
  nodes.sort((a, b) => (graph.keys[a]! < graph.keys[b]! ? -1 : 1));
  const edges: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (selected[v] !== 1) continue;
    for (let i = graph.outStart[v]!; i < graph.outStart[v + 1]!; i++) if (selected[graph.outNode[i]!] === 1) edges.push(graph.outEdge[i]!);
  }
  edges.sort((a, b) => a - b);
  return { nodes, edges };
}

/** One resource group of a rendering: its name as first spelled, and its nodes. */
export interface NodeGroup {
  subscription: string;
  resourceGroup: string;
  nodes: number[];
}

/**
 * Selected nodes grouped by subscription, then resource group (case-insensitively, named as first
 * spelled; "" for nodes outside any group), sorted by subscription and group.
 */
export function groupBySubscription(graph: TopologyGraph, nodes: readonly number[]): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  for (const v of nodes) {
    const subscription = graph.subscriptions[graph.subscriptionIds[v]!]!;
    const lower = graph.groups[graph.groupIds[v]!]!;
    const id = `${subscription}/${lower}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { subscription, resourceGroup: graph.resources[v]?.resourceGroup ?? lower, nodes: [] };
      groups.set(id, group);
    }
    group.nodes.push(v);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}
