/**
 * The dependency graph of an export, held compactly: keys interned to integer ids, both directions
 * of every edge in CSR form (offsets + neighbour ids in typed arrays), the relation of each edge as
 * a small int. 100,000 nodes and 500,000 edges take a few tens of MB beyond the export itself.
 */
import type { Direction, Relation } from "./edge-rules.js";
import type { ExportEdge, ExportResource } from "./export-format.js";
import { ancestorKeys, canonicalKey, parseResourceId } from "./ids.js";

/** Relation labels in code order: an edge stores its relation as the index in this list. */
export const relationCodes: readonly Relation[] = ["contains", "network", "hosting", "data", "identity", "security", "monitoring", "reference"];

/** The code of the `monitoring` relation, whose edges carry observability, not outage. */
export const MONITORING: number = relationCodes.indexOf("monitoring");

const codeOf = new Map<string, number>(relationCodes.map((r, i) => [r, i]));

/** What a graph is built from: the parts of an export (contracts.md section 3) it reads. */
export interface GraphSource {
  resources: readonly ExportResource[];
  edges: readonly ExportEdge[];
  external?: readonly { key: string; id: string; type: string }[];
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
 * counts) and must be treated as read-only.
 */
export class TopologyGraph {
  /** Canonical key of each node. */
  readonly keys: readonly string[];
  /** The export resource of each node; undefined for external and unknown nodes. */
  readonly resources: readonly (ExportResource | undefined)[];
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
  /** Index into `edges` of each outgoing edge. */
  readonly outEdge: Uint32Array;
  /** Edges arriving at node v (they depend on v): inNode[inStart[v] .. inStart[v + 1]). */
  readonly inStart: Uint32Array;
  /** Source of each incoming edge: the dependent. */
  readonly inNode: Uint32Array;
  /** Relation code of each incoming edge. */
  readonly inRelation: Uint8Array;
  /** Index into `edges` of each incoming edge. */
  readonly inEdge: Uint32Array;
  /** The source's edges; `outEdge` / `inEdge` index into it. */
  readonly edges: readonly ExportEdge[];
  /** The external entries of the source, by key. */
  readonly externals: ReadonlyMap<string, { key: string; id: string; type: string }>;
  private readonly index: Map<string, number>;

  /** Builds the graph of a source; prefer `buildGraph`. */
  constructor(source: GraphSource) {
    const index = new Map<string, number>();
    const keys: string[] = [];
    const resources: (ExportResource | undefined)[] = [];
    const origins: number[] = [];
    const add = (key: string, resource: ExportResource | undefined, origin: number): number => {
      const found = index.get(key);
      if (found !== undefined) return found;
      index.set(key, keys.length);
      keys.push(key);
      resources.push(resource);
      origins.push(origin);
      return keys.length - 1;
    };
    for (const r of source.resources) add(r.key, r, 0);
    const externals = new Map<string, { key: string; id: string; type: string }>();
    for (const e of source.external ?? []) {
      externals.set(e.key, e);
      add(e.key, undefined, 1);
    }
    const edgeCount = source.edges.length;
    const from = new Uint32Array(edgeCount);
    const to = new Uint32Array(edgeCount);
    const relation = new Uint8Array(edgeCount);
    const reference = codeOf.get("reference")!;
    // Exports list edges grouped by `from`: one lookup per group, not per edge.
    let lastFrom: string | undefined;
    let lastFromId = 0;
    source.edges.forEach((e, i) => {
      if (e.from !== lastFrom) {
        lastFrom = e.from;
        lastFromId = index.get(e.from) ?? add(canonicalKey(e.from), undefined, 2);
      }
      from[i] = lastFromId;
      to[i] = index.get(e.to) ?? add(canonicalKey(e.to), undefined, 2);
      relation[i] = codeOf.get(e.relation) ?? reference;
    });

    const n = keys.length;
    this.keys = keys;
    this.resources = resources;
    this.index = index;
    this.edges = source.edges;
    this.externals = externals;
    this.origins = Uint8Array.from(origins);
    [this.typeIds, this.types] = intern(n, (v) => (resources[v]?.type ?? externals.get(keys[v]!)?.type ?? parseResourceId(keys[v]!)?.type ?? "").toLowerCase());
    [this.subscriptionIds, this.subscriptions] = intern(n, (v) => (resources[v]?.subscriptionId ?? parseResourceId(keys[v]!)?.subscriptionId ?? "").toLowerCase());
    [this.groupIds, this.groups] = intern(n, (v) => (resources[v]?.resourceGroup ?? parseResourceId(keys[v]!)?.resourceGroup ?? "").toLowerCase());
    [this.outStart, this.outNode, this.outRelation, this.outEdge] = csr(n, from, to, relation);
    [this.inStart, this.inNode, this.inRelation, this.inEdge] = csr(n, to, from, relation);
  }

  /** Number of nodes: resources, external entries and keys only named by an edge. */
  get nodeCount(): number {
    return this.keys.length;
  }

  /** Number of edges. */
  get edgeCount(): number {
    return this.edges.length;
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
      const e = this.edges[edge[i]!]!;
      out.push({ key: this.keys[node[i]!]!, relation: e.relation, via: e.via, direction: e.direction });
    }
    return out;
  }
}

/** Builds the compact graph of an export. Edges naming keys that are neither resources nor external entries get "unknown" nodes. */
export function buildGraph(source: GraphSource): TopologyGraph {
  return new TopologyGraph(source);
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
function csr(n: number, source: Uint32Array, target: Uint32Array, relation: Uint8Array): [Uint32Array, Uint32Array, Uint8Array, Uint32Array] {
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
