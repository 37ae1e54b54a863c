import { createHash } from "node:crypto";

import { z } from "zod";

import { DEFAULT_FAILURE_LIMIT, type FailureAnswer, failureModelOf, regionName, scenarioAnswer } from "../../topology/index.js";
import { cachedQuery, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { failurePageParams, offsetOf, zoneRefSchema } from "./failure-paging.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** Query parameters of `POST /scenarios`: the page. */
export const scenarioParams = z.strictObject(failurePageParams);

/** The body of `POST /scenarios`: what fails. */
export const scenarioBody = z.strictObject({
  fail: z
    .strictObject({
      ids: z.array(text()).max(1000).optional(),
      zones: z.array(zoneRefSchema).max(100).optional(),
      regions: z.array(z.string().min(1, "must not be empty").max(100)).max(100).optional(),
    })
    .refine((f) => (f.ids?.length ?? 0) + (f.zones?.length ?? 0) + (f.regions?.length ?? 0) > 0, {
      message: "must name at least one id, zone or region",
    }),
});

/** Parsed parameters and body of `POST /scenarios`. */
export type ScenarioRequest = z.output<typeof scenarioParams> & z.output<typeof scenarioBody>;

/** The failure model's answer for a failure set, with the snapshot it was computed on. */
export interface ScenarioAnswer extends FailureAnswer {
  snapshot: SnapshotInfo;
}

/** What is down, degraded, observability-impaired and unknown when the set fails (docs/api.md). */
export async function scenarioQuery(ctx: QueryContext, request: ScenarioRequest): Promise<ScenarioAnswer> {
  const offset = offsetOf(request.cursor);
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const ids = (request.fail.ids ?? []).map((id, i) => nodeOrNotFound(graph, id, `body.fail.ids.${i}`));
  const zones = (request.fail.zones ?? []).map((z) => ({ region: regionName(z.region), zone: z.zone }));
  const regions = (request.fail.regions ?? []).map(regionName);
  const limit = request.limit ?? DEFAULT_FAILURE_LIMIT;
  // A failure set can name a thousand ids: the cache key is its digest.
  const set = JSON.stringify({
    ids: [...new Set(ids.map((v) => graph.keys[v]!))].sort(),
    zones: zones.map((z) => `${z.region}/${z.zone}`).sort(),
    regions: [...regions].sort(),
  });
  const key = createHash("sha256").update(set).digest("base64url");
  const answer = await cachedQuery(ctx, snapshot, ["scenario", key, String(limit), String(offset)], () =>
    scenarioAnswer(failureModelOf(graph), ids, { zones, regions }, { limit, offset }),
  );
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}
