import { ApiError, getJson, postJson } from "../api.js";
import { announce, h, replace } from "../dom.js";
import type { Run } from "../types.js";
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
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Subscription"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Types done"), h("th", { scope: "col" }, "Resources"))),
      h(
        "tbody",
        {},
        run.subscriptions.map((s) =>
          h("tr", {}, h("td", {}, s.subscriptionId), h("td", {}, s.status), h("td", { class: "num" }, `${s.typesDone} / ${s.typesTotal}`), h("td", { class: "num" }, Object.values(s.types).reduce((n, t) => n + t.resources, 0))),
        ),
      ),
    ),
  );
}

/** The latest run's live progress per subscription, and a button to start one (operator role). */
export const runsView: View = async ({ root, current }) => {
  const state = h("div", { class: "run-state" });
  const message = h("p", { class: "run-message", role: "status" });
  const refresh = async (): Promise<void> => {
    if (!current()) return;
    let run: Run | undefined;
    try {
      run = await getJson<Run>("discovery/runs/latest");
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    if (!current()) return;
    replace(state, run ? runTable(run) : h("p", {}, "No run yet."));
    if (run && active(run.status)) setTimeout(() => void refresh().catch((e: unknown) => announce(String(e))), RUN_POLL_MS);
  };
  const start = h("button", { type: "button", id: "start-run" }, "Start run");
  start.addEventListener("click", () => {
    start.disabled = true;
    postJson<Run>("discovery/runs")
      .then((run) => (message.textContent = `Started run ${run.runId}.`))
      .catch((e: unknown) => (message.textContent = e instanceof ApiError && e.status === 409 ? "A run is already in progress." : `Could not start a run: ${String(e)}`))
      .finally(() => {
        start.disabled = false;
        void refresh().catch((e: unknown) => announce(String(e)));
      });
  });
  replace(root, h("h2", {}, "Runs"), h("p", {}, start, " Starting a run needs the operator role."), message, state);
  await refresh();
};
