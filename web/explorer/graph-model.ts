// The graph of the current view as plain data: what cytoscape draws, what the list beside it
// shows, and what the SVG and draw.io exports write. Groups collapse here, not in the renderer.

/** Statuses a node can be drawn with. */
export type NodeStatus = "center" | "down" | "degraded" | "observability";

/** A node of the view: a resource, or a collapsed group standing for its members. */
export interface ViewNode {
  id: string;
  label: string;
  type: string;
  group?: string;
  status?: NodeStatus;
  /** Edges to resources not drawn (the "more" expander). */
  more?: number;
  /** Members, when this is a collapsed group. */
  members?: number;
  /** How it is drawn when it stands for more than one resource: a type's members, or resources elsewhere. */
  kind?: "aggregate" | "outside";
}

/** An edge of the view: `from` depends on `to`; `title` is its evidence. */
export interface ViewEdge {
  id: string;
  from: string;
  to: string;
  label: string;
  title: string;
}

/** What one view draws. */
export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

/** The node id a collapsed group gets. */
export const groupNodeId = (group: string): string => `group:${group}`;

/**
 * The graph with the members of each collapsed group replaced by one node; edges between a
 * group's members vanish, parallel edges merge (their labels joined), the chosen resource never
 * collapses.
 */
export function collapseGroups(graph: ViewGraph, collapsed: ReadonlySet<string>): ViewGraph {
  if (collapsed.size === 0) return graph;
  const target = new Map<string, string>();
  const groups = new Map<string, ViewNode>();
  const nodes: ViewNode[] = [];
  for (const n of graph.nodes) {
    if (n.group === undefined || !collapsed.has(n.group) || n.status === "center") {
      nodes.push(n);
      continue;
    }
    const id = groupNodeId(n.group);
    target.set(n.id, id);
    const g = groups.get(id);
    if (g) g.members = (g.members ?? 0) + 1;
    else {
      const made: ViewNode = { id, label: n.group, type: "resource group", group: n.group, members: 1 };
      groups.set(id, made);
      nodes.push(made);
    }
  }
  for (const g of groups.values()) g.label = `${g.group ?? ""} (${g.members} resources)`;
  const edges = new Map<string, ViewEdge>();
  for (const e of graph.edges) {
    const from = target.get(e.from) ?? e.from;
    const to = target.get(e.to) ?? e.to;
    if (from === to) continue;
    const id = `${from}->${to}`;
    const seen = edges.get(id);
    if (seen === undefined) edges.set(id, { ...e, id, from, to });
    else if (!seen.label.split(", ").includes(e.label)) seen.label = `${seen.label}, ${e.label}`;
  }
  return { nodes, edges: [...edges.values()] };
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where each node was drawn (centre and size), from the renderer. */
export type Positions = ReadonlyMap<string, { x: number; y: number; w: number; h: number }>;

const FILL: Record<NodeStatus | "none", string> = {
  none: "#f4f6f8",
  center: "#fff7cc",
  down: "#f8d0d0",
  degraded: "#fde7c2",
  observability: "#d6e6fb",
};
const STROKE: Record<NodeStatus | "none", string> = {
  none: "#5b6770",
  center: "#1b1f23",
  down: "#a4161a",
  degraded: "#9a5b00",
  observability: "#1f5fa8",
};

/** A draw.io (mxGraph XML) file: one vertex cell per node, one edge cell per edge. */
export function toDrawio(graph: ViewGraph, at: Positions, title: string): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  for (const n of graph.nodes) {
    const p = at.get(n.id) ?? { x: 0, y: 0, w: 160, h: 40 };
    const s = n.status ?? "none";
    const dashed = s === "degraded" ? "dashed=1;" : s === "observability" ? "dashed=1;dashPattern=1 3;" : "";
    cells.push(
      `<mxCell id="${ids.get(n.id)!}" value="${xml(`${n.label}\n${n.type}`)}" tooltip="${xml(n.id)}" style="rounded=1;whiteSpace=wrap;html=0;fillColor=${FILL[s]};strokeColor=${STROKE[s]};${dashed}" vertex="1" parent="1"><mxGeometry x="${Math.round(p.x - p.w / 2)}" y="${Math.round(p.y - p.h / 2)}" width="${Math.round(p.w)}" height="${Math.round(p.h)}" as="geometry"/></mxCell>`,
    );
  }
  graph.edges.forEach((e, i) => {
    cells.push(
      `<mxCell id="e${i}" value="${xml(e.label)}" tooltip="${xml(e.title)}" style="endArrow=block;html=0;" edge="1" parent="1" source="${ids.get(e.from)!}" target="${ids.get(e.to)!}"><mxGeometry relative="1" as="geometry"/></mxCell>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<mxfile host="TopDeck"><diagram id="topdeck" name="${xml(title)}"><mxGraphModel><root>${cells.join("")}</root></mxGraphModel></diagram></mxfile>\n`;
}

/** An SVG image of the view as drawn: boxes, arrows (dependent to dependency) and labels. */
export function toSvg(graph: ViewGraph, at: Positions, title: string): string {
  const boxes = graph.nodes.map((n) => ({ n, p: at.get(n.id) ?? { x: 0, y: 0, w: 160, h: 40 } }));
  const minX = Math.min(0, ...boxes.map((b) => b.p.x - b.p.w / 2)) - 20;
  const minY = Math.min(0, ...boxes.map((b) => b.p.y - b.p.h / 2)) - 40;
  const maxX = Math.max(0, ...boxes.map((b) => b.p.x + b.p.w / 2)) + 20;
  const maxY = Math.max(0, ...boxes.map((b) => b.p.y + b.p.h / 2)) + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" width="${Math.round(maxX - minX)}" height="${Math.round(maxY - minY)}" font-family="sans-serif" font-size="11">`,
    `<title>${xml(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6770"/></marker></defs>',
    `<rect x="${minX}" y="${minY}" width="${maxX - minX}" height="${maxY - minY}" fill="#ffffff"/>`,
    `<text x="${minX + 10}" y="${minY + 20}" font-size="14">${xml(title)}</text>`,
  ];
  const byId = new Map(boxes.map((b) => [b.n.id, b.p]));
  for (const e of graph.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    out.push(
      `<g class="edge"><title>${xml(e.title)}</title><line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="#5b6770" marker-end="url(#arrow)"/><text x="${(a.x + b.x) / 2}" y="${(a.y + b.y) / 2 - 3}" text-anchor="middle" fill="#333">${xml(e.label)}</text></g>`,
    );
  }
  for (const { n, p } of boxes) {
    const s = n.status ?? "none";
    const dash = s === "degraded" ? ' stroke-dasharray="6 3"' : s === "observability" ? ' stroke-dasharray="1 3"' : "";
    out.push(
      `<g class="node"><title>${xml(n.id)}</title><rect x="${p.x - p.w / 2}" y="${p.y - p.h / 2}" width="${p.w}" height="${p.h}" rx="6" fill="${FILL[s]}" stroke="${STROKE[s]}" stroke-width="${s === "none" ? 1 : 2}"${dash}/><text x="${p.x}" y="${p.y - 2}" text-anchor="middle">${xml(n.label)}</text><text x="${p.x}" y="${p.y + 12}" text-anchor="middle" fill="#555" font-size="9">${xml(n.type)}</text></g>`,
    );
  }
  out.push("</svg>\n");
  return out.join("\n");
}
