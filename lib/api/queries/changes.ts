import { z } from "zod";

import { diffExports, type TopologyDiff } from "../../topology/index.js";
import { notFound } from "../problem.js";
import { cachedQuery, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Query parameters of `GET /changes`. */
export const changesParams = z.strictObject({ since: text(200) });

/** Parsed parameters of `GET /changes`. */
export type ChangesParams = z.output<typeof changesParams>;

/** What changed between a kept snapshot and the current one. */
export interface ChangesAnswer extends TopologyDiff {
  since: string;
  snapshot: SnapshotInfo;
}

/**
 * Resources added, removed and changed (with the paths that differ) and edges added and removed
 * between the kept snapshot of run `since` and the current one. A run the store no longer keeps
 * (or never had) is a 404 that lists the kept run ids.
 */
export async function changesQuery(ctx: QueryContext, params: ChangesParams): Promise<ChangesAnswer> {
  const snapshot = await ctx.source.current();
  const current = snapshot.export;
  const diff = await cachedQuery(ctx, snapshot, ["changes", params.since], async () => {
    if (params.since === current.runId) return diffExports(current, current);
    const before = await ctx.source.kept(params.since);
    if (before === undefined) {
      const kept = await ctx.source.keptRunIds();
      throw notFound(`query.since: run ${JSON.stringify(params.since.slice(0, 200))} is not among the kept snapshots (${kept.join(", ") || "none"})`, "query.since");
    }
    return diffExports(before.export, current);
  });
  return { since: params.since, ...diff, snapshot: snapshotInfo(snapshot) };
}
