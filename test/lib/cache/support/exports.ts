// Small, deterministic exports for snapshot tests: every resource carries its run id, so a test
// can tell which snapshot a read came from and that no resource of another run slipped in.
import type { TopologyExport } from "../../../../lib/topology/export-format.js";

/** An export of `resources` resources (and one edge per resource after the first) for `runId`. */
export function makeExport(runId: string, resources: number, subscriptionId = "00000000-0000-0000-0000-000000000001"): TopologyExport {
  const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-${runId}`;
  const list = Array.from({ length: resources }, (_, i) => {
    const id = `${rg}/providers/Microsoft.Network/networkInterfaces/nic-${i}`;
    return {
      key: id.toLowerCase(),
      id,
      type: "Microsoft.Network/networkInterfaces",
      name: `nic-${i}`,
      subscriptionId,
      resourceGroup: `rg-${runId}`,
      location: "westeurope",
      tags: { run: runId },
      properties: { index: i, provisioningState: "Succeeded" },
    };
  });
  return {
    version: 1,
    runId,
    startedAt: "2026-01-02T03:04:05.000Z",
    finishedAt: "2026-01-02T03:05:05.000Z",
    scope: { subscriptions: [subscriptionId] },
    resources: list,
    external: [],
    edges: list.slice(1).map((r, i) => ({ from: r.key, to: list[i]?.key ?? "", relation: "reference" as const, via: "properties.index" })),
    errors: [],
    stats: { durationMs: 60_000, requests: 10, throttled: 0, retries: 0, resources, edges: Math.max(0, resources - 1) },
  };
}

/** True when every resource and edge of `snapshot` belongs to its own run (nothing mixed in). */
export function isWhole(snapshot: TopologyExport, resources: number): boolean {
  return (
    snapshot.resources.length === resources &&
    snapshot.stats.resources === resources &&
    snapshot.resources.every((r, i) => r.tags?.run === snapshot.runId && r.name === `nic-${i}`) &&
    snapshot.edges.length === Math.max(0, resources - 1)
  );
}
