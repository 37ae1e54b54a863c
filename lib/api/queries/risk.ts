import { z } from "zod";

import {
  type ChangeRisk,
  encodeOffsetCursor,
  failureModelOf,
  type FailureRiskScan,
  failureRiskScan,
  riskScan,
  type RiskScore,
  type SinglePointOfFailure,
  type TopologyGraph,
  type ZoneExposure,
} from "../../topology/index.js";
import { cachedQuery, intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { offsetOf } from "./failure-paging.js";

/** Query parameters of `GET /risk`. */
export const riskParams = z.strictObject({ limit: intParam(1, 1000).optional(), cursor: text(200).optional() });

/** Parsed parameters of `GET /risk`. */
export type RiskParams = z.output<typeof riskParams>;

/** Single points of failure, per-zone exposure and change risk, one page of each; exact totals. */
export interface RiskAnswer {
  totals: { resources: number; singlePointsOfFailure: number; zones: number; changeRisk: number };
  /** Ranked by entry points down, then resources down. */
  singlePointsOfFailure: SinglePointOfFailure[];
  /** Every zone of every region in the estate, by region then zone. */
  zones: ZoneExposure[];
  /** Configuration whose deletion breaks its dependents, ranked like the single points of failure. */
  changeRisk: ChangeRisk[];
  /**
   * Deprecated: the risk scores of the previous version (highest first), first page only; kept
   * for one version.
   */
  scores: RiskScore[];
  truncated: boolean;
  nextCursor?: string;
  snapshot: SnapshotInfo;
}

const scans = new WeakMap<TopologyGraph, { failure: FailureRiskScan; scores: RiskScore[] }>();

/** The scans of a graph, computed once per graph in this instance. */
function scanOf(graph: TopologyGraph): { failure: FailureRiskScan; scores: RiskScore[] } {
  let found = scans.get(graph);
  if (found === undefined) {
    found = { failure: failureRiskScan(failureModelOf(graph)), scores: riskScan(graph) };
    scans.set(graph, found);
  }
  return found;
}

/** Single points of failure, zone exposure and change risk of the current snapshot, `limit` (50) of each. */
export async function riskQuery(ctx: QueryContext, params: RiskParams): Promise<RiskAnswer> {
  const offset = offsetOf(params.cursor);
  const snapshot = await ctx.source.current();
  const limit = params.limit ?? 50;
  const answer = await cachedQuery(ctx, snapshot, ["risk-v2", String(limit), String(offset)], () => {
    const { failure, scores } = scanOf(snapshot.graph);
    const page = <T>(list: readonly T[]): T[] => list.slice(offset, offset + limit);
    const lists = [failure.singlePointsOfFailure, failure.zones, failure.changeRisk];
    const truncated = lists.some((l) => l.length > offset + limit);
    return {
      totals: {
        resources: failure.resources,
        singlePointsOfFailure: failure.singlePointsOfFailure.length,
        zones: failure.zones.length,
        changeRisk: failure.changeRisk.length,
      },
      singlePointsOfFailure: page(failure.singlePointsOfFailure),
      zones: page(failure.zones),
      changeRisk: page(failure.changeRisk),
      scores: offset === 0 ? scores.slice(0, limit) : [],
      truncated,
      ...(truncated ? { nextCursor: encodeOffsetCursor(offset + limit) } : {}),
    };
  });
  return { ...answer, snapshot: snapshotInfo(snapshot) };
}
