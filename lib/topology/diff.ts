import type { ExportEdge, ExportResource } from "./export-format.js";
import { relationCodes } from "./graph.js";
import { canonicalKey, looksLikeArmId } from "./ids.js";

/**
 * Fields that change without anything having been changed: concurrency tokens, transient states,
 * audit stamps and discovery's own carry-forward marker. Ignored by name at any depth.
 */
export const volatileFields: readonly string[] = ["etag", "provisioningState", "stale", "systemData", "changedTime"];

/** Options of `diffExports`. */
export interface DiffOptions {
  /** Property names ignored wherever they appear. @default volatileFields */
  ignore?: readonly string[];
}

/** A resource, as the diff names it. */
export interface ResourceRef {
  key: string;
  type: string;
  name: string;
}

/** A resource present in both exports whose payload differs. */
export interface ResourceChange extends ResourceRef {
  /** JSON paths that differ (`properties.sku.capacity`, `tags.env`, `zones[2]`), in document order. */
  paths: string[];
}

/** What changed between two exports. */
export interface TopologyDiff {
  resources: { added: ResourceRef[]; removed: ResourceRef[]; changed: ResourceChange[] };
  /** Edges compared by (from, to, relation); a different `via` alone is no change. */
  edges: { added: ExportEdge[]; removed: ExportEdge[] };
}

/** The parts of an export a diff reads. */
export interface DiffSource {
  resources: readonly ExportResource[];
  edges: readonly ExportEdge[];
}

const byKey = <T extends { key: string }>(a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const ref = (r: ExportResource): ResourceRef => ({ key: r.key, type: r.type, name: r.name });
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const edgeOrder = (a: ExportEdge, b: ExportEdge): number =>
  compare(a.from, b.from) || compare(a.to, b.to) || compare(a.relation, b.relation);

const relationBit = new Map<string, number>(relationCodes.map((r, i) => [r, 1 << i]));
const bitOf = (relation: string): number => relationBit.get(relation) ?? 1 << 30;

/**
 * Membership of (from, to, relation) in a set of edges: `from` → `to` → a bit per relation. No
 * concatenated keys: half a million edges would otherwise mean half a million new strings to
 * build and hash.
 */
function edgeIndex(edges: readonly ExportEdge[]): { has(e: ExportEdge): boolean } {
  const byFrom = new Map<string, Map<string, number>>();
  let lastFrom: string | undefined;
  let lastMap: Map<string, number> | undefined;
  for (const e of edges) {
    // Edges come grouped by `from`: look the group up once per run.
    if (e.from !== lastFrom || lastMap === undefined) {
      lastFrom = e.from;
      lastMap = byFrom.get(e.from);
      if (lastMap === undefined) {
        lastMap = new Map();
        byFrom.set(e.from, lastMap);
      }
    }
    lastMap.set(e.to, (lastMap.get(e.to) ?? 0) | bitOf(e.relation));
  }
  let probeFrom: string | undefined;
  let probeMap: Map<string, number> | undefined;
  return {
    has: (e) => {
      if (e.from !== probeFrom) {
        probeFrom = e.from;
        probeMap = byFrom.get(e.from);
      }
      return ((probeMap?.get(e.to) ?? 0) & bitOf(e.relation)) !== 0;
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const identifier = /^[A-Za-z_$][\w$]*$/;
const member = (path: string, name: string): string =>
  identifier.test(name) ? (path === "" ? name : `${path}.${name}`) : `${path}[${JSON.stringify(name)}]`;

/**
 * The paths at which two payloads differ. ARM ids compare case-insensitively (resource providers
 * change the casing of the ids they echo back); arrays compare by position.
 */
export function changedPaths(before: unknown, after: unknown, ignore: ReadonlySet<string> = new Set(volatileFields)): string[] {
  const out: string[] = [];
  // The path is kept as segments and rendered only where something differs: most of a payload is
  // equal, and building a string for every property visited would dominate a large diff.
  const segments: (string | number)[] = [];
  const report = (last?: string | number): void => {
    let path = "";
    for (const s of last === undefined ? segments : [...segments, last]) path = typeof s === "number" ? `${path}[${s}]` : member(path, s);
    out.push(path);
  };
  const walk = (a: unknown, b: unknown): void => {
    if (a === b) return;
    if (typeof a === "string" && typeof b === "string") {
      if (!(looksLikeArmId(a) && looksLikeArmId(b) && canonicalKey(a) === canonicalKey(b))) report();
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length || i >= b.length) {
          report(i);
          continue;
        }
        segments.push(i);
        walk(a[i], b[i]);
        segments.pop();
      }
      return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const k in a) {
        if (!Object.hasOwn(a, k) || ignore.has(k)) continue;
        segments.push(k);
        walk(a[k], Object.hasOwn(b, k) ? b[k] : undefined);
        segments.pop();
      }
      for (const k in b) if (Object.hasOwn(b, k) && !ignore.has(k) && !Object.hasOwn(a, k) && b[k] !== undefined) report(k);
      return;
    }
    report();
  };
  walk(before, after);
  return out;
}

/**
 * Resources added, removed and changed (with the changed property paths, volatile fields
 * ignored) and edges added and removed, from `before` to `after`. Output is sorted by key.
 */
export function diffExports(before: DiffSource, after: DiffSource, options: DiffOptions = {}): TopologyDiff {
  const ignore = new Set(options.ignore ?? volatileFields);
  const old = new Map(before.resources.map((r) => [r.key, r]));
  const seen = new Set<string>();
  const added: ResourceRef[] = [];
  const changed: ResourceChange[] = [];
  for (const r of after.resources) {
    seen.add(r.key);
    const was = old.get(r.key);
    if (was === undefined) {
      added.push(ref(r));
      continue;
    }
    const paths = changedPaths(was, r, ignore);
    if (paths.length > 0) changed.push({ ...ref(r), paths });
  }
  const removed = before.resources.filter((r) => !seen.has(r.key)).map(ref);

  const oldEdges = edgeIndex(before.edges);
  const newEdges = edgeIndex(after.edges);
  return {
    resources: { added: added.sort(byKey), removed: removed.sort(byKey), changed: changed.sort(byKey) },
    edges: {
      added: after.edges.filter((e) => !oldEdges.has(e)).sort(edgeOrder),
      removed: before.edges.filter((e) => !newEdges.has(e)).sort(edgeOrder),
    },
  };
}
