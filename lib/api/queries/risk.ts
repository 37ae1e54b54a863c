import { z } from "zod";

import { riskScan, type RiskScore, singlePointsOfFailure, type TopologyGraph } from "../../topology/index.js";
import { cachedQuery, intParam, type QueryContext, type SnapshotInfo, snapshotInfo } from "./common.js";

/** Query parameters of `GET /risk`. */
export const riskParams = z.strictObject({ limit: intParam(1, 1000).optional() });

/** Parsed parameters of `GET /risk`. */
export type RiskParams = z.output<typeof riskParams>;

/** Single points of failure and the highest risk scores, each with its factors. */
export interface RiskAnswer {
  /** Resources scored and single points of failure found, before `limit`. */
  totals: { resources: number; singlePointsOfFailure: number };
  singlePointsOfFailure: RiskScore[];
  /** Highest scores first. */
  scores: RiskScore[];
  snapshot: SnapshotInfo;
}

const scans = new WeakMap<TopologyGraph, RiskScore[]>();

/** The risk scan of a graph, computed once per graph in this instance. */
function scanOf(graph: TopologyGraph): RiskScore[] {
  let scores = scans.get(graph);
  if (scores === undefined) {
    scores = riskScan(graph);
    scans.set(graph, scores);
  }
  return scores;
}

/** Single points of failure and risk scores of the current snapshot, `limit` (50) of each. */
export async function riskQuery(ctx: QueryContext, params: RiskParams): Promise<RiskAnswer> {
  const snapshot = await ctx.source.current();
  const limit = params.limit ?? 50;
  const answer = await cachedQuery(ctx, snapshot, ["risk", String(limit)], () => {
    const scores = scanOf(snapshot.graph);
    const spof = singlePointsOfFailure(snapshot.graph, { scores });
    return {
      totals: { resources: scores.length, singlePointsOfFailure: spof.length },
      singlePointsOfFailure: spof.slice(0, limit),
      scores: scores.slice(0, limit),
    };
  });
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}
