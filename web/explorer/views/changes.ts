import { getJson } from "../api.js";
import { utcMinute } from "../devops-text.js";
import { h, replace, viewLink } from "../dom.js";
import type { ChangeEntry, Changes, Summary } from "../types.js";
import { changeRunsList } from "./change-sources.js";
import type { View } from "./view.js";

/** What was added, removed and changed (with changed paths, and the Azure DevOps runs that could have done it) since a kept run. */
export const changesView: View = async ({ root, params, go }) => {
  const summary = await getJson<Summary>("explorer/summary");
  const older = summary.keptRuns.filter((r) => r !== summary.snapshot.runId);
  const since = params.get("since") ?? older[0];
  const select = h(
    "select",
    { id: "changes-since", onchange: (e) => go(viewLink("changes", { since: (e.target as HTMLSelectElement).value })) },
    older.map((r) => h("option", { value: r, selected: r === since }, r)),
  );
  replace(
    root,
    h("h2", {}, "Changes"),
    older.length === 0
      ? h("p", {}, "Only one snapshot is kept: changes show after the next run.")
      : h("p", {}, h("label", { for: "changes-since" }, "Since run "), select, ` to ${summary.snapshot.runId}`),
  );
  if (since === undefined) return;
  const c = await getJson<Changes>("changes", { since, limit: 200 });
  const list = (title: string, items: ChangeEntry[], total: number): HTMLElement =>
    h(
      "section",
      { class: "card" },
      h("h3", {}, `${title} (${total})`),
      items.length === 0
        ? h("p", {}, "None.")
        : h(
            "ul",
            {},
            items.map((i) =>
              h(
                "li",
                { "data-key": i.key },
                h("a", { href: viewLink("resource", { id: i.key }) }, i.name ?? i.key),
                i.paths ? h("small", {}, ` ${i.paths.join(", ")}`) : null,
                changeRunsList(i),
              ),
            ),
          ),
    );
  root.append(
    h("p", {}, `Edges added: ${c.totals.edges.added}, removed: ${c.totals.edges.removed}.`),
    ...(c.devopsWindow === undefined
      ? []
      : [
          h(
            "p",
            { class: "devops-window" },
            `Under each resource: the Azure DevOps runs that used a connection or environment reaching it between ${utcMinute(c.devopsWindow.from)} and ${utcMinute(c.devopsWindow.to)}.`,
          ),
        ]),
    h(
      "div",
      { class: "cards" },
      list("Added", c.resources.added, c.totals.resources.added),
      list("Removed", c.resources.removed, c.totals.resources.removed),
      list("Changed", c.resources.changed, c.totals.resources.changed),
    ),
  );
};
