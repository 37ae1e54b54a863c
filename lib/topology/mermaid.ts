import { MONITORING, relationCodes, type TopologyGraph } from "./graph.js";
import { groupBySubscription, scopeOf, type TopologyScope } from "./scope.js";

/** Options of `renderMermaid`. */
export interface RenderMermaidOptions {
  /** @default the whole graph */
  scope?: TopologyScope;
  /** Layout direction. @default "LR" */
  direction?: "LR" | "RL" | "TB" | "BT";
}

/**
 * Text for a quoted Mermaid label: everything but plain letters, digits and a little punctuation
 * becomes a `#<code>;` entity, so quotes, brackets, pipes, `<`/`>`, backticks, `#`, line breaks
 * and any script render as text and never end the label. An empty text becomes a no-break space.
 */
export function escapeMermaid(text: string): string {
  if (text === "") return "#160;";
  const chars = [...text];
  let out = "";
  chars.forEach((ch, i) => {
    // Mermaid trims labels: spaces at either end become entities so they stay.
    const plain = ch === " " ? i > 0 && i < chars.length - 1 : /^[A-Za-z0-9_.,:/()@+=-]$/.test(ch);
    out += plain ? ch : `#${ch.codePointAt(0)};`;
  });
  return out;
}

/**
 * A Mermaid flowchart of a graph (or a scope of it): one subgraph per subscription holding one per
 * resource group; node ids are generated (`n0`, `n1`…), names only ever appear escaped in labels.
 * An arrow points from the dependent to what it depends on; `monitoring` edges are dotted;
 * external nodes carry the `external` class.
 */
export function renderMermaid(graph: TopologyGraph, options: RenderMermaidOptions = {}): string {
  const selected = scopeOf(graph, options.scope);
  const nodeId = new Map<number, string>(selected.nodes.map((v, i) => [v, `n${i}`]));
  const lines = [`flowchart ${options.direction ?? "LR"}`];
  let lastSubscription: string | undefined;
  let s = -1;
  let g = 0;
  for (const group of groupBySubscription(graph, selected.nodes)) {
    if (group.subscription !== lastSubscription) {
      if (lastSubscription !== undefined) lines.push("  end");
      lastSubscription = group.subscription;
      s++;
      g = 0;
      lines.push(`  subgraph s${s}["${escapeMermaid(`subscription ${group.subscription}`)}"]`);
    }
    const indent = group.resourceGroup === "" ? "    " : "      ";
    if (group.resourceGroup !== "") lines.push(`    subgraph s${s}g${g++}["${escapeMermaid(group.resourceGroup)}"]`);
    for (const v of group.nodes) {
      const type = graph.resources[v]?.type ?? (graph.typeOf(v) || "external");
      lines.push(`${indent}${nodeId.get(v)!}["${escapeMermaid(graph.nameOf(v))}<br/>${escapeMermaid(type)}"]`);
    }
    if (group.resourceGroup !== "") lines.push("    end");
  }
  if (lastSubscription !== undefined) lines.push("  end");
  for (const e of selected.edges) {
    const from = nodeId.get(graph.edgeFromNode[e]!)!;
    const to = nodeId.get(graph.edgeToNode[e]!)!;
    const code = graph.columns.edgeRelation[e]!;
    lines.push(`  ${from} ${code === MONITORING ? "-.->" : "-->"}|${relationCodes[code] ?? "reference"}| ${to}`);
  }
  const externals = selected.nodes.filter((v) => graph.resources[v] === undefined).map((v) => nodeId.get(v)!);
  if (externals.length > 0) {
    lines.push("  classDef external stroke-dasharray:4 3");
    lines.push(`  class ${externals.join(",")} external`);
  }
  return `${lines.join("\n")}\n`;
}
