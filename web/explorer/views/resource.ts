import { getJson } from "../api.js";
import { h, replace, viewLink } from "../dom.js";
import { graphView } from "../graph-view.js";
import type { Neighbourhood, ResourceDetail } from "../types.js";
import { changeSourcesSection } from "./change-sources.js";
import { groupLink } from "./group.js";
import { neighbourhoodGraph } from "./neighbourhood.js";
import type { View } from "./view.js";

/** Nodes drawn first, and the most the "more" expander grows to. */
export const FIRST_LIMIT = 40;
const MAX_LIMIT = 640;

/** The limit/depth controls of a neighbourhood view. */
export function neighbourhoodControls(
  view: string,
  id: string,
  depth: number,
  limit: number,
  answer: Neighbourhood,
  go: (hash: string) => void,
): HTMLElement {
  const select = h(
    "select",
    { id: "depth", onchange: (e) => go(viewLink(view, { id, depth: (e.target as HTMLSelectElement).value, limit: String(limit) })) },
    [1, 2, 3, 4].map((d) => h("option", { value: d, selected: d === depth }, d)),
  );
  const hidden = answer.nodes.reduce((n, node) => n + node.more, 0);
  return h(
    "p",
    { class: "controls" },
    h("label", { for: "depth" }, "Depth "),
    select,
    ` ${answer.nodes.length} nodes, ${answer.edges.length} edges. `,
    answer.truncated || hidden > 0
      ? limit < MAX_LIMIT && answer.truncated
        ? h(
            "button",
            { type: "button", onclick: () => go(viewLink(view, { id, depth: String(depth), limit: String(limit * 2) })) },
            `More (show up to ${limit * 2} nodes)`,
          )
        : h("span", {}, `${hidden} edge(s) lead beyond this depth: raise it to follow them.`)
      : null,
  );
}

/** Parsed depth/limit of a neighbourhood view. */
export function depthAndLimit(params: URLSearchParams): { depth: number; limit: number } {
  const depth = Math.min(4, Math.max(1, Number(params.get("depth") ?? 2) || 2));
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(params.get("limit") ?? FIRST_LIMIT) || FIRST_LIMIT));
  return { depth, limit };
}

/** Moves the focus (and the view) to the "Who can change it" section. */
function focusSection(section: HTMLElement): void {
  section.scrollIntoView({ block: "start" });
  section.focus();
}

/** One resource: its neighbourhood graph with evidence on each edge, who can change it from Azure DevOps (when the snapshot read it), its redundancy and properties. */
export const resourceView: View = async ({ root, params, go }) => {
  const id = params.get("id") ?? "";
  const { depth, limit } = depthAndLimit(params);
  // The detail only for changeSources: one edge of each list is enough.
  const [answer, detail] = await Promise.all([
    getJson<Neighbourhood>("explorer/neighbourhood", { id, depth, limit }),
    getJson<ResourceDetail>("resources/detail", { id, limit: 1 }),
  ]);
  const r = answer.resource;
  const changeSources = detail.changeSources === undefined ? null : changeSourcesSection(detail.changeSources);
  const name = r.name ?? r.key.split("/").at(-1) ?? r.key;
  replace(
    root,
    h("h2", {}, name),
    h(
      "p",
      { class: "lead" },
      r.type,
      r.resourceGroup ? " · resource group " : null,
      r.resourceGroup && r.subscriptionId
        ? h("a", { href: groupLink(r.subscriptionId, r.resourceGroup) }, r.resourceGroup)
        : r.resourceGroup,
      r.location ? ` · ${r.location}` : null,
    ),
    h(
      "p",
      {},
      h("a", { href: viewLink("impact", { id: r.key }), class: "button" }, "What breaks if this goes down?"),
      " ",
      h("a", { href: viewLink("scenario", { id: r.key }) }, "Add to a scenario"),
      changeSources === null
        ? null
        : [" · ", h("button", { type: "button", class: "link", onclick: () => focusSection(changeSources) }, "Who can change it?")],
    ),
    neighbourhoodControls("resource", r.key, depth, limit, answer, go),
  );
  graphView(root, neighbourhoodGraph(answer), {
    title: `neighbourhood-${name}`,
    topology: { id: r.key, depth: String(depth) },
    onOpen: (key) => go(viewLink("resource", { id: key })),
  });
  const redundancy = answer.redundancy;
  if (changeSources !== null) root.append(changeSources);
  root.append(
    h(
      "section",
      { class: "card" },
      h("h3", {}, `Redundancy: ${redundancy?.level ?? "unknown"}`),
      redundancy && redundancy.evidence.length > 0
        ? h(
            "ul",
            {},
            redundancy.evidence.map((e) => h("li", {}, h("strong", {}, e.level), ` ${e.rule}: ${e.evidence}`)),
          )
        : h("p", {}, "No rule found redundancy in its payload."),
    ),
    h(
      "details",
      { class: "card" },
      h("summary", {}, "Properties (sanitised)"),
      h("pre", {}, JSON.stringify({ kind: r.kind, sku: r.sku, tags: r.tags, properties: r.properties }, null, 2)),
    ),
  );
};
