/**
 * Which way a reference points: from the holder to what it depends on, or back from what uses the
 * holder. Decided per (holder type, path) from, in order, the hand-written back-references, the
 * read-only paths Azure's API metadata declares (generated/back-references.json), and the
 * hand-written forward references that override a read-only path.
 */
import { backReferences, type Direction, forwardReferences } from "./edge-rules.js";
import generated from "./generated/back-references.json" with { type: "json" };

/** How a reference at a path of a holder's payload becomes an edge. */
export interface ReferenceDirection {
  /** True when the referenced resource depends on the holder (a back-reference). */
  reversed: boolean;
  direction: Direction;
}

type PathTest = (path: string) => boolean;

function compile(rules: ReadonlyArray<string | RegExp>): PathTest {
  const exact = new Set(rules.filter((r): r is string => typeof r === "string"));
  const patterns = rules.filter((r): r is RegExp => r instanceof RegExp);
  return (path) => exact.has(path) || patterns.some((p) => p.test(path));
}

const compileTable = (table: Record<string, ReadonlyArray<string | RegExp>>): Map<string, PathTest> =>
  new Map(Object.entries(table).map(([type, rules]) => [type, compile(rules)]));

const back = compileTable(backReferences);
const forward = compileTable(forwardReferences);
const never: PathTest = () => false;
const anyBack = back.get("*") ?? never;
const anyForward = forward.get("*") ?? never;

/** The generated read-only paths per type, as sets for a prefix lookup. */
const readOnlyPaths = new Map<string, ReadonlySet<string>>(
  Object.entries(generated.types as Record<string, string[]>).map(([t, paths]) => [t, new Set(paths)]),
);

/**
 * True when `path`, or a prefix of it ending before a `.` or `[` step, is a read-only path: a
 * listing the provider fills in holds ids anywhere below it (`properties.subnets[*].id`).
 */
function underReadOnly(paths: ReadonlySet<string>, path: string): boolean {
  if (paths.size === 0) return false;
  if (paths.has(path)) return true;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if ((c === 46 || c === 91) && paths.has(path.slice(0, i))) return true;
  }
  return false;
}

const reversedRule: ReferenceDirection = { reversed: true, direction: "rule" };
const forwardRule: ReferenceDirection = { reversed: false, direction: "rule" };
const mirror: ReferenceDirection = { reversed: true, direction: "read-only mirror" };
const writable: ReferenceDirection = { reversed: false, direction: "writable" };
const inferred: ReferenceDirection = { reversed: false, direction: "inferred" };

const memo = new Map<string, Map<string, ReferenceDirection>>();
const memoLimit = 10_000;

/**
 * The direction of a reference found at `path` (relative to the holder's object, `[*]` for array
 * indices, `[key]` for object keys) in a holder of lower-cased type `holderType`. Memoised: edge
 * inference asks once per reference, and the distinct (type, path) pairs are few.
 */
export function referenceDirection(holderType: string, path: string): ReferenceDirection {
  let byPath = memo.get(holderType);
  if (byPath === undefined) memo.set(holderType, (byPath = new Map()));
  let hit = byPath.get(path);
  if (hit === undefined) {
    hit = decide(holderType, path);
    // Paths through payload-chosen keys can be unique per resource: keep the memo bounded.
    if (byPath.size < memoLimit) byPath.set(path, hit);
  }
  return hit;
}

function decide(holderType: string, path: string): ReferenceDirection {
  const paths = readOnlyPaths.get(holderType);
  // A generic rule (`managedBy`, private endpoint connections) the metadata confirms is a mirror.
  if (anyBack(path) || (back.get(holderType) ?? never)(path))
    return paths !== undefined && underReadOnly(paths, path) ? mirror : reversedRule;
  const isForward = anyForward(path) || (forward.get(holderType) ?? never)(path);
  if (paths === undefined) return isForward ? forwardRule : inferred;
  if (underReadOnly(paths, path)) return isForward ? forwardRule : mirror;
  return writable;
}

/** Whether the metadata covers a type (the generated table has an entry for it). */
export const isCoveredType = (holderType: string): boolean => readOnlyPaths.has(holderType);
