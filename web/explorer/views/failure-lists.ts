import { h, viewLink } from "../dom.js";
import type { FailureAnswer, FailureEntry } from "../types.js";

function reason(e: FailureEntry): string {
  const r = e.reason;
  if (r.kind === "path" && r.path) return `via ${r.path.length - 1} hop(s): ${(r.relations ?? []).join(" → ")}`;
  if (r.kind === "group") return `group ${r.group ?? ""} lost ${r.lost ?? 0} of ${r.of ?? 0}`;
  if (r.kind === "placement") return r.detail ?? "placement";
  return "failed in the scenario";
}

function entries(title: string, cls: string, list: FailureEntry[], total: number): HTMLElement {
  return h(
    "section",
    { class: `failure-list ${cls}`, "aria-label": title },
    h("h3", {}, `${title} (${list.length < total ? `${list.length} of ${total}` : total})`),
    list.length === 0
      ? h("p", {}, "None.")
      : h(
          "ul",
          {},
          list.map((e) =>
            h(
              "li",
              { "data-key": e.key },
              h("a", { href: viewLink("resource", { id: e.key }) }, e.name),
              " ",
              h("small", {}, `${e.type} — ${reason(e)}`),
            ),
          ),
        ),
  );
}

/** The counts line: "Down: N", "Degraded: M", … from the answer's exact totals. */
export function failureCounts(answer: FailureAnswer): HTMLElement {
  const t = answer.totals;
  return h(
    "p",
    { class: "counts", "aria-label": "Counts" },
    h("span", { class: "badge down", "data-count": "down" }, `Down: ${t.down}`),
    h("span", { class: "badge degraded", "data-count": "degraded" }, `Degraded: ${t.degraded}`),
    h("span", { class: "badge observability", "data-count": "observability" }, `Observability: ${t.observability}`),
    h("span", { class: "badge", "data-count": "unknown" }, `Unknown: ${t.unknown}`),
  );
}

/** Entry points first, then every list of a failure answer. */
export function failureLists(answer: FailureAnswer): HTMLElement {
  const t = answer.totals;
  return h(
    "div",
    { class: "failure-lists" },
    entries("Entry points down", "down", answer.entryPoints.down, t.entryPointsDown),
    entries("Entry points degraded", "degraded", answer.entryPoints.degraded, t.entryPointsDegraded),
    entries("Down", "down", answer.down, t.down),
    entries("Degraded", "degraded", answer.degraded, t.degraded),
    entries("Observability only", "observability", answer.observability, t.observability),
    entries("Unknown (the model cannot tell)", "unknown", answer.unknown, t.unknown),
    answer.truncated ? h("p", {}, "Lists show the first page; the counts are exact.") : null,
  );
}

/** The legend of the failure styles. */
export function legend(): HTMLElement {
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    h("li", {}, h("span", { class: "swatch center" }), "chosen resource"),
    h("li", {}, h("span", { class: "swatch down" }), "down (solid red)"),
    h("li", {}, h("span", { class: "swatch degraded" }), "degraded (dashed amber)"),
    h("li", {}, h("span", { class: "swatch observability" }), "observability only (dotted blue)"),
  );
}
