import { z } from "zod";

import type { TopologyExport } from "../../topology/export-format.js";
import { renderDot, renderJson, renderMermaid, scopeOf, type TopologyScope } from "../../topology/index.js";
import { ProblemError, problemType } from "../problem.js";
import type { LoadedSnapshot } from "../snapshot-source.js";
import { cachedQuery, intParam, oneOrMany, type QueryContext, text } from "./common.js";
import { nodeOrNotFound } from "./resource-detail.js";

/** Query parameters of `GET /topology`. */
export const topologyParams = z
  .strictObject({
    format: z.enum(["json", "mermaid", "dot"]).default("json"),
    subscriptionId: oneOrMany.pipe(z.array(text(100))).optional(),
    resourceGroup: oneOrMany.pipe(z.array(text(300))).optional(),
    type: oneOrMany.pipe(z.array(text(300))).optional(),
    id: text().optional(),
    depth: intParam(1, 20).optional(),
    direction: z.enum(["both", "dependents", "dependencies"]).optional(),
  })
  .refine((p) => p.id !== undefined || (p.depth === undefined && p.direction === undefined), {
    message: "depth and direction need id",
    path: ["depth"],
  });

/** Parsed parameters of `GET /topology`. */
export type TopologyParams = z.output<typeof topologyParams>;

/** Content types of the three formats. */
export const topologyContentTypes = {
  json: "application/json",
  mermaid: "text/vnd.mermaid; charset=utf-8",
  dot: "text/vnd.graphviz; charset=utf-8",
} as const;

/** Most nodes one topology answer holds; a larger scope is a 413 that says how to narrow it. */
export const TOPOLOGY_MAX_NODES = 5_000;
/** Largest topology answer in characters (16 MiB); past it, a 413 as for nodes. */
export const TOPOLOGY_MAX_BYTES = 16_777_216;
/** The parameters that narrow a topology. */
export const TOPOLOGY_SCOPE_PARAMETERS = ["subscriptionId", "resourceGroup", "type", "id", "depth", "direction"] as const;

/** 413: the scope is too large to answer; names the parameters that narrow it. */
function tooLarge(what: string): ProblemError {
  return new ProblemError({
    type: problemType("too-large"),
    title: "Payload too large",
    status: 413,
    detail: `${what}; narrow it with subscriptionId, resourceGroup or type (repeatable), or id with depth and direction.`,
    field: "query",
    scopeParameters: [...TOPOLOGY_SCOPE_PARAMETERS],
    limits: { nodes: TOPOLOGY_MAX_NODES, bytes: TOPOLOGY_MAX_BYTES },
  });
}

/** A rendered topology: the text and its content type. */
export interface RenderedTopology {
  contentType: string;
  body: string;
}

/**
 * The graph of the current snapshot for a scope, as the export format (JSON), a Mermaid flowchart
 * or Graphviz DOT. Scoped renders are cached per generation; the unscoped JSON is the export
 * itself. A scope past TOPOLOGY_MAX_NODES nodes, or an answer past TOPOLOGY_MAX_BYTES, is a 413
 * problem naming the parameters that narrow it (never rendered, never cached).
 */
/** The export format for a scope: the selected resources' whole payloads, read from the snapshot's payload blocks. */
async function scopedExport(ctx: QueryContext, snapshot: LoadedSnapshot, scope: TopologyScope): Promise<TopologyExport> {
  const { graph } = snapshot;
  const positions = scopeOf(graph, scope)
    .nodes.map((v) => graph.resourcePosition[v]!)
    .filter((p) => p >= 0);
  const whole = await ctx.source.payloadCall(() => snapshot.payloads.at(positions));
  const byPosition = new Map(positions.map((p, i) => [p, whole[i]!]));
  const exp = { ...snapshot.meta, resources: [], edges: [], external: [...graph.columns.external] } as TopologyExport;
  return renderJson(exp, { scope, graph, resourceAt: (p) => byPosition.get(p)! });
}

export async function renderTopology(ctx: QueryContext, params: TopologyParams): Promise<RenderedTopology> {
  const snapshot = await ctx.source.current();
  const graph = snapshot.graph;
  const scope: TopologyScope = {
    ...(params.subscriptionId ? { subscriptions: params.subscriptionId } : {}),
    ...(params.resourceGroup ? { resourceGroups: params.resourceGroup } : {}),
    ...(params.type ? { types: params.type } : {}),
  };
  if (params.id !== undefined) {
    const node = nodeOrNotFound(graph, params.id, "query.id");
    scope.around = { key: graph.keys[node]!, depth: params.depth ?? 1, direction: params.direction ?? "both" };
  }
  const nodes = scopeOf(graph, scope).nodes.length;
  if (nodes > TOPOLOGY_MAX_NODES) throw tooLarge(`This scope has ${nodes} nodes, more than ${TOPOLOGY_MAX_NODES}`);
  const render = async (): Promise<string> => {
    const body =
      params.format === "mermaid"
        ? renderMermaid(graph, { scope })
        : params.format === "dot"
          ? renderDot(graph, { scope })
          : JSON.stringify(await scopedExport(ctx, snapshot, scope));
    if (body.length > TOPOLOGY_MAX_BYTES)
      throw tooLarge(`The answer for this scope is ${body.length} characters, more than ${TOPOLOGY_MAX_BYTES}`);
    return body;
  };
  const body =
    Object.keys(scope).length === 0 && params.format === "json"
      ? await render()
      : await cachedQuery(ctx, snapshot, ["topology", params.format, JSON.stringify(scope)], render);
  return { contentType: topologyContentTypes[params.format], body };
}
