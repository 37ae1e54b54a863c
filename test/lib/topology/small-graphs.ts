/** Small hand-made exports for the topology tests: resources named by a letter or word, edges between them. */
import type { Relation } from "../../../lib/topology/edge-rules.js";
import type { ExportResource, TopologyExport } from "../../../lib/topology/export-format.js";

export const SUB = "00000000-0000-0000-0000-000000000001";

/** The key of a small-graph resource. */
export const k = (name: string, group = "rg-a"): string => `/subscriptions/${SUB}/resourcegroups/${group}/providers/test.ns/things/${name}`;

/** A resource of a small graph; `extra` is merged into the ARM object. */
export function thing(name: string, extra: Partial<ExportResource> = {}, group = "rg-a"): ExportResource {
  const key = k(name, group);
  return { key, id: key, type: "Test.NS/things", name, subscriptionId: SUB, resourceGroup: group, ...extra };
}

/** An export over the named resources with edges `[from, to, relation?]` (from depends on to). */
export function smallExport(
  names: readonly string[],
  edges: readonly (readonly [string, string, Relation?])[],
  resources: readonly ExportResource[] = [],
): TopologyExport {
  const all = [...resources, ...names.filter((n) => !resources.some((r) => r.name === n)).map((n) => thing(n))];
  return {
    version: 1,
    runId: "small",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:00.000Z",
    scope: { subscriptions: [SUB] },
    resources: all,
    external: [],
    edges: edges.map(([from, to, relation]) => ({
      from: all.find((r) => r.name === from)?.key ?? k(from),
      to: all.find((r) => r.name === to)?.key ?? k(to),
      relation: relation ?? "reference",
      via: "properties.ref",
    })),
    errors: [],
    stats: { durationMs: 0, requests: 0, throttled: 0, retries: 0, resources: all.length, edges: edges.length },
  };
}

/** The last segment of a key: the small graphs' resource name. */
export const nameOf = (key: string): string => key.split("/").at(-1) ?? "";
