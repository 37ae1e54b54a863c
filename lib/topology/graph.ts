/**
 * The dependency graph of an export, held compactly: keys interned to integer ids, both directions
 * of every edge in CSR form (offsets + neighbour ids in typed arrays), the relation of each edge as
 * a small int; edges are columns (ends, relation, interned via and direction), never one object
 * each; nodes hold their resources' facts (lib/topology/facts.ts), not whole payloads.
 */
import type { Direction, Relation } from "./edge-rules.js";
import type { ExportEdge, ExportResource } from "./export-format.js";
import { factsOf, groupRulesFor } from "./facts.js";
import { ancestorKeys, canonicalKey, parseResourceId } from "./ids.js";

/** Relation labels in code order: an edge stores its relation as the index in this list. */
export const relationCodes: readonly Relation[] = [
  "contains",
  "network",
  "hosting",
  "data",
  "identity",
  "security",
  "monitoring",
  "reference",
];

/** The code of the `monitoring` relation, whose edges carry observability, not outage. */
export const MONITORING: number = relationCodes.indexOf("monitoring");

const codeOf = new Map<string, number>(relationCodes.map((r, i) => [r, i]));

/** What a graph is built from: the parts of an export (docs/interfaces.md section 3) it reads. */
export interface GraphSource {
  resources: readonly ExportResource[];
  edges: readonly ExportEdge[];
  external?: readonly { key: string; id: string; type: string }[];
}

/** Direction evidence in code order: an edge stores it as the index in this list, {@link NO_DIRECTION} when absent. */
export const directionCodes: readonly Direction[] = ["containment", "writable", "read-only mirror", "rule", "inferred"];

/** The direction code of an edge written before edges carried direction evidence. */
export const NO_DIRECTION = 255;

const directionCodeOf = new Map<string, number>(directionCodes.map((d, i) => [d, i]));

/**
 * A graph in columns: what a graph-ready snapshot stores (lib/cache/snapshot/graph-index.ts) and
 * what {@link graphColumns} makes of an export. Edge `i` goes from `endpoints[edgeFrom[i]]` to
 * `endpoints[edgeTo[i]]`, both as written in the export.
 */
export interface GraphColumns {
  /** Each resource's facts (lib/topology/facts.ts), in the export's order. */
  resources: readonly ExportResource[];
  external: readonly { key: string; id: string; type: string }[];
  /** The distinct edge ends, in the order the edges first name them. */
  endpoints: readonly string[];
  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  /** `relationCodes` index of each edge. */
  edgeRelation: Uint8Array;
  /** Index into `vias` of each edge's `via`. */
  edgeVia: Uint32Array;
  vias: readonly string[];
  /** `directionCodes` index of each edge's direction evidence, NO_DIRECTION when it has none. */
  edgeDirection: Uint8Array;
}

/** Distinct strings numbered in the order first seen: `id(s)` is s's number, `table` the strings by number. */
export function interner(): { table: string[]; id: (s: string) => number } {
  const ids = new Map<string, number>();
  const table: string[] = [];
  return {
    table,
    id: (s) => {
      let id = ids.get(s);
      if (id === undefined) {
        id = table.length;
        ids.set(s, id);
        table.push(s);
      }
      return id;
    },
  };
}

/**
 * An export in columns, its resources reduced to their facts (the via paths of their own edges
 * kept, lib/topology/facts.ts). The facts share values with the export's resources.
 */
export function graphColumns(source: GraphSource): GraphColumns {
  const m = source.edges.length;
  const endpoints = interner();
  const vias = interner();
  const edgeFrom = new Uint32Array(m);
  const edgeTo = new Uint32Array(m);
  const edgeRelation = new Uint8Array(m);
  const edgeVia = new Uint32Array(m);
  const edgeDirection = new Uint8Array(m);
  const reference = codeOf.get("reference")!;
  // The via paths group labels read, per resource key (lib/topology/facts.ts): the group rules
  // of each pair of end types found once, each pattern tested once per distinct via.
  const typeOfKey = new Map<string, number>();
  const typeNames: string[] = [];
  const typeIndex = new Map<string, number>();
  for (const r of source.resources) {
    if (typeOfKey.has(r.key)) continue;
    const type = typeof r.type === "string" ? r.type.toLowerCase() : "";
    let t = typeIndex.get(type);
    if (t === undefined) typeIndex.set(type, (t = typeNames.push(type) - 1));
    typeOfKey.set(r.key, t);
  }
  const endType: number[] = [];
  const typeOfEnd = (j: number, end: string): number => (endType[j] ??= typeOfKey.get(end) ?? -1);
  const pairRules = new Map<number, readonly { relation?: string; via?: RegExp }[]>();
  const viaTests = new Map<RegExp, boolean[]>();
  const labelled = (ft: number, tt: number, relation: string, via: string, viaId: number): boolean => {
    const pair = (ft + 1) * 1_048_576 + (tt + 1);
    let rules = pairRules.get(pair);
    if (rules === undefined) pairRules.set(pair, (rules = groupRulesFor(typeNames[ft], typeNames[tt])));
    for (const r of rules) {
      if (r.relation !== undefined && r.relation !== relation) continue;
      if (r.via === undefined) return true;
      let tests = viaTests.get(r.via);
      if (tests === undefined) viaTests.set(r.via, (tests = []));
      if ((tests[viaId] ??= r.via.test(via))) return true;
    }
    return false;
  };
  const viasOf = new Map<string, Set<string>>();
  const note = (end: string, via: string): void => {
    let set = viasOf.get(end);
    if (set === undefined) viasOf.set(end, (set = new Set()));
    set.add(via);
  };
  for (let i = 0; i < m; i++) {
    const e = source.edges[i]!;
    const f = endpoints.id(e.from);
    const t = endpoints.id(e.to);
    edgeFrom[i] = f;
    edgeTo[i] = t;
    edgeRelation[i] = codeOf.get(e.relation) ?? reference;
    const via = vias.id(e.via);
    edgeVia[i] = via;
    edgeDirection[i] = e.direction === undefined ? NO_DIRECTION : (directionCodeOf.get(e.direction) ?? NO_DIRECTION);
    if (labelled(typeOfEnd(f, e.from), typeOfEnd(t, e.to), e.relation, e.via, via)) {
      note(e.from, e.via);
      note(e.to, e.via);
    }
  }
  return {
    resources: source.resources.map((r) => factsOf(r, viasOf.get(r.key))),
    external: source.external ?? [],
    endpoints: endpoints.table,
    edgeFrom,
    edgeTo,
    edgeRelation,
    edgeVia,
    vias: vias.table,
    edgeDirection,
  };
}

/** Edge `e` of the columns as the export wrote it (a new object each call). */
export function edgeOf(columns: GraphColumns, e: number): ExportEdge {
  const { endpoints, edgeFrom, edgeTo, edgeRelation, edgeVia, vias, edgeDirection } = columns;
  const edge: ExportEdge = {
    from: endpoints[edgeFrom[e]!]!,
    to: endpoints[edgeTo[e]!]!,
    relation: relationCodes[edgeRelation[e]!]!,
    via: vias[edgeVia[e]!]!,
  };
  const d = edgeDirection[e]!;
  return d === NO_DIRECTION ? edge : { ...edge, direction: directionCodes[d]! };
}

/** A neighbour of a node: the other end of one edge, and that edge's relation, `via` and direction evidence. */
export interface Neighbour {
  key: string;
  relation: Relation;
  via: string;
  /** How the edge's direction was decided; undefined for exports written before edges carried it. */
  direction: Direction | undefined;
}

/** Whether a node is a discovered resource, an `external` entry, or only named by an edge. */
export type NodeOrigin = "resource" | "external" | "unknown";

const ORIGINS: readonly NodeOrigin[] = ["resource", "external", "unknown"];

/**
 * The graph. Node ids are 0..nodeCount-1; the typed arrays are public for hot loops (impact, reach
 * counts) and must be treated as read-only. Edges are columns too: no object per edge.
 */
export class TopologyGraph {
  /** Canonical key of each node. */
  readonly keys: readonly string[];
  /**
   * The facts (lib/topology/facts.ts) of each node's resource; undefined for external and unknown
   * nodes. Not the whole payload: a snapshot's payloads are read apart (LoadedSnapshot.payloads).
   */
  readonly resources: readonly (ExportResource | undefined)[];
  /** Position in the source's `resources` of each node's resource; -1 for external and unknown nodes. */
  readonly resourcePosition: Int32Array;
  /** Lower-cased type of each node, as an index into `types`. */
  readonly typeIds: Uint32Array;
  /** The distinct lower-cased types. */
  readonly types: readonly string[];
  /** Subscription of each node (lower-cased), as an index into `subscriptions`. */
  readonly subscriptionIds: Uint32Array;
  /** The distinct lower-cased subscription ids. */
  readonly subscriptions: readonly string[];
  /** Resource group of each node (lower-cased, "" for none), as an index into `groups`. */
  readonly groupIds: Uint32Array;
  /** The distinct lower-cased resource group names ("" for none). */
  readonly groups: readonly string[];
  /** Index into `NodeOrigin` order: 0 resource, 1 external, 2 unknown. */
  readonly origins: Uint8Array;
  /** Edges leaving node v (v depends on them): outNode[outStart[v] .. outStart[v + 1]). */
  readonly outStart: Uint32Array;
  /** Target of each outgoing edge. */
  readonly outNode: Uint32Array;
  /** Relation code (`relationCodes` index) of each outgoing edge. */
  readonly outRelation: Uint8Array;
  /** Edge index (into the edge columns) of each outgoing edge. */
  readonly outEdge: Uint32Array;
  /** Edges arriving at node v (they depend on v): inNode[inStart[v] .. inStart[v + 1]). */
  readonly inStart: Uint32Array;
  /** Source of each incoming edge: the dependent. */
  readonly inNode: Uint32Array;
  /** Relation code of each incoming edge. */
  readonly inRelation: Uint8Array;
  /** Edge index of each incoming edge. */
  readonly inEdge: Uint32Array;
  /** The source's edges as columns (`outEdge` / `inEdge` index into them). */
  readonly columns: GraphColumns;
  /** Node of each edge's `from` and `to`. */
  readonly edgeFromNode: Uint32Array;
  readonly edgeToNode: Uint32Array;
  /** The external entries of the source, by key. */
  readonly externals: ReadonlyMap<string, { key: string; id: string; type: string }>;
  private readonly index: Map<string, number>;

  /** Builds the graph of columns; prefer `buildGraph` for an export. */
  constructor(columns: GraphColumns) {
    const index = new Map<string, number>();
    const keys: string[] = [];
    const resources: (ExportResource | undefined)[] = [];
    const positions: number[] = [];
    const origins: number[] = [];
    const add = (key: string, resource: ExportResource | undefined, origin: number, position: number): number => {
      const found = index.get(key);
      if (found !== undefined) return found;
      index.set(key, keys.length);
      keys.push(key);
      resources.push(resource);
      positions.push(position);
      origins.push(origin);
      return keys.length - 1;
    };
    columns.resources.forEach((r, i) => add(r.key, r, 0, i));
    const externals = new Map<string, { key: string; id: string; type: string }>();
    for (const e of columns.external) {
      externals.set(e.key, e);
      add(e.key, undefined, 1, -1);
    }
    // Each distinct end once, in the order edges first name them: unknown nodes get the ids they
    // would get edge by edge.
    const endpointNode = new Uint32Array(columns.endpoints.length);
    const seen = new Uint8Array(columns.endpoints.length);
    const nodeOfEnd = (j: number): number => {
      if (seen[j] === 0) {
        seen[j] = 1;
        const end = columns.endpoints[j]!;
        endpointNode[j] = index.get(end) ?? add(canonicalKey(end), undefined, 2, -1);
      }
      return endpointNode[j]!;
    };
    const m = columns.edgeFrom.length;
    const from = new Uint32Array(m);
    const to = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      from[i] = nodeOfEnd(columns.edgeFrom[i]!);
      to[i] = nodeOfEnd(columns.edgeTo[i]!);
    }

    const n = keys.length;
    this.keys = keys;
    this.resources = resources;
    this.resourcePosition = Int32Array.from(positions);
    this.index = index;
    this.columns = columns;
    this.edgeFromNode = from;
    this.edgeToNode = to;
    this.externals = externals;
    this.origins = Uint8Array.from(origins);
    [this.typeIds, this.types] = intern(n, (v) =>
      String(resources[v]?.type ?? externals.get(keys[v]!)?.type ?? parseResourceId(keys[v]!)?.type ?? "").toLowerCase(),
    );
    [this.subscriptionIds, this.subscriptions] = intern(n, (v) =>
      (resources[v]?.subscriptionId ?? parseResourceId(keys[v]!)?.subscriptionId ?? "").toLowerCase(),
    );
    [this.groupIds, this.groups] = intern(n, (v) =>
      (resources[v]?.resourceGroup ?? parseResourceId(keys[v]!)?.resourceGroup ?? "").toLowerCase(),
    );
    [this.outStart, this.outNode, this.outRelation, this.outEdge] = csr(n, from, to, columns.edgeRelation);
    [this.inStart, this.inNode, this.inRelation, this.inEdge] = csr(n, to, from, columns.edgeRelation);
  }

  /** Number of nodes: resources, external entries and keys only named by an edge. */
  get nodeCount(): number {
    return this.keys.length;
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.columns.edgeFrom.length;
  }

  /** The relation of edge `e`. */
  relationOf(e: number): Relation {
    return relationCodes[this.columns.edgeRelation[e]!]!;
  }

  /** The `via` of edge `e`: where in a payload the reference was found. */
  viaOf(e: number): string {
    return this.columns.vias[this.columns.edgeVia[e]!]!;
  }

  /** The direction evidence of edge `e`; undefined for exports written before edges carried it. */
  directionOf(e: number): Direction | undefined {
    const code = this.columns.edgeDirection[e]!;
    return code === NO_DIRECTION ? undefined : directionCodes[code];
  }

  /** Edge `e` as the export wrote it (a new object each call). */
  edge(e: number): ExportEdge {
    return edgeOf(this.columns, e);
  }

  /** The node id of a key or ARM id in any casing; undefined when the graph does not hold it. */
  idOf(keyOrId: string): number | undefined {
    return this.index.get(keyOrId) ?? this.index.get(canonicalKey(keyOrId));
  }

  /**
   * The node an id written in a payload refers to: the id itself, else its nearest ancestor that
   * is a node (`…/networkInterfaces/nic1/ipConfigurations/ip1` is the NIC).
   */
  resolve(idInPayload: string): number | undefined {
    const key = canonicalKey(idInPayload);
    const direct = this.index.get(key);
    if (direct !== undefined) return direct;
    for (const a of ancestorKeys(key)) {
      const found = this.index.get(a);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The lower-cased type of a node. */
  typeOf(id: number): string {
    return this.types[this.typeIds[id]!]!;
  }

  /** Whether a node is a discovered resource, an external entry, or only named by an edge. */
  originOf(id: number): NodeOrigin {
    return ORIGINS[this.origins[id]!]!;
  }

  /** The node's name: the resource's `name`, else the last segment of its key. */
  nameOf(id: number): string {
    const name = this.resources[id]?.name;
    return typeof name === "string" ? name : (this.keys[id]!.split("/").at(-1) ?? "");
  }

  /** What a node depends on (its outgoing edges), in the source's edge order. */
  dependencies(id: number): Neighbour[] {
    return this.neighbours(id, this.outStart, this.outNode, this.outEdge);
  }

  /** What depends on a node (its incoming edges), in the source's edge order. */
  dependents(id: number): Neighbour[] {
    return this.neighbours(id, this.inStart, this.inNode, this.inEdge);
  }

  private neighbours(id: number, start: Uint32Array, node: Uint32Array, edge: Uint32Array): Neighbour[] {
    const out: Neighbour[] = [];
    for (let i = start[id]!; i < start[id + 1]!; i++) {
      const e = edge[i]!;
      out.push({ key: this.keys[node[i]!]!, relation: this.relationOf(e), via: this.viaOf(e), direction: this.directionOf(e) });
    }
    return out;
  }
}

/**
 * Builds the compact graph of an export (through {@link graphColumns}, the one path a snapshot's
 * graph takes too). Edges naming keys that are neither resources nor external entries get
 * "unknown" nodes.
 */
export function buildGraph(source: GraphSource): TopologyGraph {
  return new TopologyGraph(graphColumns(source));
}

function intern(n: number, valueOf: (v: number) => string): [Uint32Array, string[]] {
  const ids = new Uint32Array(n);
  const table = new Map<string, number>();
  const values: string[] = [];
  for (let v = 0; v < n; v++) {
    const value = valueOf(v);
    let id = table.get(value);
    if (id === undefined) {
      id = values.length;
      table.set(value, id);
      values.push(value);
    }
    ids[v] = id;
  }
  return [ids, values];
}

/** Compressed sparse rows of (source → target) pairs, keeping the edges' order within a row. */
function csr(
  n: number,
  source: Uint32Array,
  target: Uint32Array,
  relation: Uint8Array,
): [Uint32Array, Uint32Array, Uint8Array, Uint32Array] {
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < source.length; i++) start[source[i]! + 1] = start[source[i]! + 1]! + 1;
  for (let v = 0; v < n; v++) start[v + 1] = start[v + 1]! + start[v]!;
  const fill = start.slice(0, n);
  const node = new Uint32Array(source.length);
  const rel = new Uint8Array(source.length);
  const edge = new Uint32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const at = fill[source[i]!]!;
    fill[source[i]!] = at + 1;
    node[at] = target[i]!;
    rel[at] = relation[i]!;
    edge[at] = i;
  }
  return [start, node, rel, edge];
}
