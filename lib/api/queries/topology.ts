import { z } from "zod";

import { renderDot, renderJson, renderMermaid, type TopologyScope } from "../../topology/index.js";
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

/** A rendered topology: the text and its content type. */
export interface RenderedTopology {
  contentType: string;
  body: string;
}

/**
 * The graph of the current snapshot for a scope, as the export format (JSON), a Mermaid flowchart
 * or Graphviz DOT. Scoped renders are cached per generation; the unscoped JSON is the export itself.
 */
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
  const render = (): string => {
    if (params.format === "mermaid") return renderMermaid(graph, { scope });
    if (params.format === "dot") return renderDot(graph, { scope });
    return JSON.stringify(renderJson(snapshot.export, { scope, graph }));
  };
  const body = Object.keys(scope).length === 0 && params.format === "json"
    ? render()
    : await cachedQuery(ctx, snapshot, ["topology", params.format, JSON.stringify(scope)], render);
  return { contentType: topologyContentTypes[params.format], body };
}
