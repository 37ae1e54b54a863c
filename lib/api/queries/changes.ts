import { z } from "zod";

import { diffExports, type TopologyDiff } from "../../topology/index.js";
import { notFound } from "../problem.js";
import { wholeExport } from "../snapshot-source.js";
import { cachedQuery, intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Entries of each list of a changes answer unless `limit` says otherwise. */
export const CHANGES_DEFAULT_LIMIT = 500;
/** Most entries of each list one changes answer holds. */
export const CHANGES_MAX_LIMIT = 5_000;

/** Query parameters of `GET /changes`. */
export const changesParams = z.strictObject({ since: text(200), limit: intParam(1, CHANGES_MAX_LIMIT).optional() });

/** Parsed parameters of `GET /changes`. */
export type ChangesParams = z.output<typeof changesParams>;

/** What changed between a kept snapshot and the current one. */
export interface ChangesAnswer extends TopologyDiff {
  since: string;
  /** The exact length of each list before `limit` cut it. */
  totals: { resources: { added: number; removed: number; changed: number }; edges: { added: number; removed: number } };
  /** True when some list holds fewer entries than its total. */
  truncated: boolean;
  snapshot: SnapshotInfo;
}

/**
 * The first `limit` (500, at most 5,000) of each list, with exact totals:
 * resources added, removed and changed (with the paths that differ) and edges added and removed
 * between the kept snapshot of run `since` and the current one. A run the store no longer keeps
 * (or never had) is a 404 that lists the kept run ids.
 */
export async function changesQuery(ctx: QueryContext, params: ChangesParams): Promise<ChangesAnswer> {
  const snapshot = await ctx.source.current();
  const diff = await cachedQuery(ctx, snapshot, ["changes", params.since], async () => {
    if (params.since === snapshot.meta.runId) return diffExports({ resources: [], edges: [] }, { resources: [], edges: [] });
    const before = await ctx.source.kept(params.since);
    if (before === undefined) {
      const kept = await ctx.source.keptRunIds();
      throw notFound(`query.since: run ${JSON.stringify(params.since.slice(0, 200))} is not among the kept snapshots (${kept.join(", ") || "none"})`, "query.since");
    }
    return diffExports(before.export, await ctx.source.payloadCall(() => wholeExport(snapshot)));
  });
  const limit = params.limit ?? CHANGES_DEFAULT_LIMIT;
  const { resources: r, edges: e } = diff;
  const totals = {
    resources: { added: r.added.length, removed: r.removed.length, changed: r.changed.length },
    edges: { added: e.added.length, removed: e.removed.length },
  };
  const truncated = [r.added, r.removed, r.changed, e.added, e.removed].some((list) => list.length > limit);
  return {
    since: params.since,
    resources: { added: r.added.slice(0, limit), removed: r.removed.slice(0, limit), changed: r.changed.slice(0, limit) },
    edges: { added: e.added.slice(0, limit), removed: e.removed.slice(0, limit) },
    totals,
    truncated,
    snapshot: snapshotInfo(snapshot),
  };
}
