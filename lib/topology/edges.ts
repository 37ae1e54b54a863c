import { referenceDirection } from "./direction.js";
import {
  type Direction,
  embeddedNodeTypes,
  hostNameFields,
  hostNameReferencePaths,
  referenceKeyPrefixes,
  type Relation,
  relationByHolderType,
  relationByPath,
  relationByTargetType,
} from "./edge-rules.js";
import { ancestorKeys, canonicalKey, looksLikeArmId, parseResourceId, typeOfKey } from "./ids.js";

/** A resource as the edge inference reads it: its canonical key, type and the ARM payload. */
export interface EdgeSource {
  key: string;
  type: string;
  [field: string]: unknown;
}

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

/** Top-level fields that never hold a reference worth an edge. */
const skippedFields = new Set(["key", "id", "name", "type", "location", "subscriptionId", "resourceGroup", "etag", "stale"]);

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
const rankOf = (direction: Direction, reversed: boolean, embedded: boolean): number => agreeRank[direction] * 4 + (reversed ? 2 : 0) + (embedded ? 1 : 0);

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

function relationFor(path: string, targetType: string, holderType?: string): Relation {
  const byHolder = holderType === undefined ? undefined : byType(relationByHolderType, holderType);
  if (byHolder !== undefined) return byHolder;
  for (const rule of relationByPath) if (rule.path.test(path)) return rule.relation;
  return byType(relationByTargetType, targetType) ?? "reference";
}

const indexSteps = Array.from({ length: 64 }, (_, i) => `[${i}]`);
const indexStep = (i: number): string => indexSteps[i] ?? `[${i}]`;

/** The id a reference-bearing object key hides (`hidden-link:<id>`), if any. */
function idInKey(field: string): string | undefined {
  if (field.startsWith("/")) return looksLikeArmId(field) ? field : undefined;
  if (!field.includes(":/")) return undefined;
  const lowered = field.toLowerCase();
  const prefix = referenceKeyPrefixes.find((p) => lowered.startsWith(p));
  const rest = prefix === undefined ? undefined : field.slice(prefix.length);
  return rest !== undefined && looksLikeArmId(rest) ? rest : undefined;
}

/** A dotted path with `[*]` steps, split once: each step's name and whether it fans out. */
type CompiledPath = ReadonlyArray<{ name: string; many: boolean }>;

const compilePath = (path: string): CompiledPath =>
  path.split(".").map((step) => (step.endsWith("[*]") ? { name: step.slice(0, -3), many: true } : { name: step, many: false }));

/** Values at a compiled dotted path. */
function valuesAt(value: unknown, path: CompiledPath): unknown[] {
  let current: unknown[] = [value];
  for (const { name, many } of path) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || typeof c !== "object") continue;
      const v = (c as Record<string, unknown>)[name];
      if (many && Array.isArray(v)) next.push(...(v as unknown[]));
      else if (!many && v !== undefined) next.push(v);
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

const compiledHostNameFields = hostNameFields.map(compilePath);

/** Host name (lower-cased) → keys of the resources that answer to it. */
function hostNameIndex(nodes: Iterable<EdgeSource>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const node of nodes) {
    for (const path of compiledHostNameFields) {
      for (const v of valuesAt(node, path)) {
        if (typeof v !== "string" || !v.includes(".")) continue;
        const host = v.trim().toLowerCase();
        const keys = index.get(host) ?? [];
        if (!keys.includes(node.key)) keys.push(node.key);
        index.set(host, keys);
      }
    }
  }
  return index;
}

const isDescendant = (key: string, of: string) => key.length > of.length && key.charCodeAt(of.length) === 47 && key.startsWith(of);

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
 */
export function inferEdges(resources: Iterable<EdgeSource>): InferredEdges {
  const nodes = new Map<string, EdgeSource>();
  for (const r of resources) nodes.set(r.key, r);
  const nodeTypes = new Set<string>(embeddedNodeTypes);
  for (const r of nodes.values()) nodeTypes.add(r.type.toLowerCase());

  const external = new Map<string, ExternalRef>();
  // One Edge per pair of resources, whichever way it points, found by a small-integer pair id (at
  // 500,000 edges, keys joined as strings would take over 100 MB), with its finding's rank and
  // side kept beside it. A finding pointing the other way is kept apart (rare) and settled at the end.
  const found: Edge[] = [];
  const ranks: number[] = [];
  const listings: boolean[] = [];
  const opposite = new Map<number, Finding>();
  const pairs = new Map<number, number>();
  const ordinals = new Map<string, number>();
  const ordinal = (key: string): number => {
    let n = ordinals.get(key);
    if (n === undefined) ordinals.set(key, (n = ordinals.size));
    return n;
  };
  const vias = new Map<string, string>();
  const shared = (via: string): string => {
    let v = vias.get(via);
    if (v === undefined) vias.set(via, (v = via));
    return v;
  };

  const hosts = hostNameIndex(nodes.values());
  const types = new Map<string, string>();
  const typeNames = new Map<string, string>();
  const typeOf = (key: string): string => {
    let type = types.get(key);
    if (type === undefined) {
      type = typeOfKey(key);
      const known = typeNames.get(type);
      if (known === undefined) typeNames.set(type, type);
      else type = known;
      types.set(key, type);
    }
    return type;
  };

  /** The key a reference resolves to, as the node's (or external entry's) own string. */
  const resolve = (ref: string): string | undefined => {
    const key = canonicalKey(ref);
    const node = nodes.get(key);
    if (node !== undefined) return node.key;
    const ancestors = ancestorKeys(key);
    for (const a of ancestors) {
      const parent = nodes.get(a);
      if (parent !== undefined) return parent.key;
    }
    // Ids outside any resource group (locations, image publishers, public maintenance
    // configurations) name catalogue entries of a provider, not resources: no node, no edge.
    if (parseResourceId(key)?.resourceGroup === undefined) return undefined;
    // Not discovered: name the deepest part of the path that is a kind of node, else the top level.
    const chain = [key, ...ancestors];
    const target = chain.find((k) => nodeTypes.has(typeOf(k))) ?? chain.at(-1)!;
    let entry = external.get(target);
    if (entry === undefined) {
      const trimmed = ref.trim().replace(/\/+$/, "");
      entry = {
        key: target,
        id: trimmed.slice(0, target.length),
        type: parseResourceId(trimmed.slice(0, target.length))?.type ?? "",
      };
      external.set(target, entry);
    }
    return entry.key;
  };

  const add = (from: string, to: string, relation: Relation, via: string, direction: Direction, embedded: boolean, reversed: boolean, listed: boolean): void => {
    if (from === to) return;
    const a = ordinal(from);
    const b = ordinal(to);
    const id = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
    const at = pairs.get(id);
    const rank = rankOf(direction, reversed, embedded);
    if (at === undefined) {
      pairs.set(id, found.length);
      found.push({ from, to, relation, via: shared(via), direction });
      ranks.push(rank);
      listings.push(listed);
    } else if (found[at]!.from === from) {
      if (rank < ranks[at]!) {
        found[at] = { from, to, relation, via: shared(via), direction };
        ranks[at] = rank;
        listings[at] = listed;
      }
    } else {
      const other = opposite.get(at);
      if (other === undefined || rank < other.rank) opposite.set(at, { edge: { from, to, relation, via: shared(via), direction }, rank, listed });
    }
  };

  // The payload walk. The path is kept as a stack of steps and joined only when a reference is
  // found: payloads are mostly values that reference nothing, and building every path would
  // dominate the run. `holder` is the resource being walked.
  let holder: EdgeSource = { key: "", type: "" };
  const steps: string[] = [];
  const shape: string[] = [];
  const join = (parts: readonly string[], from = 0): string => {
    let out = "";
    for (let i = from; i < parts.length; i++) {
      const part = parts[i]!;
      out += part.startsWith("[") || out === "" ? part : `.${part}`;
    }
    return out;
  };

  const reference = (target: string | undefined, owner: string, ownerDepth: number): void => {
    if (target === undefined || target === owner || isDescendant(target, owner)) return;
    const own = owner === holder.key;
    const ownerType = own ? holder.type.toLowerCase() : typeOf(owner);
    const relative = join(shape, ownerDepth);
    const { reversed, direction } = referenceDirection(ownerType, relative);
    const listed = relative.includes("[");
    if (reversed) add(target, owner, relationFor(relative, typeOf(owner)), join(steps), direction, !own, true, listed);
    else add(owner, target, relationFor(relative, typeOf(target), ownerType), join(steps), direction, !own, false, listed);
  };

  const visit = (value: unknown, owner: string, ownerDepth: number): void => {
    if (typeof value === "string") {
      if (looksLikeArmId(value)) reference(resolve(value), owner, ownerDepth);
      else if (value.includes(".") && hosts.size > 0) {
        const targets = hosts.get(value.trim().toLowerCase());
        if (targets !== undefined && hostNameReferencePaths.some((p) => p.test(join(shape)))) {
          for (const target of targets) reference(target, owner, ownerDepth);
        }
      }
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        steps.push(indexStep(i));
        shape.push("[*]");
        visit(value[i], owner, ownerDepth);
        steps.pop();
        shape.pop();
      }
      return;
    }
    let nextOwner = owner;
    let nextDepth = ownerDepth;
    const ownId = (value as { id?: unknown }).id;
    if (steps.length > 0 && typeof ownId === "string") {
      const k = canonicalKey(ownId);
      const embedded = k !== owner && isDescendant(k, owner) ? nodes.get(k) : undefined;
      if (embedded !== undefined) {
        // An embedded child that is a node (a subnet inside its vnet): what it says is its own.
        nextOwner = embedded.key;
        nextDepth = shape.length;
      }
    }
    for (const field in value) {
      if (steps.length === 0 && skippedFields.has(field)) continue;
      if (field === "id" && nextOwner !== owner) continue;
      const child = (value as Record<string, unknown>)[field];
      const hidden = idInKey(field);
      if (hidden !== undefined) {
        steps.push(`[${JSON.stringify(field)}]`);
        shape.push("[key]");
        reference(resolve(hidden), nextOwner, nextDepth);
        steps.pop();
        shape.pop();
      }
      if (child === null || (typeof child !== "object" && typeof child !== "string")) continue;
      steps.push(field);
      shape.push(field);
      visit(child, nextOwner, nextDepth);
      steps.pop();
      shape.pop();
    }
  };

  for (const node of nodes.values()) {
    // Containment: a child depends on its nearest ancestor that is a node (or an external parent).
    const parents = ancestorKeys(node.key);
    if (parents.length > 0) {
      const within = parents.find((p) => nodes.has(p));
      const parent =
        within !== undefined
          ? nodes.get(within)!.key
          : resolve((typeof node.id === "string" ? node.id : node.key).slice(0, parents[0]!.length));
      if (parent !== undefined) add(node.key, parent, "contains", "id", "containment", false, false, false);
    }
    holder = node;
    visit(node, node.key, 0);
  }

  // Mutual references: one edge per pair, in the direction the stronger evidence gives.
  for (const [at, other] of opposite) found[at] = settle({ edge: found[at]!, rank: ranks[at]!, listed: listings[at]! }, other);
  const edges = found.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const externals = [...external.values()].filter((e) => !nodes.has(e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
  return { edges, external: externals };
}
