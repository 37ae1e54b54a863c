import { MONITORING, relationCodes, type TopologyGraph } from "./graph.js";
import { groupBySubscription, scopeOf, type TopologyScope } from "./scope.js";

/** Options of `renderDot`. */
export interface RenderDotOptions {
  /** @default the whole graph */
  scope?: TopologyScope;
  /** Layout direction. @default "LR" */
  rankdir?: "LR" | "RL" | "TB" | "BT";
}

/**
 * Text inside a double-quoted DOT string: backslashes doubled (so Graphviz's `\N`, `\l`… escapes
 * never fire), quotes escaped, line breaks as `\n`, other control characters as spaces.
 */
export function escapeDot(text: string): string {
  let out = "";
  const chars = [...text.replace(/\r\n|\r/g, "\n")];
  for (const ch of chars) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else out += code < 0x20 || code === 0x7f ? " " : ch;
  }
  return out;
}

const q = (text: string): string => `"${escapeDot(text)}"`;

/**
 * A Graphviz DOT digraph of a graph (or a scope of it): one cluster per subscription holding one
 * per resource group; node ids are generated (`n0`, `n1`…), names only ever appear escaped in
 * labels. An arrow points from the dependent to what it depends on; `monitoring` edges are dashed,
 * external nodes dashed boxes.
 */
export function renderDot(graph: TopologyGraph, options: RenderDotOptions = {}): string {
  const selected = scopeOf(graph, options.scope);
  const nodeId = new Map<number, string>(selected.nodes.map((v, i) => [v, `n${i}`]));
  const lines = ["digraph topology {", `  graph [rankdir=${q(options.rankdir ?? "LR")}, compound="true"];`, '  node [shape="box"];'];
  let lastSubscription: string | undefined;
  let s = -1;
  let g = 0;
  for (const group of groupBySubscription(graph, selected.nodes)) {
    if (group.subscription !== lastSubscription) {
      if (lastSubscription !== undefined) lines.push("  }");
      lastSubscription = group.subscription;
      s++;
      g = 0;
      lines.push(`  subgraph ${q(`cluster_s${s}`)} {`, `    label=${q(`subscription ${group.subscription}`)};`);
    }
    const indent = group.resourceGroup === "" ? "    " : "      ";
    if (group.resourceGroup !== "") lines.push(`    subgraph ${q(`cluster_s${s}g${g++}`)} {`, `      label=${q(group.resourceGroup)};`);
    for (const v of group.nodes) {
      const resource = graph.resources[v];
      const type = resource?.type ?? (graph.typeOf(v) || "external");
      const style = resource === undefined ? ', style="dashed"' : "";
      lines.push(`${indent}${q(nodeId.get(v)!)} [label=${q(`${graph.nameOf(v)}\n${type}`)}${style}];`);
    }
    if (group.resourceGroup !== "") lines.push("    }");
  }
  if (lastSubscription !== undefined) lines.push("  }");
  for (const e of selected.edges) {
    const code = graph.columns.edgeRelation[e]!;
    const style = code === MONITORING ? ', style="dashed"' : "";
    lines.push(
      `  ${q(nodeId.get(graph.edgeFromNode[e]!)!)} -> ${q(nodeId.get(graph.edgeToNode[e]!)!)} [label=${q(relationCodes[code] ?? "reference")}${style}];`,
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
