import { referenceDirection } from "./direction.js";
import {
  type Direction,
  embeddedNodeTypes,
  type Relation,
  relationByHolderType,
  relationByPath,
  relationByTargetType,
} from "./edge-rules.js";
import { ancestorKeys, canonicalKey, parseResourceId, typeOfKey } from "./ids.js";
import {
  DECLARED_HOST,
  type EdgeSource,
  type Enclosing,
  FINDING_SLOTS,
  HOST_NAME,
  IN_OWN_ID,
  isDescendant,
  ReferenceScans,
  type ScanView,
} from "./reference-scan.js";

export type { EdgeSource } from "./reference-scan.js";

/** A dependency: `from` depends on `to` (docs/interfaces.md section 3). */
export interface Edge {
  from: string;
  to: string;
  relation: Relation;
  /** JSON path, in the holder's payload, of the reference that produced the edge. */
  via: string;
  /** How the direction was decided (edge-rules.ts `Direction`); a shared string literal. */
  direction: Direction;
}

/** A referenced resource that is not in the discovered set. */
export interface ExternalRef {
  key: string;
  id: string;
  type: string;
}

/** The edges and external references of a set of resources. */
export interface InferredEdges {
  edges: Edge[];
  external: ExternalRef[];
}

// When two findings join the same pair of resources in the same direction, the edge keeps the best
// evidence: structure, then the dependent's own writable reference, then a hand-written rule, then
// a read-only mirror on the dependency, then an inference; and the holder's own payload before a
// parent's embedded copy. When they point opposite ways, the stronger evidence wins (a rule exists
// to overrule the metadata, so it outranks a writable reference); evidence of equal strength on
// both sides leaves the direction undecided (see `undecided`).
const agreeRank: Readonly<Record<Direction, number>> = { containment: 0, writable: 1, rule: 2, "read-only mirror": 3, inferred: 4 };
const conflictStrength: Readonly<Record<Direction, number>> = { containment: 0, rule: 1, writable: 2, "read-only mirror": 3, inferred: 4 };

/**
 * A finding's rank among same-direction findings: evidence first, then the dependent's own
 * payload before the dependency's, then a holder's own payload before an embedded copy.
 */
const rankOf = (direction: Direction, reversed: boolean, embedded: boolean): number =>
  agreeRank[direction] * 4 + (reversed ? 2 : 0) + (embedded ? 1 : 0);

/** A finding kept for a pair: its edge, its rank (`rankOf`), and whether the holder names the other side in an array. */
interface Finding {
  edge: Edge;
  rank: number;
  listed: boolean;
}

/** The edge of a pair whose findings point both ways. */
function settle(a: Finding, b: Finding): Edge {
  const sa = conflictStrength[a.edge.direction];
  const sb = conflictStrength[b.edge.direction];
  if (sa !== sb) return sa < sb ? a.edge : b.edge;
  return undecided(a, b);
}

/**
 * The one edge of a pair whose findings point both ways with evidence of equal strength (two
 * writable references, as peered networks hold; two read-only mirrors; two inferences). The
 * dependent is taken to be the side that names the other singly, the dependency the side that
 * lists it in an array, as Azure's listings of users are arrays; else the first key depends on the
 * second. The relation says nothing more than `reference`, and `direction` says it is inferred.
 */
function undecided(a: Finding, b: Finding): Edge {
  // A finding points the plausible way when a singular reference makes its holder the dependent,
  // or a listing makes its holder the dependency.
  const listsDependent = (f: Finding) => f.listed === ((f.rank & 2) !== 0);
  const pick = listsDependent(a) !== listsDependent(b) ? (listsDependent(a) ? a : b) : a.edge.from < b.edge.from ? a : b;
  return { from: pick.edge.from, to: pick.edge.to, relation: "reference", via: pick.edge.via, direction: "inferred" };
}

const typeLookups = new Map<Record<string, Relation>, Map<string, Relation | null>>();

/** A table lookup by exact lower-cased type, then by `namespace/*` (memoised: called per reference). */
function byType(table: Record<string, Relation>, type: string): Relation | undefined {
  let memo = typeLookups.get(table);
  if (memo === undefined) typeLookups.set(table, (memo = new Map()));
  let hit = memo.get(type);
  if (hit === undefined) {
    const slash = type.indexOf("/");
    hit = table[type] ?? table[`${slash < 0 ? type : type.slice(0, slash)}/*`] ?? null;
    memo.set(type, hit);
  }
  return hit ?? undefined;
}

const pathRelations = new Map<string, Relation | null>();

/** The relation `relationByPath` gives a path, if any (memoised: the distinct paths are few). */
function byPath(path: string): Relation | undefined {
  let hit = pathRelations.get(path);
  if (hit === undefined) {
    hit = relationByPath.find((rule) => rule.path.test(path))?.relation ?? null;
    // Paths through payload-chosen keys can be unique per resource: keep the memo bounded.
    if (pathRelations.size < 10_000) pathRelations.set(path, hit);
  }
  return hit ?? undefined;
}

function relationFor(path: string, targetType: string, holderType?: string): Relation {
  const byHolder = holderType === undefined ? undefined : byType(relationByHolderType, holderType);
  if (byHolder !== undefined) return byHolder;
  return byPath(path) ?? byType(relationByTargetType, targetType) ?? "reference";
}

const join = (parts: readonly string[], from = 0): string => {
  let out = "";
  for (let i = from; i < parts.length; i++) {
    const part = parts[i]!;
    out += part.startsWith("[") || out === "" ? part : `.${part}`;
  }
  return out;
};

/** The owner of a finding: the holder, or the innermost enclosing object that is a node; `at` is that object. */
interface Owner {
  end: End;
  depth: number;
  at: Enclosing | undefined;
}

/**
 * Infers the dependency edges of a set of resources from what their payloads say: every string
 * (and object key) that is an ARM id is a reference; child paths resolve to the nearest node;
 * containment comes from the id hierarchy; the direction of each reference comes from
 * `referenceDirection` (Azure's API metadata and the hand-written rules), and every edge says how
 * (`direction`); two resources that reference each other get one edge (see `settle`); references
 * to resources outside the set become `external` entries. Output order is deterministic.
 *
 * Memory: the edges are most of what a run holds besides the resources, so each edge shares its
 * strings — `from` and `to` are the node's (or external entry's) own key, `via` one copy per
 * distinct path — and the one Edge object per pair is the output itself, not a copy of it.
 *
 * The payloads are read through `scans` (reference-scan.ts): a resource discovery scanned as its
 * page arrived is not walked again; only what the scans found is resolved here.
 */
export function inferEdges(resources: Iterable<EdgeSource>, scans: ReferenceScans = new ReferenceScans()): InferredEdges {
  const nodes = nodesByKey(resources);
  const { hosts, findings } = declaredHosts(nodes, scans);
  const ends = new Ends(nodes);
  const table = new EdgeTable(nodes.size + findings);
  const resolver = new FindingResolver(ends, table, hosts);
  // Node by node, in input order: the order findings arrive in decides which one an edge keeps.
  for (const end of nodes.values()) {
    addContainment(ends, table, end);
    resolver.resolveFindings(end, end.scan!);
  }
  table.settleMutualReferences();
  return { edges: table.inKeyOrder(ends), external: ends.externalRefs() };
}

/** The resources by key, each key once (the last resource of a key wins), numbered in the order keys first appear. */
function nodesByKey(resources: Iterable<EdgeSource>): Map<string, End> {
  const nodes = new Map<string, End>();
  for (const r of resources) {
    const known = nodes.get(r.key);
    if (known === undefined) nodes.set(r.key, { key: r.key, ordinal: nodes.size, type: undefined, order: 0, node: r, scan: undefined });
    else known.node = r;
  }
  return nodes;
}

/**
 * One pass over every node's findings: the nodes that declare each host name, and how many
 * findings there are (with one containment edge per node, the most edges there can be). Each
 * node's `scan` is set here, looked up once for both passes.
 */
function declaredHosts(nodes: ReadonlyMap<string, End>, scans: ReferenceScans): { hosts: Map<string, End[]>; findings: number } {
  const hosts = new Map<string, End[]>();
  let findings = 0;
  for (const end of nodes.values()) {
    const scan = (end.scan = scans.of(end.node!));
    const { slots, start, end: stop } = scan;
    findings += (stop - start) / FINDING_SLOTS;
    for (let i = start; i < stop; i += FINDING_SLOTS) {
      if (slots[i] !== DECLARED_HOST) continue;
      const host = slots[i + 1] as string;
      const ends = hosts.get(host) ?? [];
      if (!ends.includes(end)) ends.push(end);
      hosts.set(host, ends);
    }
  }
  return { hosts, findings };
}

/** Containment: a child depends on its nearest ancestor that is a node (or an external parent). */
function addContainment(ends: Ends, table: EdgeTable, end: End): void {
  const node = end.node!;
  const parents = ancestorKeys(end.key);
  if (parents.length === 0) return;
  const within = parents.find((p) => ends.nodes.has(p));
  const parent =
    within !== undefined
      ? ends.nodes.get(within)!
      : ends.resolve((typeof node.id === "string" ? node.id : node.key).slice(0, parents[0]!.length));
  if (parent !== undefined) table.add(end, parent, "contains", "id", "containment", false, false, false);
}

/** The ends edges can join: the nodes, and the external entries references have named so far. */
class Ends {
  private readonly nodeTypes: Set<string>;
  private readonly external = new Map<string, ExternalRef>();
  /** The external entries' ends, in the order references first named them. */
  readonly externalEnds = new Map<string, End>();
  private readonly typeNames = new Map<string, string>();

  constructor(readonly nodes: ReadonlyMap<string, End>) {
    this.nodeTypes = new Set<string>(embeddedNodeTypes);
    for (const { node } of nodes.values()) this.nodeTypes.add(node!.type.toLowerCase());
  }

  /** The lower-cased type of a key, one string per distinct type. */
  typeName(key: string): string {
    const type = typeOfKey(key);
    const known = this.typeNames.get(type);
    if (known !== undefined) return known;
    this.typeNames.set(type, type);
    return type;
  }

  typeOf(end: End): string {
    return (end.type ??= this.typeName(end.key));
  }

  /** What a reference resolves to: the nearest node along its id, else an external entry. */
  resolve(ref: string): End | undefined {
    const key = canonicalKey(ref);
    const node = this.nodes.get(key);
    if (node !== undefined) return node;
    const ancestors = ancestorKeys(key);
    for (const a of ancestors) {
      const parent = this.nodes.get(a);
      if (parent !== undefined) return parent;
    }
    // Ids outside any resource group (locations, image publishers, public maintenance
    // configurations) name catalogue entries of a provider, not resources: no node, no edge.
    if (parseResourceId(key)?.resourceGroup === undefined) return undefined;
    // Not discovered: name the deepest part of the path that is a kind of node, else the top level.
    const chain = [key, ...ancestors];
    const target = chain.find((k) => this.nodeTypes.has(this.typeName(k))) ?? chain.at(-1)!;
    return this.externalEnds.get(target) ?? this.addExternal(target, ref);
  }

  /** A new external entry for `target`, the key of `ref` or of one of its ancestors. */
  private addExternal(target: string, ref: string): End {
    const trimmed = ref.trim().replace(/\/+$/, "");
    const entry = {
      key: target,
      id: trimmed.slice(0, target.length),
      type: parseResourceId(trimmed.slice(0, target.length))?.type ?? "",
    };
    this.external.set(target, entry);
    const end: End = {
      key: entry.key,
      ordinal: this.nodes.size + this.externalEnds.size,
      type: undefined,
      order: 0,
      node: undefined,
      scan: undefined,
    };
    this.externalEnds.set(target, end);
    return end;
  }

  /** The external entries that are not nodes, in key order. */
  externalRefs(): ExternalRef[] {
    return [...this.external.values()].filter((e) => !this.nodes.has(e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
  }
}

/**
 * The edges found: one Edge per pair of resources, whichever way it points, found by the two
 * ends' small-integer ordinals (at 500,000 edges, keys joined as strings would take over 100 MB), with its
 * finding's rank, side and ends kept beside it. A finding pointing the other way is kept apart
 * (rare) and settled at the end. The arrays are sized once, for at most one edge per finding and
 * node: at 200,000 edges, growing them step by step left several times their size behind as
 * garbage at the run's peak.
 */
class EdgeTable {
  private readonly found: Edge[];
  /** Per edge, its finding's rank (`rankOf`) times two, plus one when the holder lists the other side. */
  private readonly ranks: number[];
  private readonly froms: End[];
  private readonly tos: End[];
  private count = 0;
  private readonly opposite = new Map<number, Finding>();
  /**
   * The pairs' edges, by pair: an open-addressing table of edge numbers plus one (0: empty), its
   * size a power of two at least twice the most edges there can be, probed linearly from a hash
   * of the two ordinals; a slot's pair is read off its edge's ends. A Map keyed by a number made
   * of both ordinals held a heap number per pair, past small-integer range.
   */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(bound: number) {
    this.found = new Array<Edge>(bound);
    this.ranks = new Array<number>(bound);
    this.froms = new Array<End>(bound);
    this.tos = new Array<End>(bound);
    let size = 16;
    while (size < bound * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The slot of the pair of ordinals `low` < `high`: its edge's, or the empty one where it would go. */
  private slotOf(low: number, high: number): number {
    const { slots, mask, froms, tos } = this;
    let i = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca77)) & mask;
    for (;;) {
      const at = slots[i]! - 1;
      if (at < 0) return i;
      const a = froms[at]!.ordinal;
      const b = tos[at]!.ordinal;
      if ((a === low && b === high) || (a === high && b === low)) return i;
      i = (i + 1) & mask;
    }
  }

  /** Records a finding that `from` depends on `to`, keeping the best finding per pair and direction. */
  add(
    from: End,
    to: End,
    relation: Relation,
    via: string,
    direction: Direction,
    embedded: boolean,
    reversed: boolean,
    listed: boolean,
  ): void {
    if (from === to) return;
    const a = from.ordinal;
    const b = to.ordinal;
    const slot = a < b ? this.slotOf(a, b) : this.slotOf(b, a);
    const at = this.slots[slot]! - 1;
    const rank = rankOf(direction, reversed, embedded);
    if (at < 0) {
      this.slots[slot] = this.count + 1;
      this.found[this.count] = { from: from.key, to: to.key, relation, via, direction };
      this.ranks[this.count] = rank * 2 + (listed ? 1 : 0);
      this.froms[this.count] = from;
      this.tos[this.count] = to;
      this.count += 1;
    } else if (this.froms[at] === from) {
      if (rank < this.ranks[at]! >> 1) {
        this.found[at] = { from: from.key, to: to.key, relation, via, direction };
        this.ranks[at] = rank * 2 + (listed ? 1 : 0);
      }
    } else {
      const other = this.opposite.get(at);
      if (other === undefined || rank < other.rank)
        this.opposite.set(at, { edge: { from: from.key, to: to.key, relation, via, direction }, rank, listed });
    }
  }

  /** Mutual references: one edge per pair, in the direction the stronger evidence gives. */
  settleMutualReferences(): void {
    const { found, ranks, froms, tos } = this;
    for (const [at, other] of this.opposite) {
      const edge = settle({ edge: found[at]!, rank: ranks[at]! >> 1, listed: (ranks[at]! & 1) === 1 }, other);
      if (edge.from !== found[at]!.from) [froms[at], tos[at]] = [tos[at]!, froms[at]!];
      found[at] = edge;
    }
  }

  /** The edges in (from, to) key order: each end's place among all keys, sorted once, then numbers compared. */
  inKeyOrder(ends: Ends): Edge[] {
    const { found, froms, tos } = this;
    const nodes = [...ends.nodes.values()];
    if (!nodes.every((e, i) => i === 0 || nodes[i - 1]!.key < e.key)) nodes.sort(byKey);
    const merged = mergeSorted(nodes, [...ends.externalEnds.values()].sort(byKey));
    for (let i = 0; i < merged.length; i++) merged[i]!.order = i;
    const order = Array.from({ length: this.count }, (_e, i) => i).sort(
      (i, j) => froms[i]!.order - froms[j]!.order || tos[i]!.order - tos[j]!.order,
    );
    return order.map((i) => found[i]!);
  }
}

/** Resolves what the scans found into edges, one holder (the node whose findings these are) at a time. */
class FindingResolver {
  private holder: End = { key: "", ordinal: -1, type: undefined, order: 0, node: undefined, scan: undefined };
  private holderType = "";
  // What an enclosing object below the holder says is its own when it is a node (a subnet inside
  // its virtual network), whatever encloses it in turn.
  private readonly holderOwner: Owner = { end: this.holder, depth: 0, at: undefined };
  private readonly owners = new Map<Enclosing, Owner>();

  constructor(
    private readonly ends: Ends,
    private readonly table: EdgeTable,
    private readonly hosts: ReadonlyMap<string, End[]>,
  ) {}

  /** The edges of one holder's findings. One pass over the findings, kept in one body: it runs for every finding of the estate. */
  resolveFindings(end: End, { slots: findings, start, end: stop }: ScanView): void {
    this.holder = end;
    this.holderType = end.node!.type.toLowerCase();
    this.holderOwner.end = end;
    this.owners.clear();
    for (let i = start; i < stop; i += FINDING_SLOTS) {
      let kind = findings[i] as number;
      if (kind === DECLARED_HOST) continue;
      const value = findings[i + 1] as string;
      const via = findings[i + 2] as string;
      const path = findings[i + 3] as string | readonly string[];
      const owner = this.ownerOf(findings[i + 4] as Enclosing | undefined);
      if (kind >= IN_OWN_ID) {
        // The id of an enclosing object that is a node names that node: not a reference.
        if (owner.at !== undefined && owner.at === findings[i + 4]) continue;
        kind -= IN_OWN_ID;
      }
      const relative = typeof path === "string" ? path : join(path, owner.depth);
      if (kind !== HOST_NAME) this.reference(this.ends.resolve(value), owner.end, relative, via);
      else for (const target of this.hosts.get(value) ?? []) this.reference(target, owner.end, relative, via);
    }
  }

  private ownerOf(enclosing: Enclosing | undefined): Owner {
    if (enclosing === undefined) return this.holderOwner;
    let owner = this.owners.get(enclosing);
    if (owner === undefined) {
      owner = this.ownerOf(enclosing.outer);
      const node =
        enclosing.key !== owner.end.key && isDescendant(enclosing.key, owner.end.key) ? this.ends.nodes.get(enclosing.key) : undefined;
      if (node !== undefined) owner = { end: node, depth: enclosing.depth, at: enclosing };
      this.owners.set(enclosing, owner);
    }
    return owner;
  }

  /** The edge of a reference from `owner` to `target`, the way `referenceDirection` says it points. */
  private reference(target: End | undefined, owner: End, relative: string, via: string): void {
    if (target === undefined || target === owner || isDescendant(target.key, owner.key)) return;
    const { ends, table } = this;
    const own = owner === this.holder;
    const ownerType = own ? this.holderType : ends.typeOf(owner);
    const { reversed, direction } = referenceDirection(ownerType, relative);
    const listed = relative.includes("[");
    if (reversed) table.add(target, owner, relationFor(relative, ends.typeOf(owner)), via, direction, !own, true, listed);
    else table.add(owner, target, relationFor(relative, ends.typeOf(target), ownerType), via, direction, !own, false, listed);
  }
}

/** One end an edge can join, a node or an external entry, with what resolution needs of it. */
interface End {
  /** The node's (or external entry's) own key string: every edge shares it. */
  key: string;
  /** A small integer naming the end in pair ids. */
  ordinal: number;
  /** Its lower-cased type, from the key, once asked for. */
  type: string | undefined;
  /** Its place in key order, for sorting the edges. */
  order: number;
  /** The resource, for a node. */
  node: EdgeSource | undefined;
  /** Where its findings are, for a node, once `declaredHosts` has looked them up. */
  scan: ScanView | undefined;
}

const byKey = (a: End, b: End): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function mergeSorted(a: readonly End[], b: readonly End[]): End[] {
  const out: End[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byKey(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
