import { z } from "zod";

import { type Impact, impactOf } from "../../topology/index.js";
import { cachedQuery, intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** Query parameters of `GET /impact`. */
export const impactParams = z.strictObject({ id: text(), depth: intParam(1, 100).optional() });

/** Parsed parameters of `GET /impact`. */
export type ImpactParams = z.output<typeof impactParams>;

/** The blast radius of one resource, with the snapshot it was computed on. */
export interface ImpactAnswer extends Impact {
  snapshot: SnapshotInfo;
}

/** What fails if the resource goes down: affected resources with distance and path. */
export async function impactQuery(ctx: QueryContext, params: ImpactParams): Promise<ImpactAnswer> {
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const key = graph.keys[nodeOrNotFound(graph, params.id, "query.id")]!;
  const impact = await cachedQuery(ctx, snapshot, ["impact", key, String(params.depth ?? "all")], () => impactOf(graph, key, params.depth === undefined ? {} : { depth: params.depth })!);
  return { ...impact, snapshot: snapshotInfo(snapshot) };
}
