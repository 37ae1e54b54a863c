import { changeRunsText, changeSourcesText } from "../devops-text.js";
import { h } from "../dom.js";
import type { ChangeEntry, ChangeSources } from "../types.js";

/** Id of the "Who can change it" section. */
const CHANGE_SOURCES_ID = "change-sources";

/**
 * "Who can change it": the Azure DevOps connections and environments reaching the resource (the
 * level and scope each reaches, the pipelines that used it) and the recent runs through them,
 * newest first, as text. Its two lists are `<details>` so Tab reaches them.
 */
export function changeSourcesSection(cs: ChangeSources): HTMLElement {
  const t = changeSourcesText(cs);
  const paths =
    t.paths.length === 0
      ? h("p", {}, "No Azure DevOps service connection or environment reaches it.")
      : h(
          "ul",
          { class: "change-paths" },
          t.paths.map((p, i) =>
            h(
              "li",
              { "data-level": cs.paths[i]?.level },
              h("strong", { class: "via" }, p.name),
              p.details === "" ? null : h("small", {}, ` (${p.details})`),
              ` ${p.reach}: `,
              h("code", { class: "scope" }, p.scope),
              h("div", { class: "pipelines-title" }, p.pipelinesTitle),
              p.pipelines.length === 0
                ? h("p", {}, h("small", {}, "No pipeline used it in the runs window."))
                : h(
                    "ul",
                    { class: "pipelines" },
                    p.pipelines.map((x) => h("li", {}, x)),
                  ),
              p.more === undefined ? null : h("p", { class: "more" }, p.more),
            ),
          ),
        );
  const runs =
    t.runs.length === 0
      ? h("p", {}, "No run used them in the runs window.")
      : h(
          "ol",
          { class: "recent-runs" },
          t.runs.map((r, i) =>
            h("li", {}, r, i === 0 && t.lastRunNote !== undefined ? h("strong", { class: "last-run" }, ` — ${t.lastRunNote}`) : null),
          ),
        );
  return h(
    "section",
    { class: "card change-sources", id: CHANGE_SOURCES_ID, tabindex: -1, "aria-labelledby": `${CHANGE_SOURCES_ID}-title` },
    h("h3", { id: `${CHANGE_SOURCES_ID}-title` }, "Who can change it (Azure DevOps)"),
    h(
      "p",
      { class: "lead" },
      t.summary,
      t.window === undefined ? null : ` · ${t.window}`,
      cs.truncated ? " · lists cut (see the notes)" : null,
    ),
    h(
      "details",
      { open: true, class: "paths" },
      h("summary", {}, `Connections and environments (${cs.totals.paths})`),
      paths,
      t.morePaths === undefined ? null : h("p", { class: "more" }, t.morePaths),
    ),
    h(
      "details",
      { open: true, class: "runs" },
      h("summary", {}, t.runsTitle),
      runs,
      t.moreRuns === undefined ? null : h("p", { class: "more" }, t.moreRuns),
    ),
  );
}

/** A changed resource's Azure DevOps run lines under its entry in the Changes view; null when none. */
export function changeRunsList(entry: ChangeEntry): HTMLElement | null {
  const { runs, more } = changeRunsText(entry);
  if (runs.length === 0) return null;
  return h(
    "ul",
    { class: "devops-runs", "aria-label": `Azure DevOps runs that could have changed ${entry.name ?? entry.key}` },
    runs.map((r) => h("li", {}, r)),
    more === undefined ? null : h("li", { class: "more" }, more),
  );
}
