import { accessMessage } from "../access.js";
import { getJson } from "../api.js";
import { announce, h, replace, viewLink } from "../dom.js";
import type { ResourcePage } from "../types.js";
import type { View } from "./view.js";

const FILTERS = ["type", "resourceGroup", "subscriptionId", "location"] as const;

/** A search box over names, types, groups and tags (`env:prod`, `prod`); results as you type. */
export const searchView: View = async ({ root, params, current }) => {
  const input = h("input", {
    id: "search-q",
    type: "search",
    autocomplete: "off",
    value: params.get("q") ?? "",
    placeholder: "name, type, group, tag (env:prod)…",
  });
  const results = h("ul", { class: "results", "aria-label": "Search results" });
  const count = h("p", { class: "result-count", "aria-live": "polite" });
  const filters = Object.fromEntries(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : [])));
  // Answers that arrive after a newer question are dropped (not aborted: an aborted fetch is a
  // failed request in the browser's log, and the answers are small).
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = async (): Promise<void> => {
    const mine = ++asked;
    const q = input.value.trim();
    const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    const page = await getJson<ResourcePage>("resources", { ...filters, q, limit: 50 });
    if (!current() || mine !== asked) return;
    replace(
      results,
      page.items.map((r) => {
        // The tags a word matched, so a result found by its tags says why.
        const tags = Object.entries(r.tags ?? {})
          .map(([k, v]) => `${k}:${v}`)
          .filter((t) => terms.some((w) => t.toLowerCase().includes(w)));
        return h(
          "li",
          {},
          h("a", { href: viewLink("resource", { id: r.key }) }, r.name),
          " ",
          h("small", {}, [r.type, r.resourceGroup, r.location].filter(Boolean).join(" · ")),
          tags.length > 0 ? h("small", { class: "tags" }, ` · tags ${tags.join(", ")}`) : null,
        );
      }),
    );
    count.textContent = `${page.items.length}${page.next ? "+" : ""} result(s)`;
    results.dataset.q = q;
    announce(count.textContent);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        void search().catch((e: unknown) => {
          const refused = accessMessage(e);
          if (refused) replace(results, h("li", {}, refused));
          announce(refused?.textContent ?? String(e));
        }),
      120,
    );
  });
  replace(
    root,
    h("h2", {}, "Search"),
    h("label", { for: "search-q" }, "Search resources"),
    " ",
    input,
    Object.keys(filters).length > 0
      ? h(
          "p",
          {},
          "Filtered by ",
          Object.entries(filters)
            .map(([k, v]) => `${k} = ${v}`)
            .join(", "),
          " ",
          h("a", { href: viewLink("search") }, "clear"),
        )
      : null,
    count,
    results,
  );
  input.focus();
  await search();
};
