import { z } from "zod";

import { annotateChanges, changersOptionsOf } from "../../devops/changers.js";
import { diffExports, type TopologyDiff } from "../../topology/index.js";
import { notFound } from "../problem.js";
import { wholeExport } from "../snapshot-source.js";
import { boundedRuns } from "./change-sources.js";
import { cachedQuery, intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Entries of each list of a changes answer unless `limit` says otherwise. */
export const CHANGES_DEFAULT_LIMIT = 500;
/** Most entries of each list one changes answer holds. */
export const CHANGES_MAX_LIMIT = 5_000;

/** Query parameters of `GET /changes`. */
export const changesParams = z.strictObject({ since: text(200), limit: intParam(1, CHANGES_MAX_LIMIT).optional() });

/** Parsed parameters of `GET /changes`. */
export type ChangesParams = z.output<typeof changesParams>;

/** A resource entry of a changes answer, annotated when the current snapshot read Azure DevOps. */
type Annotated<T> = T & {
  devopsRuns?: { pipeline: string; runId: number; via: string; at: string; text: string }[];
  devopsRunsTotal?: number;
};

/** What changed between a kept snapshot and the current one. */
export interface ChangesAnswer extends Omit<TopologyDiff, "resources"> {
  since: string;
  resources: { [K in keyof TopologyDiff["resources"]]: Annotated<TopologyDiff["resources"][K][number]>[] };
  /**
   * With a devops section: the change window the runs are looked for in, from the `since` run's
   * start to the current run's finish (a resource is read somewhere inside each run).
   */
  devopsWindow?: { from: string; to: string };
  /** The exact length of each list before `limit` cut it. */
  totals: { resources: { added: number; removed: number; changed: number }; edges: { added: number; removed: number } };
  /** True when some list holds fewer entries than its total. */
  truncated: boolean;
  snapshot: SnapshotInfo;
}

/**
 * The first `limit` (500, at most 5,000) of each list, with exact totals:
 * resources added, removed and changed (with the paths that differ) and edges added and removed
 * between the kept snapshot of run `since` and the current one; with a devops section, each entry
 * carries the Azure DevOps runs that touched its scope in the change window. A run the store no longer keeps
 * (or never had) is a 404 that lists the kept run ids.
 */
export async function changesQuery(ctx: QueryContext, params: ChangesParams): Promise<ChangesAnswer> {
  const snapshot = await ctx.source.current();
  const current = snapshot.meta;
  let from = current.startedAt;
  const diff = await cachedQuery(ctx, snapshot, ["changes-v2", params.since], async () => {
    if (params.since === current.runId) return { ...diffExports({ resources: [], edges: [] }, { resources: [], edges: [] }), from };
    const before = await ctx.source.kept(params.since);
    if (before === undefined) {
      const kept = await ctx.source.keptRunIds();
      throw notFound(
        `query.since: run ${JSON.stringify(params.since.slice(0, 200))} is not among the kept snapshots (${kept.join(", ") || "none"})`,
        "query.since",
      );
    }
    return { ...diffExports(before.export, await ctx.source.payloadCall(() => wholeExport(snapshot))), from: before.export.startedAt };
  });
  from = diff.from;
  const limit = params.limit ?? CHANGES_DEFAULT_LIMIT;
  const { resources: r, edges: e } = diff;
  const totals = {
    resources: { added: r.added.length, removed: r.removed.length, changed: r.changed.length },
    edges: { added: e.added.length, removed: e.removed.length },
  };
  const truncated = [r.added, r.removed, r.changed, e.added, e.removed].some((list) => list.length > limit);
  const page = { added: r.added.slice(0, limit), removed: r.removed.slice(0, limit), changed: r.changed.slice(0, limit) };
  const section = current.devops;
  let resources: ChangesAnswer["resources"] = page;
  let devopsWindow: ChangesAnswer["devopsWindow"];
  if (section !== undefined) {
    devopsWindow = { from, to: current.finishedAt };
    // Only the entries answered are annotated: the cost follows the page, not the whole diff.
    const keys = [...page.added, ...page.removed, ...page.changed].map((x) => x.key);
    const byKey = new Map(annotateChanges(section, keys, devopsWindow, changersOptionsOf(current)).map((a) => [a.key, a]));
    const annotate = <T extends { key: string }>(list: T[]) => list.map((x) => ({ ...x, ...boundedRuns(byKey.get(x.key.toLowerCase())) }));
    resources = { added: annotate(page.added), removed: annotate(page.removed), changed: annotate(page.changed) };
  }
  return {
    since: params.since,
    resources,
    edges: { added: e.added.slice(0, limit), removed: e.removed.slice(0, limit) },
    totals,
    truncated,
    ...(devopsWindow === undefined ? {} : { devopsWindow }),
    snapshot: snapshotInfo(snapshot),
  };
}
