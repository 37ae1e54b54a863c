import { z } from "zod";

import { changersOptionsOf } from "../../devops/changers.js";
import type { Direction, ExportResource, Neighbour, NodeOrigin, Relation, TopologyGraph } from "../../topology/index.js";
import { notFound } from "../problem.js";
import { type ChangeSources, changeSourcesOf } from "./change-sources.js";
import { intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Direct dependencies and dependents listed unless `limit` says otherwise. */
export const DETAIL_DEFAULT_LIMIT = 200;
/** Most of each list one detail answer holds. */
export const DETAIL_MAX_LIMIT = 2_000;

/** Query parameters of `GET /resources/detail`. */
export const resourceDetailParams = z.strictObject({ id: text(), limit: intParam(1, DETAIL_MAX_LIMIT).optional() });

/** Parsed parameters of `GET /resources/detail`. */
export type ResourceDetailParams = z.output<typeof resourceDetailParams>;

/** A direct neighbour: the resource at the other end of one edge, and how they are joined. */
export interface Related {
  key: string;
  type: string;
  name: string;
  origin: NodeOrigin;
  relation: Relation;
  /** The JSON path the edge was read from. */
  via: string;
  /** How TopDeck decided which side depends on which (`writable`, `read-only mirror`, `rule`, `containment`, `inferred`); absent for snapshots written before edges carried it. */
  direction?: Direction;
}

/** One resource with its direct dependencies (what it needs) and dependents (what needs it). */
export interface ResourceDetail {
  resource: ExportResource | { key: string; id: string; type: string; origin: NodeOrigin };
  dependencies: Related[];
  dependents: Related[];
  /** The exact number of direct dependencies and dependents, before `limit` cut the lists. */
  totals: { dependencies: number; dependents: number };
  /**
   * The Azure DevOps pipelines and connections that can change it and the runs that recently
   * used them; present when the snapshot read Azure DevOps (export version 2).
   */
  changeSources?: ChangeSources;
  snapshot: SnapshotInfo;
}

/** The node id of a resource id or key, or a 404 naming `field`. */
export function nodeOrNotFound(graph: TopologyGraph, id: string, field: string): number {
  const node = graph.idOf(id);
  if (node === undefined) throw notFound(`${field}: no resource ${JSON.stringify(id.slice(0, 300))} in the current snapshot`, field);
  return node;
}

/**
 * One resource of the current snapshot (by ARM id or key, any casing) and its direct edges,
 * `limit` (200) of each with their totals; with a devops section, who can change it from Azure DevOps.
 */
export async function resourceDetail(ctx: QueryContext, params: ResourceDetailParams): Promise<ResourceDetail> {
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const node = nodeOrNotFound(graph, params.id, "query.id");
  const related = (n: Neighbour): Related => {
    const other = graph.idOf(n.key)!;
    const base = {
      key: n.key,
      type: graph.typeOf(other),
      name: graph.nameOf(other),
      origin: graph.originOf(other),
      relation: n.relation,
      via: n.via,
    };
    return n.direction === undefined ? base : { ...base, direction: n.direction };
  };
  const key = graph.keys[node]!;
  const position = graph.resourcePosition[node]!;
  const resource =
    position >= 0
      ? (await ctx.source.payloadCall(() => snapshot.payloads.at([position])))[0]!
      : { key, id: graph.externals.get(key)?.id ?? key, type: graph.typeOf(node), origin: graph.originOf(node) };
  const limit = params.limit ?? DETAIL_DEFAULT_LIMIT;
  const dependencies = graph.dependencies(node);
  const dependents = graph.dependents(node);
  return {
    resource,
    dependencies: dependencies.slice(0, limit).map(related),
    dependents: dependents.slice(0, limit).map(related),
    totals: { dependencies: dependencies.length, dependents: dependents.length },
    ...(snapshot.meta.devops === undefined
      ? {}
      : { changeSources: changeSourcesOf(snapshot.meta.devops, key, changersOptionsOf(snapshot.meta)) }),
    snapshot: snapshotInfo(snapshot),
  };
}
