/**
 * The facts of a resource: what the graph and the failure model read of it, without the rest of
 * its payload. A graph holds these, never whole payloads, so a snapshot's graph can be loaded
 * without parsing every payload (docs/topology.md, "The graph"), and a graph built
 * from an export in memory sees exactly what one loaded from a snapshot sees.
 *
 * A resource's facts are every top-level field but `properties` (ids, type, location, kind, sku,
 * tags, zones, identity, managedBy…), plus, of `properties`:
 * - the whole value of each property in {@link FACT_PROPERTIES}: those the rule tables
 *   (lib/topology/failure, redundancy-rules, entry-point-rules, risk-weights) read by name;
 * - the values along the `via` path of each of the resource's own edges (incoming and outgoing)
 *   that a group rule of lib/topology/failure/dependency-rules.ts matches, with the `name` and `id`
 *   of every array element on the way: group labels read a pool's name or the referenced id at
 *   the edge's `via` ({@link groupRulesFor}; graphColumns applies it).
 * test/lib/topology/facts.test.ts checks that every `properties.X` the rule modules name is listed.
 */
import type { ExportResource } from "./export-format.js";
import { dependencyRules } from "./failure/dependency-rules.js";

const groupRules = dependencyRules.filter((r) => r.group !== undefined);
const matchesType = (types: readonly string[], type: string | undefined): boolean =>
  type === undefined || types.includes("*") || types.includes(type);

/**
 * The group rules that may label an edge between resources of these types (lower-cased; an end
 * that is not a resource, undefined, matches any): an edge keeps its via path in the facts when
 * one of them also matches its relation and via pattern, as the failure model matches them.
 */
export function groupRulesFor(fromType: string | undefined, toType: string | undefined): readonly { relation?: string; via?: RegExp }[] {
  return groupRules.filter((r) => matchesType(r.from, fromType) && matchesType(r.to, toType));
}

/**
 * The properties (under `properties`) that query-time rules read by name: kept whole. Names the
 * rules read inside one of these (a pool's `backendIPConfigurations`) are listed too, so the list
 * is exactly the names the rule modules write (a test compares).
 */
export const FACT_PROPERTIES: ReadonlySet<string> = new Set([
  "additionalLocations",
  "agentPoolProfiles",
  "autoscaleConfiguration",
  "availabilityZone",
  "backendAddresses",
  "backendAddressPools",
  "backendIPConfigurations",
  "backendPools",
  "configuration",
  "databases",
  "enableMultipleWriteLocations",
  "endpoints",
  "frontendIPConfigurations",
  "geoDataReplication",
  "highAvailability",
  "highAvailabilityReplicaCount",
  "hostNames",
  "ipAddress",
  "linkedServers",
  "loadBalancerBackendAddresses",
  "locations",
  "networkInterfaceIPConfiguration",
  "numberOfWorkers",
  "partnerServers",
  "publicIPAddress",
  "publicNetworkAccess",
  "replicasPerMaster",
  "secondaryType",
  "sku",
  "sourceDatabaseId",
  "template",
  "virtualMachines",
  "virtualNetworkType",
  "zoneRedundancy",
  "zoneRedundant",
]);

type Step = string | number;
const pathSteps = new Map<string, readonly Step[] | null>();

/** `properties.a[2].b` → ["a", 2, "b"] (the part under `properties`); null for a path elsewhere. */
function stepsUnderProperties(via: string): readonly Step[] | null {
  let steps = pathSteps.get(via);
  if (steps !== undefined) return steps;
  steps = null;
  if (via.startsWith("properties.")) {
    const out: Step[] = [];
    for (const m of via.slice("properties.".length).matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] === undefined ? m[1]! : Number(m[2]));
    steps = out;
  }
  if (pathSteps.size > 50_000) pathSteps.clear();
  pathSteps.set(via, steps);
  return steps;
}

/** Sets an own field, also one named `__proto__` (plain assignment would set the prototype instead). */
export function setOwn(target: Record<string, unknown>, field: string, value: unknown): void {
  if (field === "__proto__") Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
  else target[field] = value;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Whether `steps` lead from `source` to a value. */
function resolves(source: unknown, steps: readonly Step[]): boolean {
  let value = source;
  for (const step of steps) {
    if (typeof step === "number") value = Array.isArray(value) ? (value[step] as unknown) : undefined;
    else value = isRecord(value) && Object.hasOwn(value, step) ? value[step] : undefined;
    if (value === undefined) return false;
  }
  return true;
}

/** Copies `source` along `steps` into `target` (created on the way), keeping each array element's `name` and `id`. */
function keepPath(source: unknown, target: Record<string, unknown> | unknown[], steps: readonly Step[], at: number): void {
  const step = steps[at]!;
  let value: unknown;
  if (typeof step === "number") {
    if (!Array.isArray(source) || !Array.isArray(target) || step >= source.length) return;
    value = source[step];
  } else {
    if (!isRecord(source) || Array.isArray(target) || !Object.hasOwn(source, step)) return;
    value = source[step];
  }
  const write = (v: unknown): void => {
    if (typeof step === "number") {
      const list = target as unknown[];
      while (list.length < step) list.push(null);
      list[step] = v;
    } else setOwn(target as Record<string, unknown>, step, v);
  };
  const existing =
    typeof step === "number"
      ? (target as unknown[])[step]
      : Object.hasOwn(target, step)
        ? (target as Record<string, unknown>)[step]
        : undefined;
  if (at === steps.length - 1 || value === null || typeof value !== "object") {
    write(value);
    return;
  }
  let next = existing;
  if (next === undefined || next === null || typeof next !== "object") {
    next = Array.isArray(value) ? [] : {};
    if (isRecord(value) && typeof step === "number") {
      // An array element on the path: its name and id say which element it is.
      for (const k of ["name", "id"]) if (Object.hasOwn(value, k)) (next as Record<string, unknown>)[k] = value[k];
    }
    write(next);
  } else if (next === value) return; // already kept whole
  keepPath(value, next as Record<string, unknown> | unknown[], steps, at + 1);
}

/**
 * The facts of `resource` (see the module comment), sharing values with it. `vias` are the `via`
 * paths of the resource's edges. A resource whose properties hold no fact has no `properties`.
 */
export function factsOf(resource: ExportResource, vias: Iterable<string> = []): ExportResource {
  const { properties, ...rest } = resource;
  if (!isRecord(properties)) return rest;
  const kept: Record<string, unknown> = {};
  for (const name of Object.keys(properties)) if (FACT_PROPERTIES.has(name)) kept[name] = properties[name];
  for (const via of vias) {
    const steps = stepsUnderProperties(via);
    if (steps === null || steps.length === 0 || (typeof steps[0] === "string" && FACT_PROPERTIES.has(steps[0]))) continue;
    if (resolves(properties, steps)) keepPath(properties, kept, steps, 0);
  }
  if (Object.keys(kept).length === 0) return rest;
  return { ...rest, properties: kept };
}
