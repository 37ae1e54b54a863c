/**
 * The sample estate (tools/estates/sample.json) as an export, built offline the way discovery
 * builds it: every payload normalized, embedded subnets lifted out unless read on their own,
 * edges inferred over the whole set. Cached per process.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { embeddedNodes, isRejected, normalizeResource } from "../../lib/azure/normalize.js";
import { inferEdges } from "../../lib/topology/edges.js";
import type { ExportResource, TopologyExport } from "../../lib/topology/export-format.js";
import { loadEstateFile } from "../../tools/estates/schema.js";

// Path arithmetic, not `new URL(…, import.meta.url)`: under jsdom the global URL resolves against http://localhost.
const samplePath = join(dirname(fileURLToPath(import.meta.url)), "../../tools/estates/sample.json");

let cached: Promise<TopologyExport> | undefined;

async function build(): Promise<TopologyExport> {
  const estate = await loadEstateFile(samplePath);
  const resources: ExportResource[] = [];
  for (const subscription of estate.subscriptions) {
    for (const raw of subscription.resources) {
      const r = normalizeResource(raw);
      if (isRejected(r)) throw new Error(`sample estate: ${r.reason}`);
      resources.push(r);
    }
  }
  const seen = new Set(resources.map((r) => r.key));
  for (const parent of [...resources]) {
    for (const child of embeddedNodes(parent)) {
      if (seen.has(child.key)) continue;
      seen.add(child.key);
      resources.push(child);
    }
  }
  resources.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { edges, external } = inferEdges(resources);
  return {
    version: 1,
    runId: "sample",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    scope: { subscriptions: estate.subscriptions.map((s) => s.subscriptionId.toLowerCase()) },
    resources,
    external,
    edges,
    errors: [],
    stats: { durationMs: 1000, requests: 0, throttled: 0, retries: 0, resources: resources.length, edges: edges.length },
  };
}

/** The sample estate's export. Treat it as read-only: every caller in the process shares it. */
export function sampleExport(): Promise<TopologyExport> {
  cached ??= build();
  return cached;
}
