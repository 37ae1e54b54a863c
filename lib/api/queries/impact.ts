import { z } from "zod";

import { DEFAULT_FAILURE_LIMIT, type FailureAnswer, failureModelOf, scenarioAnswer } from "../../topology/index.js";
import { cachedQuery, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { failurePageParams, offsetOf } from "./failure-paging.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** Query parameters of `GET /impact`. */
export const impactParams = z.strictObject({ id: text(), ...failurePageParams });

/** Parsed parameters of `GET /impact`. */
export type ImpactParams = z.output<typeof impactParams>;

/** The failure model's answer for one resource, with the snapshot it was computed on. */
export interface ImpactAnswer extends FailureAnswer {
  snapshot: SnapshotInfo;
}

/** What is down, degraded, observability-impaired and unknown if the resource fails (docs/api.md). */
export async function impactQuery(ctx: QueryContext, params: ImpactParams): Promise<ImpactAnswer> {
  const offset = offsetOf(params.cursor);
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const node = nodeOrNotFound(graph, params.id, "query.id");
  const limit = params.limit ?? DEFAULT_FAILURE_LIMIT;
  const answer = await cachedQuery(ctx, snapshot, ["impact-v2", graph.keys[node]!, String(limit), String(offset)], () =>
    scenarioAnswer(failureModelOf(graph), [node], {}, { limit, offset }),
  );
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}
