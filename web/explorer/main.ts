// The TopDeck explorer: a hash-routed page of small views over the API (docs/explorer.md).
import "./style.css";

import { accessMessage } from "./access.js";
import { announce, h, replace } from "./dom.js";
import { changesView } from "./views/changes.js";
import { groupView } from "./views/group.js";
import { impactView } from "./views/impact.js";
import { overviewView } from "./views/overview.js";
import { resourceView } from "./views/resource.js";
import { runsView } from "./views/runs.js";
import { scenarioView } from "./views/scenario.js";
import { searchView } from "./views/search.js";
import type { View } from "./views/view.js";

const views: Record<string, View> = {
  overview: overviewView,
  search: searchView,
  group: groupView,
  resource: resourceView,
  impact: impactView,
  scenario: scenarioView,
  changes: changesView,
  runs: runsView,
};

let generation = 0;

async function route(): Promise<void> {
  const mine = ++generation;
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?", 2) as [string, string | undefined];
  const name = path in views ? path : "overview";
  const root = document.getElementById("view")!;
  for (const a of document.querySelectorAll("nav a")) a.toggleAttribute("aria-current", a.getAttribute("href") === `#/${name}`);
  root.dataset.view = name;
  root.dataset.ready = "false";
  replace(root, h("p", {}, "Loading…"));
  try {
    await views[name]!({
      root,
      params: new URLSearchParams(query ?? ""),
      current: () => mine === generation,
      go: (hash) => (location.hash = hash),
    });
  } catch (error) {
    if (mine === generation) {
      const refused = accessMessage(error);
      if (refused) replace(root, h("h2", {}, refused.dataset.status === "401" ? "Sign in" : "Access needed"), refused);
      else
        replace(
          root,
          h("h2", {}, "Something went wrong"),
          h("p", { role: "alert" }, error instanceof Error ? error.message : String(error)),
        );
    }
  }
  if (mine === generation) {
    root.dataset.ready = "true";
    announce(`${name} view ready`);
  }
}

window.addEventListener("hashchange", () => void route());
void route();
