import { isRejected, liftEmbeddedNodes, normalizeResource } from "../../lib/azure/normalize.js";
import { inferEdges } from "../../lib/topology/edges.js";
import type { ExportResource, TopologyExport } from "../../lib/topology/export-format.js";

/** ARM payloads grouped by subscription, as an estate file holds them. */
export interface PayloadsBySubscription {
  subscriptions: ReadonlyArray<{ subscriptionId: string; resources: readonly unknown[] }>;
}

/**
 * The export discovery would make of these payloads, built offline: every payload normalized,
 * embedded subnets lifted out unless present on their own, sorted by key, edges inferred over the
 * whole set. For fixtures and benchmarks. @throws Error naming the first payload that is not a resource.
 */
export function exportFromPayloads(
  estate: PayloadsBySubscription,
  meta: { runId: string; startedAt?: string; finishedAt?: string },
): TopologyExport {
  const resources: ExportResource[] = [];
  for (const subscription of estate.subscriptions) {
    for (const raw of subscription.resources) {
      const r = normalizeResource(raw);
      if (isRejected(r)) throw new Error(r.reason);
      resources.push(r);
    }
  }
  liftEmbeddedNodes(resources).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { edges, external } = inferEdges(resources);
  const at = new Date(0).toISOString();
  return {
    version: 1,
    runId: meta.runId,
    startedAt: meta.startedAt ?? at,
    finishedAt: meta.finishedAt ?? at,
    scope: { subscriptions: estate.subscriptions.map((s) => s.subscriptionId.toLowerCase()) },
    resources,
    external,
    edges,
    errors: [],
    stats: { durationMs: 0, requests: 0, throttled: 0, retries: 0, resources: resources.length, edges: edges.length },
  };
}
