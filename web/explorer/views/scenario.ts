import { getJson, postJson } from "../api.js";
import { announce, h, replace } from "../dom.js";
import type { FailureAnswer, Risk, Summary } from "../types.js";
import { failureCounts, failureLists } from "./failure-lists.js";
import type { View } from "./view.js";

/** Pick a zone, a region or resources; see what goes down and what degrades, entry points first. */
export const scenarioView: View = async ({ root, params, current }) => {
  const [risk, summary] = await Promise.all([getJson<Risk>("risk", { limit: 100 }), getJson<Summary>("explorer/summary")]);
  const preset = params.get("zone") ?? "";
  const zone = h(
    "select",
    { id: "scenario-zone" },
    h("option", { value: "" }, "(none)"),
    risk.zones.map((z) =>
      h("option", { value: `${z.region}/${z.zone}`, selected: preset === `${z.region}/${z.zone}` }, `${z.region} zone ${z.zone}`),
    ),
  );
  const region = h(
    "select",
    { id: "scenario-region" },
    h("option", { value: "" }, "(none)"),
    summary.locations.rows.map((l) => h("option", { value: l.name }, l.name)),
  );
  const ids = h("textarea", { id: "scenario-ids", rows: 3, cols: 60, placeholder: "one resource id per line" });
  ids.value = params.getAll("id").join("\n");
  const out = h("div", { class: "scenario-result" });
  const run = async (): Promise<void> => {
    const fail: { ids: string[]; zones: { region: string; zone: string }[]; regions: string[] } = {
      ids: ids.value
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean),
      zones: [],
      regions: [],
    };
    if (zone.value) {
      const at = zone.value.lastIndexOf("/");
      fail.zones.push({ region: zone.value.slice(0, at), zone: zone.value.slice(at + 1) });
    }
    if (region.value) fail.regions.push(region.value);
    if (fail.ids.length + fail.zones.length + fail.regions.length === 0) {
      replace(out, h("p", { role: "alert" }, "Pick a zone, a region or at least one resource."));
      return;
    }
    const answer = await postJson<FailureAnswer>("scenarios?limit=200", { fail });
    if (!current()) return;
    replace(out, failureCounts(answer), failureLists(answer));
    announce(`Scenario: ${answer.totals.down} down, ${answer.totals.degraded} degraded`);
  };
  const form = h(
    "form",
    { class: "scenario-form" },
    h("p", {}, h("label", { for: "scenario-zone" }, "Zone "), zone, " ", h("label", { for: "scenario-region" }, "Region "), region),
    h("p", {}, h("label", { for: "scenario-ids" }, "Resources"), h("br"), ids),
    h("button", { type: "submit" }, "Run scenario"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run().catch((e: unknown) => replace(out, h("p", { role: "alert" }, String(e))));
  });
  replace(root, h("h2", {}, "Scenario"), form, out);
  if (preset || ids.value) await run();
};
