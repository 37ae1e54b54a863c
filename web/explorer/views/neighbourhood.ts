import type { NodeStatus, ViewGraph } from "../graph-model.js";
import type { Neighbourhood } from "../types.js";

/** The view graph of a neighbourhood answer; `status` colours nodes (impact). */
export function neighbourhoodGraph(answer: Neighbourhood, status: ReadonlyMap<string, NodeStatus> = new Map()): ViewGraph {
  return {
    nodes: answer.nodes.map((n) => ({
      id: n.key,
      label: n.name,
      type: n.type,
      ...(n.resourceGroup === undefined ? {} : { group: n.resourceGroup.toLowerCase() }),
      ...(n.level === 0 ? { status: "center" as const } : status.has(n.key) ? { status: status.get(n.key)! } : {}),
      ...(n.more > 0 ? { more: n.more } : {}),
    })),
    edges: answer.edges.map((e) => ({
      id: `${e.from}->${e.to}:${e.relation}:${e.via}`,
      from: e.from,
      to: e.to,
      label: e.relation,
      title: `via ${e.via}${e.direction ? ` (direction: ${e.direction})` : ""}`,
    })),
  };
}
