import { getJson, type Params } from "../api.js";
import { h, replace, viewLink } from "../dom.js";
import type { ViewGraph } from "../graph-model.js";
import { graphView } from "../graph-view.js";
import type { GroupView, ResourcePage } from "../types.js";
import type { View } from "./view.js";

/** Members listed per page beside the graph. */
const MEMBERS_PAGE = 100;
/** Types the API expands at once; expanding another drops the oldest. */
const MAX_EXPANDED = 5;

/** The hash of a group view with `expand`ed types (repeated parameters). */
export function groupLink(subscriptionId: string, resourceGroup: string, expand: readonly string[] = []): string {
  const q = new URLSearchParams({ subscriptionId, resourceGroup });
  for (const t of expand) q.append("expand", t);
  return `#/group?${q.toString()}`;
}

function groupGraph(view: GroupView): ViewGraph {
  return {
    nodes: view.nodes
      .filter((n) => n.kind !== "type" || n.count > 0)
      .map((n) => ({
        id: n.id,
        label: n.label,
        type: n.kind === "type" ? `${n.type} (${n.count} in this group)` : n.type,
        ...(n.kind === "type" ? { kind: "aggregate" as const } : n.kind === "resource" ? {} : { kind: "outside" as const }),
      })),
    edges: view.edges.map((e) => ({
      id: `${e.from}->${e.to}`,
      from: e.from,
      to: e.to,
      label: `${e.relations.join(", ")} ×${e.count}`,
      title: `${e.count} edge(s) (${e.relations.join(", ")})`,
    })),
  };
}

/** The members of the group, a page at a time (the complete list the graph aggregates). */
function memberList(subscriptionId: string, resourceGroup: string, total: number, first: ResourcePage): HTMLElement {
  const list = h("ol", { class: "members" });
  const caption = h("p", { class: "members-page", "aria-live": "polite" });
  const previous = h("button", { type: "button" }, "Previous page");
  const next = h("button", { type: "button" }, "Next page");
  const cursors: (string | undefined)[] = [undefined];
  let at = 0;
  let nextCursor: string | undefined;
  const show = (page: ResourcePage): void => {
    nextCursor = page.next;
    list.start = at * MEMBERS_PAGE + 1;
    replace(
      list,
      page.items.map((r) => h("li", {}, h("a", { href: viewLink("resource", { id: r.key }) }, r.name), " ", h("small", {}, r.type))),
    );
    caption.textContent = `Members ${at * MEMBERS_PAGE + 1}–${at * MEMBERS_PAGE + page.items.length} of ${total}`;
    previous.disabled = at === 0;
    next.disabled = nextCursor === undefined;
  };
  const load = async (): Promise<void> =>
    show(await getJson<ResourcePage>("resources", membersQuery(subscriptionId, resourceGroup, cursors[at])));
  const failed = (e: unknown): void => void (caption.textContent = `Could not list the members: ${String(e)}`);
  previous.addEventListener("click", () => {
    at = Math.max(0, at - 1);
    load().catch(failed);
  });
  next.addEventListener("click", () => {
    if (nextCursor === undefined) return;
    cursors[at + 1] = nextCursor;
    at++;
    load().catch(failed);
  });
  show(first);
  return h(
    "section",
    { class: "card group-members", "aria-label": "Members" },
    h("h3", {}, `Members (${total})`),
    caption,
    h("p", {}, previous, " ", next),
    list,
  );
}

function membersQuery(subscriptionId: string, resourceGroup: string, cursor?: string): Params {
  return { subscriptionId, resourceGroup, limit: MEMBERS_PAGE, cursor };
}

/**
 * One resource group: a node per type with its count (a type expands into its members), the
 * groups it depends on and that depend on it, and the complete member list, paged.
 */
export const groupView: View = async ({ root, params, go }) => {
  const subscriptionId = params.get("subscriptionId") ?? "";
  const resourceGroup = params.get("resourceGroup") ?? "";
  const expand = params.getAll("expand").slice(-MAX_EXPANDED);
  // The group and the first page of its members, together.
  const [view, first] = await Promise.all([
    getJson<GroupView>("explorer/group", { subscriptionId, resourceGroup, expand }),
    getJson<ResourcePage>("resources", membersQuery(subscriptionId, resourceGroup)),
  ]);
  const toggle = (type: string): void =>
    go(
      groupLink(
        subscriptionId,
        resourceGroup,
        expand.includes(type) ? expand.filter((t) => t !== type) : [...expand, type].slice(-MAX_EXPANDED),
      ),
    );
  const g = view.group;
  replace(
    root,
    h("h2", {}, `Resource group ${g.resourceGroup}`),
    h("p", { class: "lead" }, `${g.resources} resources of ${view.types.length} types in subscription ${g.subscriptionId}.`),
    h(
      "p",
      { class: "controls" },
      "Each barrel is the group's resources of one type; choose one to draw up to 40 of its members (the most depended-on first). Dashed boxes are other resource groups. ",
      view.edgesLeftOut > 0 ? `The ${view.edgesLeftOut} smallest edge bundle(s) are not drawn. ` : "",
      expand.length > 0
        ? h(
            "span",
            {},
            "Expanded: ",
            expand.map((t) => h("button", { type: "button", onclick: () => toggle(t) }, `Collapse ${t.slice(t.lastIndexOf("/") + 1)}`)),
          )
        : null,
    ),
  );
  graphView(root, groupGraph(view), {
    title: `group-${g.resourceGroup}`,
    topology: { subscriptionId: g.subscriptionId, resourceGroup: g.resourceGroup },
    onOpen: (id) => {
      if (id.startsWith("type:")) toggle(id.slice("type:".length));
      else if (id.startsWith("group:")) {
        const [sub, ...rg] = id.slice("group:".length).split("/");
        go(groupLink(sub ?? "", rg.join("/")));
      } else if (id !== "others") go(viewLink("resource", { id }));
    },
  });
  root.append(
    h(
      "section",
      { class: "card group-types", "aria-label": "Types" },
      h("h3", {}, `Types (${view.types.length})`),
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Resources"), h("th", { scope: "col" }, "Drawn")),
        ),
        h(
          "tbody",
          {},
          view.types.map((t) =>
            h(
              "tr",
              {},
              h("td", {}, t.type),
              h("td", { class: "num" }, t.count),
              h(
                "td",
                {},
                h(
                  "button",
                  { type: "button", "aria-pressed": expand.includes(t.type) ? "true" : "false", onclick: () => toggle(t.type) },
                  expand.includes(t.type) ? "Collapse" : "Expand",
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    memberList(subscriptionId, resourceGroup, g.resources, first),
  );
};
