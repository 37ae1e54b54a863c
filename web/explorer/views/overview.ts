import { getJson } from "../api.js";
import { h, replace, viewLink } from "../dom.js";
import type { CountList, Risk, Summary } from "../types.js";
import { groupLink } from "./group.js";
import type { View } from "./view.js";

function counts(
  title: string,
  list: CountList,
  link: (name: string) => string | undefined,
  label: (name: string) => string = (n) => n,
): HTMLElement {
  return h(
    "section",
    { class: "card" },
    h("h2", {}, `${title} (${list.distinct})`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Resources"))),
      h(
        "tbody",
        {},
        list.rows.map((r) => {
          const href = link(r.name);
          return h("tr", {}, h("td", {}, href ? h("a", { href }, label(r.name)) : label(r.name)), h("td", { class: "num" }, r.count));
        }),
      ),
    ),
    list.rows.length < list.distinct ? h("p", {}, `The ${list.rows.length} largest of ${list.distinct}.`) : null,
  );
}

/** The estate aggregated: counts, single points of failure, per-zone exposure; never every node. */
export const overviewView: View = async ({ root }) => {
  const [summary, risk] = await Promise.all([getJson<Summary>("explorer/summary"), getJson<Risk>("risk", { limit: 20 })]);
  replace(
    root,
    h("h2", {}, "Overview"),
    h("p", { class: "lead" }, `${summary.resources} resources in snapshot ${summary.snapshot.runId}.`),
    h(
      "div",
      { class: "cards" },
      h(
        "section",
        { class: "card" },
        h("h2", {}, `Single points of failure (${risk.totals.singlePointsOfFailure})`),
        risk.singlePointsOfFailure.length === 0
          ? h("p", {}, "None: no single resource takes an entry point down with it.")
          : h(
              "ol",
              {},
              risk.singlePointsOfFailure.map((s) =>
                h(
                  "li",
                  {},
                  h("a", { href: viewLink("impact", { id: s.key }) }, s.name),
                  " ",
                  h("small", {}, `${s.type}: ${s.entryPointsDown} entry point(s) and ${s.down} resource(s) down`),
                ),
              ),
            ),
      ),
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Most depended-on"),
        h(
          "ol",
          {},
          summary.mostDependedOn.map((r) =>
            h(
              "li",
              {},
              h("a", { href: viewLink("impact", { id: r.key }) }, r.name),
              " ",
              h("small", {}, `${r.type}: ${r.dependents} direct dependent(s) — what breaks if it goes down?`),
            ),
          ),
        ),
      ),
      h(
        "section",
        { class: "card" },
        h("h2", {}, `Zone exposure (${risk.totals.zones})`),
        h(
          "table",
          {},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "Zone"),
              h("th", { scope: "col" }, "Down"),
              h("th", { scope: "col" }, "Degraded"),
              h("th", { scope: "col" }, "Entry points down"),
            ),
          ),
          h(
            "tbody",
            {},
            risk.zones.map((z) =>
              h(
                "tr",
                {},
                h("td", {}, h("a", { href: viewLink("scenario", { zone: `${z.region}/${z.zone}` }) }, `${z.region} zone ${z.zone}`)),
                h("td", { class: "num" }, z.totals.down),
                h("td", { class: "num" }, z.totals.degraded),
                h("td", { class: "num" }, z.totals.entryPointsDown),
              ),
            ),
          ),
        ),
      ),
      counts("Subscriptions", summary.subscriptions, (s) => viewLink("search", { subscriptionId: s })),
      counts(
        "Resource groups",
        summary.resourceGroups,
        (g) => groupLink(g.split("/")[0]!, g.split("/").slice(1).join("/")),
        // "rg-web (6f1c2a3b…)": the group's name first, its subscription shortened.
        (g) => `${g.split("/").slice(1).join("/")} (${g.slice(0, 8)}…)`,
      ),
      counts("Types", summary.types, (t) => viewLink("search", { type: t })),
      counts("Locations", summary.locations, (l) => viewLink("search", { location: l })),
    ),
  );
};
