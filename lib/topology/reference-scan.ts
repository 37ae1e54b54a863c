/**
 * The first half of edge inference: reading one resource's payload for what it says about other
 * resources, without knowing the others. Discovery scans each resource as its page arrives, while
 * the next page is awaited; `inferEdges` (edges.ts) resolves the scans against every discovered
 * resource once the run is complete.
 */
import { hostNameFields, hostNameReferencePaths, referenceKeyPrefixes } from "./edge-rules.js";
import { keyBelow, looksLikeArmId } from "./ids.js";

/** A resource as the edge inference reads it: its canonical key, type and the ARM payload. */
export interface EdgeSource {
  key: string;
  type: string;
  [field: string]: unknown;
}

/** What a finding is: an id-valued string, an id hidden in an object key, a host name at a backend path, or one the resource declares. */
export type FindingKind = typeof ID | typeof KEY_ID | typeof HOST_NAME | typeof DECLARED_HOST;
export const ID = 0;
export const KEY_ID = 1;
export const HOST_NAME = 2;
/** A host name the resource answers to (`hostNameFields`), lower-cased; the other slots are unused. */
export const DECLARED_HOST = 3;
/**
 * Added to the kind of a finding in the `id` field of its enclosing object itself: no reference
 * when that object turns out to be a node (its id names it, not something it uses).
 */
export const IN_OWN_ID = 4;

/**
 * An object inside the payload whose own id lies below the holder's (an embedded subnet, an ip
 * configuration): if it is a node, what it holds is its own, not the holder's. Whether it is one
 * is known only once the run is complete.
 */
export interface Enclosing {
  /** Its canonical key. */
  key: string;
  /** Depth, in path steps, of the object in the holder's payload. */
  depth: number;
  /** The enclosing object around it that lies below the holder, if any. */
  outer: Enclosing | undefined;
}

/**
 * A resource's findings, in the order the payload walk met them, {@link FINDING_SLOTS} slots each
 * in `slots[start, end)`: kind, the string found, the JSON path of the finding (`via`), its path
 * with `[*]` for indices (a string; under an enclosing object the path's steps, so it can be taken
 * relative to it), and the enclosing object (or undefined). The host names the resource declares
 * follow, as `DECLARED_HOST` findings.
 */
export interface ScanView {
  readonly slots: readonly unknown[];
  readonly start: number;
  readonly end: number;
}

/** Slots per finding in a {@link ScanView}. */
export const FINDING_SLOTS = 5;

/** Top-level fields that never hold a reference worth an edge. */
const skippedFields = new Set(["key", "id", "name", "type", "location", "subscriptionId", "resourceGroup", "etag", "stale"]);

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

/**
 * Appends, as findings, the host names at a compiled dotted path from `step` on, in payload order.
 * Walked in place rather than collected level by level: seven paths for every resource of a run,
 * and the arrays of the values at each level were the largest allocation of a discovery run.
 */
function hostsAt(value: unknown, path: CompiledPath, step: number, out: unknown[]): void {
  if (step === path.length) {
    if (typeof value === "string" && value.includes("."))
      out.push(DECLARED_HOST, value.trim().toLowerCase(), undefined, undefined, undefined);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const { name, many } = path[step]!;
  const v = (value as Record<string, unknown>)[name];
  if (!many) {
    if (v !== undefined) hostsAt(v, path, step + 1, out);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) hostsAt(v[i], path, step + 1, out);
  }
}

const compiledHostNameFields = hostNameFields.map(compilePath);

/** Appends the host names a resource declares, lower-cased and trimmed, as findings. */
function declaredHosts(resource: EdgeSource, out: unknown[]): void {
  for (const path of compiledHostNameFields) hostsAt(resource, path, 0, out);
}

/** `key` is below `of` in the id hierarchy (both canonical). */
export const isDescendant = (key: string, of: string): boolean =>
  key.length > of.length && key.charCodeAt(of.length) === 47 && key.startsWith(of);

/** Strings shared by many findings (paths repeat from resource to resource): one copy each. */
export class PathStrings {
  private readonly strings = new Map<string, string>();
  private readonly root: PathNode = { text: "", children: undefined, hostPath: undefined };

  /** The one copy of `s`. */
  shared(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  /**
   * The path of `steps`, joined (`a.b[0].c`), one copy per distinct path: found by following the
   * steps through a tree of the paths seen, whose keys are the payload's own (hashed once)
   * property names, so no path is built or hashed twice.
   */
  path(steps: readonly string[]): string {
    return this.node(steps).text;
  }

  /** Whether a host name at this `[*]` path points at another resource (`hostNameReferencePaths`). */
  hostPath(shape: readonly string[]): boolean {
    const node = this.node(shape);
    return (node.hostPath ??= hostNameReferencePaths.some((p) => p.test(node.text)));
  }

  private node(steps: readonly string[]): PathNode {
    let node = this.root;
    for (const step of steps) {
      let next = node.children?.get(step);
      if (next === undefined) {
        const text = step.startsWith("[") || node.text === "" ? `${node.text}${step}` : `${node.text}.${step}`;
        next = { text, children: undefined, hostPath: undefined };
        (node.children ??= new Map()).set(step, next);
      }
      node = next;
    }
    return node;
  }
}

/** One path in {@link PathStrings}' tree. */
interface PathNode {
  text: string;
  children: Map<string, PathNode> | undefined;
  hostPath: boolean | undefined;
}

/**
 * Walks one resource's payload and appends to `findings` every string (and object key) that is,
 * as a whole, an ARM id, every host name at a path where one points at a backend, and every
 * enclosing object below the resource; then the host names it declares. Nothing is resolved:
 * that needs every resource (`inferEdges`).
 */
function scanInto(resource: EdgeSource, findings: unknown[], strings: PathStrings): void {
  const holder = resource.key;
  // The path is kept as a stack of steps and joined only when something is found: payloads are
  // mostly values that reference nothing, and building every path would dominate the walk.
  const steps: string[] = [];
  const shape: string[] = [];
  let within: Enclosing | undefined;
  let inOwnId = false;

  const record = (kind: FindingKind, value: string): void => {
    const at = within === undefined ? strings.path(shape) : shape.map((s) => strings.shared(s));
    findings.push(inOwnId ? kind + IN_OWN_ID : kind, value, strings.path(steps), at, within);
  };

  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      if (looksLikeArmId(value)) record(ID, value);
      else if (value.includes(".") && strings.hostPath(shape)) record(HOST_NAME, value.trim().toLowerCase());
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        steps.push(indexStep(i));
        shape.push("[*]");
        visit(value[i]);
        steps.pop();
        shape.pop();
      }
      return;
    }
    const outer = within;
    const ownId = (value as { id?: unknown }).id;
    if (steps.length > 0 && typeof ownId === "string") {
      const key = keyBelow(ownId, holder);
      if (key !== undefined) within = { key, depth: shape.length, outer };
    }
    const top = steps.length === 0;
    for (const field in value) {
      if (top && skippedFields.has(field)) continue;
      const child = (value as Record<string, unknown>)[field];
      const hidden = idInKey(field);
      if (hidden !== undefined) {
        steps.push(`[${JSON.stringify(field)}]`);
        shape.push("[key]");
        record(KEY_ID, hidden);
        steps.pop();
        shape.pop();
      }
      if (child === null || (typeof child !== "object" && typeof child !== "string")) continue;
      steps.push(field);
      shape.push(field);
      inOwnId = field === "id" && within !== outer;
      visit(child);
      inOwnId = false;
      steps.pop();
      shape.pop();
    }
    within = outer;
  };

  visit(resource);
  declaredHosts(resource, findings);
}

/** Slots per chunk of a run's findings, about: small enough that a chunk never grows into large-object space copies. */
const CHUNK_SLOTS = 8_192;
/** A scan's place: chunk number times this, plus its offset in the chunk (always below `CHUNK_SLOTS`). */
const CHUNK_STRIDE = 2 ** 16;

/**
 * Scans of the resources of one run, by object: discovery scans each resource as it is read, and
 * `inferEdges` uses the scan of every resource that reaches the export unchanged (and scans the
 * others, such as carried-forward copies, itself). The findings of all of them are packed into
 * shared chunks, with one number per resource saying where its own are: at 100,000 resources a
 * scan object and array each came to ~330 bytes a resource, a third of it the arrays' spare
 * capacity. Held strongly, for as long as the run: the resources live that long anyway, and a
 * WeakMap of 100,000 entries tripled the cost of each full garbage collection (V8 marks
 * ephemerons in rounds).
 * Warning: a resource must not be changed after it was scanned, or its scan no longer says what
 * its payload does.
 */
export class ReferenceScans {
  /** Per resource, where its findings start (`CHUNK_STRIDE`); the first slot there holds their slot count. */
  private readonly places = new Map<object, number>();
  private readonly chunks: unknown[][] = [[]];
  /** Path strings shared by the run's scans. */
  readonly strings = new PathStrings();

  /** Scans `resource` now and keeps the scan for `inferEdges`. */
  scan(resource: EdgeSource): void {
    let chunk = this.chunks[this.chunks.length - 1]!;
    if (chunk.length >= CHUNK_SLOTS) this.chunks.push((chunk = []));
    const offset = chunk.length;
    chunk.push(0);
    scanInto(resource, chunk, this.strings);
    chunk[offset] = chunk.length - offset - 1;
    this.places.set(resource, (this.chunks.length - 1) * CHUNK_STRIDE + offset);
  }

  /** Where the findings of `resource` are, scanning it (and keeping the scan) now if it was not scanned before. */
  of(resource: EdgeSource): ScanView {
    let place = this.places.get(resource);
    if (place === undefined) {
      this.scan(resource);
      place = this.places.get(resource)!;
    }
    const slots = this.chunks[Math.floor(place / CHUNK_STRIDE)]!;
    const start = (place % CHUNK_STRIDE) + 1;
    return { slots, start, end: start + (slots[start - 1] as number) };
  }
}
