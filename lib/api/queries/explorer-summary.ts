import { z } from "zod";

import { cachedQuery, type QueryContext, type SnapshotInfo, snapshotInfo } from "./common.js";

/** Most rows of each count list in a summary: the estate is aggregated, never listed. */
export const SUMMARY_MAX_ROWS = 50;

/** Query parameters of `GET /explorer/summary` (none). */
export const explorerSummaryParams = z.strictObject({});

/** One row of a count list. */
export interface CountRow {
  name: string;
  count: number;
}

/** A count list: the largest rows and how many distinct names there are. */
export interface CountList {
  rows: CountRow[];
  distinct: number;
}

/** The estate aggregated for the explorer's overview. */
export interface ExplorerSummary {
  resources: number;
  subscriptions: CountList;
  /** Named `subscriptionId/resourceGroup`. */
  resourceGroups: CountList;
  types: CountList;
  locations: CountList;
  /** The most depended-on resources (most direct dependents first), where a look at impact starts. */
  mostDependedOn: { key: string; type: string; name: string; dependents: number }[];
  /** Runs whose snapshots are kept, newest first, for the changes view. */
  keptRuns: string[];
  snapshot: SnapshotInfo;
}

function countList(counts: Map<string, number>): CountList {
  const rows = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { rows: rows.slice(0, SUMMARY_MAX_ROWS), distinct: rows.length };
}

/** Counts of the current snapshot's resources by subscription, resource group, type and location. */
export async function explorerSummary(ctx: QueryContext): Promise<ExplorerSummary> {
  const snapshot = await ctx.source.current();
  const counted = await cachedQuery(ctx, snapshot, ["explorer-summary"], () => {
    const subs = new Map<string, number>();
    const groups = new Map<string, number>();
    const types = new Map<string, number>();
    const locations = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
    for (const r of snapshot.byKey) {
      bump(subs, r.subscriptionId);
      if (r.resourceGroup !== undefined) bump(groups, `${r.subscriptionId}/${r.resourceGroup}`);
      bump(types, r.type);
      // ARM spells a region "West Europe" or "westeurope": count them as one.
      if (r.location !== undefined) bump(locations, r.location.toLowerCase().replace(/\s+/g, ""));
    }
    const graph = snapshot.graph;
    const hubs: { key: string; type: string; name: string; dependents: number }[] = [];
    for (let id = 0; id < graph.nodeCount; id++) {
      if (graph.resources[id] === undefined) continue;
      const dependents = graph.dependents(id).filter((n) => n.relation !== "contains" && n.relation !== "monitoring").length;
      if (dependents > 0) hubs.push({ key: graph.keys[id]!, type: graph.typeOf(id), name: graph.nameOf(id), dependents });
    }
    hubs.sort((a, b) => b.dependents - a.dependents || a.key.localeCompare(b.key));
    return {
      mostDependedOn: hubs.slice(0, 10),
      resources: snapshot.byKey.length,
      subscriptions: countList(subs),
      resourceGroups: countList(groups),
      types: countList(types),
      locations: countList(locations),
    };
  });
  const keptRuns = await ctx.source.keptRunIds().catch(() => []);
  return { ...counted, keptRuns: keptRuns.slice(0, SUMMARY_MAX_ROWS), snapshot: snapshotInfo(snapshot) };
}
