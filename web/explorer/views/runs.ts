import { accessMessage } from "../access.js";
import { ApiError, getJson, postJson } from "../api.js";
import { announce, h, replace } from "../dom.js";
import type { Caller, Run } from "../types.js";
import type { View } from "./view.js";

/** How often the view polls a run in progress. */
export const RUN_POLL_MS = 1_000;

const active = (status: string): boolean => status === "queued" || status === "running";

function runTable(run: Run): HTMLElement {
  const p = run.progress.subscriptions;
  return h(
    "section",
    { class: "card run", "data-status": run.status },
    h("h3", {}, `Run ${run.runId}: `, h("span", { class: "run-status" }, run.status)),
    h("p", {}, `Subscriptions: ${p.done} done, ${p.failed} failed of ${p.total ?? "?"}. Errors: ${run.errors.length}.`),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Subscription"),
          h("th", { scope: "col" }, "Status"),
          h("th", { scope: "col" }, "Types done"),
          h("th", { scope: "col" }, "Resources"),
        ),
      ),
      h(
        "tbody",
        {},
        run.subscriptions.map((s) =>
          h(
            "tr",
            { "data-subscription": s.subscriptionId, "data-status": s.status },
            h("td", {}, s.subscriptionId),
            h("td", {}, s.status),
            h("td", { class: "num" }, `${s.typesDone} / ${s.typesTotal}`),
            h(
              "td",
              { class: "num" },
              Object.values(s.types).reduce((n, t) => n + t.resources, 0),
            ),
          ),
        ),
      ),
    ),
    // Per type, for each subscription: what was read so far.
    run.subscriptions.map((s) =>
      h(
        "details",
        { class: "run-types", "data-subscription": s.subscriptionId },
        h("summary", {}, `Types of ${s.subscriptionId} (${Object.keys(s.types).length})`),
        h(
          "ul",
          {},
          Object.entries(s.types)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, t]) => h("li", {}, `${type}: ${t.resources} resource(s)${t.failed ? ", failed" : ""}`)),
        ),
      ),
    ),
  );
}

/** The latest run's live progress per subscription, and a button to start one (operator role). */
export const runsView: View = async ({ root, current }) => {
  const state = h("div", { class: "run-state" });
  const message = h("div", { class: "run-message", role: "status" });
  const refresh = async (): Promise<void> => {
    if (!current()) return;
    let run: Run | undefined;
    try {
      run = await getJson<Run>("discovery/runs/latest");
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    if (!current()) return;
    // A poll redraws the table: the per-type lists the user opened stay open.
    const open = new Set([...state.querySelectorAll("details.run-types[open]")].map((d) => d.getAttribute("data-subscription")));
    replace(state, run ? runTable(run) : h("p", {}, "No run yet."));
    for (const d of state.querySelectorAll("details.run-types"))
      if (open.has(d.getAttribute("data-subscription"))) d.setAttribute("open", "");
    if (run && active(run.status)) setTimeout(() => void refresh().catch((e: unknown) => announce(String(e))), RUN_POLL_MS);
  };
  const me = await getJson<Caller>("explorer/me");
  const start = h("button", { type: "button", id: "start-run", disabled: !me.canStartRuns }, "Start run");
  start.addEventListener("click", () => {
    start.disabled = true;
    postJson<Run>("discovery/runs")
      .then((run) => replace(message, `Started run ${run.runId}.`))
      .catch((e: unknown) =>
        replace(
          message,
          accessMessage(e, "operator") ??
            (e instanceof ApiError && e.status === 409 ? "A run is already in progress." : `Could not start a run: ${String(e)}`),
        ),
      )
      .finally(() => {
        start.disabled = !me.canStartRuns;
        void refresh().catch((e: unknown) => announce(String(e)));
      });
  });
  const why = me.canStartRuns
    ? " Starting a run needs the operator role."
    : " Starting a run needs the TopDeck operator role (TopDeck.Operator); you are signed in with the reader role only.";
  replace(root, h("h2", {}, "Runs"), h("p", { class: "run-start" }, start, h("span", { id: "start-run-why" }, why)), message, state);
  start.setAttribute("aria-describedby", "start-run-why");
  await refresh();
};
