import type { Relation } from "./edge-rules.js";
import type { EntryPointRule } from "./entry-point-rules.js";
import { type EntryPointMatch, type EntryPoints, entryPoints } from "./entry-points.js";
import { MONITORING, relationCodes, type TopologyGraph } from "./graph.js";

/** Options of `impactOf`. */
export interface ImpactOptions {
  /** Hops followed from the resource: 1 lists its direct dependents only. @default Infinity */
  depth?: number;
  /** Entry-point rules. @default entryPointRules */
  entryPointRules?: readonly EntryPointRule[];
}

/** A resource reached by an impact. */
export interface ImpactedResource {
  key: string;
  /** Lower-cased type. */
  type: string;
  name: string;
  /** Hops from the failed resource along dependency edges: the length of a shortest path. */
  distance: number;
  /**
   * One shortest dependency path, from this resource to the failed one: each key depends on the
   * next (`path[i]` → `path[i + 1]` is an edge of the graph).
   */
  path: string[];
  /** The relation of each edge of `path`: `relations[i]` labels `path[i]` → `path[i + 1]`. */
  relations: Relation[];
  /** Set when the resource is an entry point. */
  entryPoint?: EntryPointMatch;
}

/** The blast radius of one resource. */
export interface Impact {
  key: string;
  depth: number;
  /** Resources that fail with it (through any relation but `monitoring`), each once, nearest first, then in export order. */
  impacted: ImpactedResource[];
  /** The entry points among `impacted`: where users feel the failure. */
  entryPoints: ImpactedResource[];
  /**
   * Resources that only lose telemetry or alerting: reached through a `monitoring` edge from the
   * failed resource or from something in `impacted`, then through `monitoring` edges only; the
   * distance is that of the shortest such path. Disjoint from `impacted`.
   */
  observability: ImpactedResource[];
  /** True when the depth limit left dependents unvisited. */
  truncated: boolean;
}

const UNSEEN = -1;

/**
 * The blast radius of a resource: every resource that transitively depends on it, each once, with
 * its distance and one shortest dependency path; the entry points among them; and, apart, the
 * resources whose observability it takes down. Breadth-first, O(nodes + edges reached).
 * Returns undefined when the graph does not hold `key`.
 *
 * Warning: without a depth limit, the impact of a hub in a large, densely connected estate lists
 * most of the estate, each entry with its path. For sizes alone, over every resource, use
 * `riskScan` (or `reachCounts`), which never builds the lists.
 */
export function impactOf(graph: TopologyGraph, key: string, options: ImpactOptions = {}): Impact | undefined {
  const root = graph.idOf(key);
  if (root === undefined) return undefined;
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const entries = entryPoints(graph, options.entryPointRules);
  const outage = outageOf(graph, root, depth);
  const telemetry = telemetryLossOf(graph, root, depth, outage);
  const found: Found = { graph, root, entries, outage, telemetry };
  const impacted = outage.reached
    .slice(1)
    .sort(byDistance(outage.distance))
    .map((v) => describe(found, v, false));
  return {
    key: graph.keys[root]!,
    depth,
    impacted,
    entryPoints: impacted.filter((r) => r.entryPoint !== undefined),
    observability: telemetry.reached
      .filter((v) => outage.distance[v] === UNSEEN)
      .sort(byDistance(telemetry.distance))
      .map((v) => describe(found, v, true)),
    truncated: outage.truncated || telemetry.truncated,
  };
}

/** A breadth-first search from the failed resource: what it reached, in order; the distance (UNSEEN when not reached) and parent of each. */
interface Search {
  reached: number[];
  distance: Int32Array;
  parent: Int32Array;
  /** True when the depth limit left resources unvisited. */
  truncated: boolean;
}

/** The outage: a search over every relation but monitoring, with the relation to each resource's parent. */
interface Outage extends Search {
  parentRelation: Uint8Array;
}

/** The loss of telemetry: a search over monitoring edges only, from the outage. */
interface TelemetryLoss extends Search {
  /** 1 when a resource's parent is in the outage, 0 when the parent lost telemetry too. */
  viaOutage: Uint8Array;
}

/** Outage: breadth-first over every relation but monitoring. */
function outageOf(graph: TopologyGraph, root: number, depth: number): Outage {
  const { inStart, inNode, inRelation } = graph;
  const n = graph.nodeCount;
  const distance = new Int32Array(n).fill(UNSEEN);
  const parent = new Int32Array(n);
  const parentRelation = new Uint8Array(n);
  distance[root] = 0;
  const outage: number[] = [root];
  let truncated = false;
  for (let head = 0; head < outage.length; head++) {
    const v = outage[head]!;
    const d = distance[v]!;
    for (let i = inStart[v]!; i < inStart[v + 1]!; i++) {
      if (inRelation[i] === MONITORING) continue;
      const u = inNode[i]!;
      if (distance[u] !== UNSEEN) continue;
      if (d + 1 > depth) {
        truncated = true;
        continue;
      }
      distance[u] = d + 1;
      parent[u] = v;
      parentRelation[u] = inRelation[i]!;
      outage.push(u);
    }
  }
  return { reached: outage, distance, parent, parentRelation, truncated };
}

/**
 * Observability: a second breadth-first pass over monitoring edges only, from every resource in
 * the outage (in distance order) and from what already lost telemetry. A resource in the outage
 * can also lose telemetry sooner through monitoring edges, so this pass keeps its own distances
 * and parents; two monotone queues merged by distance keep every distance shortest.
 */
function telemetryLossOf(graph: TopologyGraph, root: number, depth: number, outage: Outage): TelemetryLoss {
  const { inStart, inNode, inRelation } = graph;
  const n = graph.nodeCount;
  const { reached, distance } = outage;
  const distance1 = new Int32Array(n).fill(UNSEEN);
  const parent1 = new Int32Array(n);
  const viaOutage = new Uint8Array(n);
  const observed: number[] = [];
  let truncated = false;
  let a = 0;
  let b = 0;
  while (a < reached.length || b < observed.length) {
    const fromOutage = b >= observed.length || (a < reached.length && distance[reached[a]!]! <= distance1[observed[b]!]!);
    const v = fromOutage ? reached[a++]! : observed[b++]!;
    const d = fromOutage ? distance[v]! : distance1[v]!;
    for (let i = inStart[v]!; i < inStart[v + 1]!; i++) {
      if (inRelation[i] !== MONITORING) continue;
      const u = inNode[i]!;
      if (u === root || distance1[u] !== UNSEEN) continue;
      if (d + 1 > depth) {
        // A resource already in the outage is listed there; its own telemetry chain is no loss.
        if (distance[u] === UNSEEN) truncated = true;
        continue;
      }
      distance1[u] = d + 1;
      parent1[u] = v;
      viaOutage[u] = fromOutage ? 1 : 0;
      observed.push(u);
    }
  }
  return { reached: observed, distance: distance1, parent: parent1, viaOutage, truncated };
}

/** What `describe` reads: the graph, the failed resource, the entry points, and both searches. */
interface Found {
  graph: TopologyGraph;
  root: number;
  entries: EntryPoints;
  outage: Outage;
  telemetry: TelemetryLoss;
}

/** Resource v as reached by the outage, or (`telemetry`) by the loss of telemetry, with its path back to the failed resource. */
function describe(found: Found, v: number, telemetry: boolean): ImpactedResource {
  const { graph, root, outage, telemetry: lost } = found;
  const path: string[] = [];
  const relations: Relation[] = [];
  let at = v;
  let inTelemetry = telemetry;
  while (at !== root) {
    path.push(graph.keys[at]!);
    if (inTelemetry) {
      relations.push("monitoring");
      inTelemetry = lost.viaOutage[at] === 0;
      at = lost.parent[at]!;
    } else {
      relations.push(relationCodes[outage.parentRelation[at]!]!);
      at = outage.parent[at]!;
    }
  }
  path.push(graph.keys[root]!);
  const entryPoint = found.entries.of(v);
  return {
    key: graph.keys[v]!,
    type: graph.typeOf(v),
    name: graph.nameOf(v),
    distance: telemetry ? lost.distance[v]! : outage.distance[v]!,
    path,
    relations,
    ...(entryPoint === undefined ? {} : { entryPoint }),
  };
}

// Breadth-first order is already by distance; within a distance, by position in the export
// (discovery writes resources sorted by key), so the order is stable without comparing keys.
function byDistance(dist: Int32Array): (x: number, y: number) => number {
  return (x, y) => dist[x]! - dist[y]! || x - y;
}
