// Draws a ViewGraph with Cytoscape.js (dagre layout: dependents left, dependencies right), with a
// list beside it holding the same nodes and edges for keyboards and screen readers, group
// collapse toggles and the exports of what is drawn.
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";

import { apiUrl } from "./api.js";
import { download, h, replace } from "./dom.js";
import { collapseGroups, type Positions, toDrawio, toSvg, type ViewGraph } from "./graph-model.js";

cytoscape.use(dagre);

/** Options of {@link graphView}. */
export interface GraphViewOptions {
  /** The file names of the exports, without extension. */
  title: string;
  /** Topology API parameters of the same view, for the Mermaid and DOT links. */
  topology?: Record<string, string>;
  /** Called when a resource node is chosen (click, or Enter in the list). */
  onOpen?: (key: string) => void;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      shape: "round-rectangle",
      width: 170,
      height: 40,
      "background-color": "#f4f6f8",
      "border-width": 1,
      "border-color": "#5b6770",
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": "160px",
      "text-valign": "center",
      "font-size": 10,
    },
  },
  {
    selector: ":parent",
    style: {
      shape: "round-rectangle",
      "background-color": "#fbfbfd",
      "border-style": "dashed",
      "text-valign": "top",
      "font-size": 11,
      color: "#44505a",
    },
  },
  { selector: "node.center", style: { "background-color": "#fff7cc", "border-width": 3, "border-color": "#1b1f23" } },
  { selector: "node.down", style: { "background-color": "#f8d0d0", "border-width": 3, "border-color": "#a4161a" } },
  {
    selector: "node.degraded",
    style: { "background-color": "#fde7c2", "border-width": 3, "border-style": "dashed", "border-color": "#9a5b00" },
  },
  {
    selector: "node.observability",
    style: { "background-color": "#d6e6fb", "border-width": 3, "border-style": "dotted", "border-color": "#1f5fa8" },
  },
  { selector: "node.collapsed", style: { shape: "barrel", "background-color": "#e6e9ee" } },
  { selector: "node.aggregate", style: { shape: "barrel", "background-color": "#e6eef7", "border-width": 2, "border-color": "#3b5670" } },
  { selector: "node.outside", style: { "background-color": "#ffffff", "border-style": "dashed" } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "line-color": "#8a949c",
      "target-arrow-color": "#8a949c",
      label: "data(label)",
      "font-size": 9,
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 1,
    },
  },
];

function positions(cy: cytoscape.Core): Positions {
  const at = new Map<string, { x: number; y: number; w: number; h: number }>();
  cy.nodes().forEach((n) => {
    if (n.isParent()) return;
    const p = n.position();
    at.set(n.id(), { x: p.x, y: p.y, w: n.width(), h: n.height() });
  });
  return at;
}

/** One graph view: what it draws from, its parts on the page, and what is drawn now. */
interface GraphViewState {
  readonly full: ViewGraph;
  readonly options: GraphViewOptions;
  /** The groups collapsed into one node. */
  readonly collapsed: Set<string>;
  readonly canvas: HTMLElement;
  readonly list: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly layout: cytoscape.LayoutOptions;
  cy: cytoscape.Core | undefined;
  /** `full` with the collapsed groups folded. */
  shown: ViewGraph;
}

/**
 * Appends the graph, its list and its toolbar to `parent` (which must be in the document:
 * Cytoscape measures its container); redraws when a group is collapsed or expanded.
 */
export function graphView(parent: HTMLElement, full: ViewGraph, options: GraphViewOptions): void {
  const collapsed = new Set<string>();
  // Past 30 nodes a taller canvas keeps the fitted drawing at a zoom where labels can be read.
  const canvas = h("div", {
    class: full.nodes.length > 30 ? "graph tall" : "graph",
    role: "img",
    "aria-label": `Graph: ${options.title}. The same nodes and edges are listed beside it.`,
  });
  const list = h("div", { class: "graph-list" });
  const toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": "Graph tools" });
  const layout = { name: "dagre", rankDir: "LR", nodeSep: 20, rankSep: 90 } as cytoscape.LayoutOptions;
  const view: GraphViewState = { full, options, collapsed, canvas, list, toolbar, layout, cy: undefined, shown: full };
  parent.append(h("section", { class: "graph-view" }, toolbar, h("div", { class: "graph-row" }, canvas, list)));
  draw(view);
}

/** Draws `full` with the collapsed groups folded, and renders the list and toolbar to match. */
function draw(view: GraphViewState): void {
  view.shown = collapseGroups(view.full, view.collapsed);
  view.cy?.destroy();
  const cy = drawCanvas(view);
  cy.on("tap", "node", (event) => {
    const id = (event.target as cytoscape.NodeSingular).id();
    if (view.full.nodes.some((n) => n.id === id)) view.options.onOpen?.(id);
  });
  renderList(view);
  renderToolbar(view);
}

/** A new Cytoscape drawing of what is shown, with its groups as boxes when they can be drawn. */
function drawCanvas(view: GraphViewState): cytoscape.Core {
  const { canvas, layout } = view;
  try {
    view.cy = cytoscape({ container: canvas, elements: elementsOf(view.shown, true), style: STYLE, layout });
  } catch {
    // dagre can place a group's box over a member of another on large views, and Cytoscape
    // then cannot route an edge ("Not possible to find intersection"): draw without the boxes
    // (the list still names each node's group, and collapsing still works).
    view.cy?.destroy();
    view.cy = cytoscape({ container: canvas, elements: elementsOf(view.shown, false), style: STYLE, layout });
  }
  return view.cy;
}

/** The Cytoscape elements of `shown`: with `boxes`, each group's nodes inside a box of the group. */
function elementsOf(shown: ViewGraph, boxes: boolean): cytoscape.ElementDefinition[] {
  const groups = new Set(boxes ? shown.nodes.filter((n) => n.members === undefined && n.group !== undefined).map((n) => n.group!) : []);
  return [
    ...[...groups].map((g) => ({ data: { id: `rg:${g}`, label: g } })),
    ...shown.nodes.map((n) => ({
      data: {
        id: n.id,
        label: n.more ? `${n.label} (+${n.more})` : n.label,
        ...(groups.has(n.group ?? "") && n.members === undefined ? { parent: `rg:${n.group}` } : {}),
      },
      classes: [n.status ?? "", n.members !== undefined ? "collapsed" : "", n.kind ?? ""].filter(Boolean),
    })),
    ...shown.edges.map((e) => ({ data: { id: e.id, source: e.from, target: e.to, label: e.label } })),
  ];
}

/** The list beside the graph: the shown nodes (a resource opens on Enter) and edges. */
function renderList(view: GraphViewState): void {
  const { shown, options } = view;
  const byId = new Map(shown.nodes.map((n) => [n.id, n]));
  const name = (id: string): string => byId.get(id)?.label ?? id;
  replace(
    view.list,
    h("h3", {}, `Nodes (${shown.nodes.length})`),
    h(
      "ul",
      { class: "nodes" },
      shown.nodes.map((n) =>
        h(
          "li",
          { class: n.status ?? "", "data-key": n.id },
          n.members === undefined && options.onOpen
            ? h("button", { type: "button", class: "link", onclick: () => options.onOpen?.(n.id) }, n.label)
            : h("span", {}, n.label),
          " ",
          h("small", {}, n.type),
          n.status ? h("span", { class: `badge ${n.status}` }, n.status) : null,
          n.more ? h("span", { class: "more" }, ` +${n.more} more`) : null,
        ),
      ),
    ),
    h("h3", {}, `Edges (${shown.edges.length})`),
    h(
      "ul",
      { class: "edges" },
      shown.edges.map((e) =>
        h("li", { title: e.title }, `${name(e.from)} → ${name(e.to)}: `, h("strong", {}, e.label), h("small", {}, ` ${e.title}`)),
      ),
    ),
  );
}

/** The toolbar: the exports of what is drawn, the topology links, and a collapse toggle per group. */
function renderToolbar(view: GraphViewState): void {
  const groups = [...new Set(view.full.nodes.map((n) => n.group).filter((g): g is string => g !== undefined))].sort();
  replace(view.toolbar, exportButtons(view), topologyLinks(view.options), groups.length > 1 ? groupToggles(view, groups) : null);
}

/** SVG, PNG and draw.io exports of the drawing as it is when clicked. */
function exportButtons(view: GraphViewState): HTMLElement[] {
  const title = view.options.title;
  return [
    h(
      "button",
      { type: "button", onclick: () => view.cy && download(`${title}.svg`, toSvg(view.shown, positions(view.cy), title), "image/svg+xml") },
      "Export SVG",
    ),
    h(
      "button",
      {
        type: "button",
        onclick: () => view.cy && download(`${title}.png`, view.cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2 })),
      },
      "Export PNG",
    ),
    h(
      "button",
      {
        type: "button",
        onclick: () => view.cy && download(`${title}.drawio`, toDrawio(view.shown, positions(view.cy), title), "application/xml"),
      },
      "Export draw.io",
    ),
  ];
}

/** The Mermaid and DOT links of the same view, when it has topology parameters. */
function topologyLinks(options: GraphViewOptions): (HTMLElement | null)[] {
  return [
    options.topology
      ? h("a", { href: apiUrl("topology", { ...options.topology, format: "mermaid" }), target: "_blank", rel: "noopener" }, "Mermaid")
      : null,
    options.topology
      ? h("a", { href: apiUrl("topology", { ...options.topology, format: "dot" }), target: "_blank", rel: "noopener" }, "DOT")
      : null,
  ];
}

/** One button per group that collapses it into one node, or expands it again, and redraws. */
function groupToggles(view: GraphViewState, groups: readonly string[]): HTMLElement {
  const { collapsed } = view;
  return h(
    "span",
    { class: "groups" },
    "Groups: ",
    groups.map((g) =>
      h(
        "button",
        {
          type: "button",
          "aria-pressed": collapsed.has(g) ? "true" : "false",
          onclick: () => (collapsed.has(g) ? collapsed.delete(g) : collapsed.add(g), draw(view)),
        },
        `${collapsed.has(g) ? "Expand" : "Collapse"} ${g}`,
      ),
    ),
  );
}
