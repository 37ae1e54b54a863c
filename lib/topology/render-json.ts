import type { ExportResource, TopologyExport } from "./export-format.js";
import { buildGraph, type TopologyGraph } from "./graph.js";
import { scopeOf, type TopologyScope } from "./scope.js";

/** Options of `renderJson`. */
export interface RenderJsonOptions {
  /** @default the whole export */
  scope?: TopologyScope;
  /** The export's graph, when already built. @default built from the export */
  graph?: TopologyGraph;
  /**
   * The whole resource at a position of the export's `resources` (the graph holds only facts).
   * @default read from `exp.resources`
   */
  resourceAt?: (position: number) => ExportResource;
}

/**
 * The export format (docs/interfaces.md section 3) for a scope: the selected resources, the external
 * entries joined to them, the edges between selected nodes, `scope` extended with the filters
 * applied and `stats.resources` / `stats.edges` recounted. Keys only an edge named become
 * external entries, so every edge end is a resource or an external entry.
 */
export function renderJson(exp: TopologyExport, options: RenderJsonOptions = {}): TopologyExport {
  const scope = options.scope ?? {};
  const graph = options.graph ?? buildGraph(exp);
  const resourceAt = options.resourceAt ?? ((position: number) => exp.resources[position]!);
  const selected = scopeOf(graph, scope);
  const resources = [];
  const external = [];
  for (const v of selected.nodes) {
    const position = graph.resourcePosition[v]!;
    if (position >= 0) resources.push(resourceAt(position));
    else external.push(graph.externals.get(graph.keys[v]!) ?? { key: graph.keys[v]!, id: graph.keys[v]!, type: graph.typeOf(v) });
  }
  const edges = selected.edges.map((e) => graph.edge(e));
  return {
    ...exp,
    scope: {
      ...exp.scope,
      ...(scope.subscriptions ? { subscriptions: scope.subscriptions.map((s) => s.toLowerCase()) } : {}),
      ...(scope.resourceGroups ? { resourceGroups: [...scope.resourceGroups] } : {}),
      ...(scope.types ? { types: [...scope.types] } : {}),
      ...(scope.around ? { around: { ...scope.around } } : {}),
    },
    resources,
    external,
    edges,
    stats: { ...exp.stats, resources: resources.length, edges: edges.length },
  };
}
