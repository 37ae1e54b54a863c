/**
 * The vocabulary the rule tables (entry points, redundancy) are written in: a check reads a
 * resource's payload, and where needed the resources next to it in the graph, and returns the
 * evidence it found as a sentence, or undefined.
 */
import type { Relation } from "./edge-rules.js";
import type { ExportResource } from "./export-format.js";
import type { TopologyGraph } from "./graph.js";
import { valuesAt } from "./property-path.js";

/** A resource next to the one a rule looks at. */
export interface RelatedResource {
  key: string;
  resource: ExportResource;
  relation: Relation;
}

/** What a check may look at besides the resource's own payload. */
export interface RuleContext {
  graph: TopologyGraph;
  id: number;
  /** Discovered resources that depend on this one, optionally only of one lower-cased type. */
  dependents(type?: string): RelatedResource[];
  /** Discovered resources this one depends on, optionally only of one lower-cased type. */
  dependencies(type?: string): RelatedResource[];
  /** The key an id written in a payload refers to (nearest node), if the graph holds it. */
  resolve(idInPayload: string): string | undefined;
}

/** A check: the evidence that a rule holds for a resource, or undefined. */
export type Check = (resource: ExportResource, context: RuleContext) => string | undefined;

/** A test of one value, with how to say what it found. */
export interface ValueTest {
  test: (value: unknown) => boolean;
  /** Renders a value the test accepted, for the evidence. */
  show?: (value: unknown) => string;
}

/** The context of node `id` in `graph`. */
export function ruleContext(graph: TopologyGraph, id: number): RuleContext {
  const related = (start: Uint32Array, node: Uint32Array, edge: Uint32Array, type?: string): RelatedResource[] => {
    const out: RelatedResource[] = [];
    for (let i = start[id]!; i < start[id + 1]!; i++) {
      const other = node[i]!;
      const resource = graph.resources[other];
      if (resource === undefined || (type !== undefined && graph.typeOf(other) !== type)) continue;
      out.push({ key: graph.keys[other]!, resource, relation: graph.relationOf(edge[i]!) });
    }
    return out;
  };
  return {
    graph,
    id,
    dependents: (type) => related(graph.inStart, graph.inNode, graph.inEdge, type),
    dependencies: (type) => related(graph.outStart, graph.outNode, graph.outEdge, type),
    resolve: (idInPayload) => {
      const found = graph.resolve(idInPayload);
      return found === undefined ? undefined : graph.keys[found];
    },
  };
}

const show = (value: unknown): string =>
  typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value);

/** Holds when some value at `path` passes `test`; the evidence names the path and the value. */
export function property(path: string, test: ValueTest): Check {
  return (resource) => {
    for (const found of valuesAt(resource, path)) {
      if (test.test(found.value)) return `${found.path} = ${(test.show ?? show)(found.value)}`;
    }
    return undefined;
  };
}

/** Holds when `path` is absent or its value is not `value` (ARM's default applies when absent). */
export function absentOrNot(path: string, value: string): Check {
  return (resource) => {
    const found = valuesAt(resource, path);
    if (found.length === 0) return `${path} not set (default applies)`;
    const first = found[0]!;
    return typeof first.value === "string" && first.value.toLowerCase() === value.toLowerCase()
      ? undefined
      : `${first.path} = ${show(first.value)}`;
  };
}

/** Holds when a resource this one depends on, of `type`, passes `check`; the evidence names it. */
export function dependency(type: string, label: string, check: Check): Check {
  return (_resource, context) => {
    for (const d of context.dependencies(type)) {
      const evidence = check(d.resource, context);
      if (evidence !== undefined) return `${label} ${d.resource.name}: ${evidence}`;
    }
    return undefined;
  };
}

/** Holds when a resource that depends on this one, of `type`, passes `check` (which may look back at the resource). */
export function dependent(
  type: string,
  label: string,
  check: (other: ExportResource, resource: ExportResource, context: RuleContext) => string | undefined,
): Check {
  return (resource, context) => {
    for (const d of context.dependents(type)) {
      const evidence = check(d.resource, resource, context);
      if (evidence !== undefined) return `${label} ${d.resource.name}: ${evidence}`;
    }
    return undefined;
  };
}

/** Holds when every value at `path` (at least one) passes `test`. */
export function every(path: string, test: ValueTest, describe: (values: unknown[]) => string): Check {
  return (resource) => {
    const values = valuesAt(resource, path).map((f) => f.value);
    return values.length > 0 && values.every((v) => test.test(v)) ? describe(values) : undefined;
  };
}

/** The value is `true`. */
export const isTrue: ValueTest = { test: (v) => v === true };

/** The value is a string equal to one of `values`, ignoring case. */
export function oneOf(...values: string[]): ValueTest {
  const set = new Set(values.map((v) => v.toLowerCase()));
  return { test: (v) => typeof v === "string" && set.has(v.toLowerCase()) };
}

/** The value is a string that matches `pattern`. */
export function matches(pattern: RegExp): ValueTest {
  return { test: (v) => typeof v === "string" && pattern.test(v) };
}

/** The value is a number of at least `min`. */
export function atLeast(min: number): ValueTest {
  return { test: (v) => typeof v === "number" && v >= min };
}

/** The value is an array of at least `min` items. */
export function minItems(min: number): ValueTest {
  return {
    test: (v) => Array.isArray(v) && v.length >= min,
    show: (v) => (Array.isArray(v) && v.every((x) => typeof x !== "object") ? JSON.stringify(v) : `${(v as unknown[]).length} items`),
  };
}

/** The value is present (not null). */
export const present: ValueTest = { test: (v) => v !== null && v !== undefined, show: (v) => (typeof v === "object" ? "set" : show(v)) };

/** Rules indexed by lower-cased type, `*` rules applying to every type. */
export function rulesByType<R extends { types: readonly string[] }>(rules: readonly R[]): (type: string) => readonly R[] {
  const byType = new Map<string, R[]>();
  const any: R[] = [];
  for (const rule of rules) {
    for (const type of rule.types) {
      if (type === "*") any.push(rule);
      else byType.set(type.toLowerCase(), [...(byType.get(type.toLowerCase()) ?? []), rule]);
    }
  }
  const merged = new Map<string, R[]>();
  return (type) => {
    let found = merged.get(type);
    if (found === undefined) {
      // Keep table order, so the first rule in the table speaks first.
      const own = new Set(byType.get(type) ?? []);
      found = rules.filter((r) => own.has(r) || any.includes(r));
      merged.set(type, found);
    }
    return found;
  };
}
