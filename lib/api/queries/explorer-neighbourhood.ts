import { z } from "zod";

import {
  type Direction,
  type ExportResource,
  type NodeOrigin,
  type Redundancy,
  redundancyOf,
  type Relation,
} from "../../topology/index.js";
import { intParam, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** Nodes drawn unless `limit` says otherwise: a picture stays readable. */
export const NEIGHBOURHOOD_DEFAULT_NODES = 60;
/** Most nodes one neighbourhood answer holds. */
export const NEIGHBOURHOOD_MAX_NODES = 2_000;
/** Deepest walk in each direction. */
export const NEIGHBOURHOOD_MAX_DEPTH = 6;

/** Query parameters of `GET /explorer/neighbourhood`. */
export const neighbourhoodParams = z.strictObject({
  id: text(),
  depth: intParam(1, NEIGHBOURHOOD_MAX_DEPTH).optional(),
  limit: intParam(1, NEIGHBOURHOOD_MAX_NODES).optional(),
});

/** Parsed parameters of `GET /explorer/neighbourhood`. */
export type NeighbourhoodParams = z.output<typeof neighbourhoodParams>;

/** A node of the neighbourhood. */
export interface NeighbourhoodNode {
  key: string;
  type: string;
  name: string;
  origin: NodeOrigin;
  resourceGroup?: string;
  /** Hops from the chosen resource (negative: a dependent; positive: a dependency). */
  level: number;
  /** Edges of this node that lead to nodes left out by the cap or the depth. */
  more: number;
}

/** An edge between two nodes of the neighbourhood: `from` depends on `to`. */
export interface NeighbourhoodEdge {
  from: string;
  to: string;
  relation: Relation;
  via: string;
  direction?: Direction;
}

/** The chosen resource, what it depends on and what depends on it, to `depth` hops, capped at `limit` nodes. */
export interface Neighbourhood {
  resource: ExportResource | { key: string; type: string; origin: NodeOrigin };
  redundancy?: Redundancy;
  nodes: NeighbourhoodNode[];
  edges: NeighbourhoodEdge[];
  /** True when the cap left nodes out (their count is in each node's `more`). */
  truncated: boolean;
  snapshot: SnapshotInfo;
}

/**
 * Breadth-first from one resource, dependencies and dependents alternately by level, so both
 * sides share the cap. Every edge between two kept nodes is listed once.
 */
export async function explorerNeighbourhood(ctx: QueryContext, params: NeighbourhoodParams): Promise<Neighbourhood> {
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const start = nodeOrNotFound(graph, params.id, "query.id");
  const depth = params.depth ?? 2;
  const limit = params.limit ?? NEIGHBOURHOOD_DEFAULT_NODES;
  const level = new Map<number, number>([[start, 0]]);
  let truncated = false;
  const walk = (sign: 1 | -1): void => {
    let frontier = [start];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const v of frontier) {
        for (const n of sign === 1 ? graph.dependencies(v) : graph.dependents(v)) {
          const id = graph.idOf(n.key)!;
          if (level.has(id)) continue;
          if (level.size >= limit) {
            truncated = true;
            return;
          }
          level.set(id, sign * d);
          next.push(id);
        }
      }
      frontier = next;
    }
  };
  walk(1);
  walk(-1);
  const nodes: NeighbourhoodNode[] = [];
  const edges: NeighbourhoodEdge[] = [];
  for (const [id, lvl] of level) {
    const key = graph.keys[id]!;
    let more = 0;
    for (const n of graph.dependencies(id)) {
      const other = graph.idOf(n.key)!;
      if (!level.has(other)) more++;
      else
        edges.push({
          from: key,
          to: n.key,
          relation: n.relation,
          via: n.via,
          ...(n.direction === undefined ? {} : { direction: n.direction }),
        });
    }
    for (const n of graph.dependents(id)) if (!level.has(graph.idOf(n.key)!)) more++;
    const group = graph.resources[id]?.resourceGroup;
    nodes.push({
      key,
      type: graph.typeOf(id),
      name: graph.nameOf(id),
      origin: graph.originOf(id),
      ...(group === undefined ? {} : { resourceGroup: group }),
      level: lvl,
      more,
    });
  }
  const key = graph.keys[start]!;
  const position = graph.resourcePosition[start]!;
  const resource =
    position >= 0
      ? (await ctx.source.payloadCall(() => snapshot.payloads.at([position])))[0]!
      : { key, type: graph.typeOf(start), origin: graph.originOf(start) };
  const redundancy = redundancyOf(graph, key);
  return { resource, ...(redundancy === undefined ? {} : { redundancy }), nodes, edges, truncated, snapshot: snapshotInfo(snapshot) };
}
