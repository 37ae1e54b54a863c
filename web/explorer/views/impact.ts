import { getJson } from "../api.js";
import { h, replace, viewLink } from "../dom.js";
import type { NodeStatus } from "../graph-model.js";
import { graphView } from "../graph-view.js";
import type { FailureAnswer, Neighbourhood } from "../types.js";
import { failureCounts, failureLists, legend } from "./failure-lists.js";
import { neighbourhoodGraph } from "./neighbourhood.js";
import { depthAndLimit, neighbourhoodControls } from "./resource.js";
import type { View } from "./view.js";

/** The failure model's answer for one resource, drawn on its neighbourhood, with the lists beside. */
export const impactView: View = async ({ root, params, go }) => {
  const id = params.get("id") ?? "";
  const { depth, limit } = depthAndLimit(params);
  const [answer, around] = await Promise.all([
    getJson<FailureAnswer>("impact", { id, limit: 200 }),
    getJson<Neighbourhood>("explorer/neighbourhood", { id, depth, limit }),
  ]);
  const status = new Map<string, NodeStatus>();
  for (const e of answer.observability) status.set(e.key, "observability");
  for (const e of answer.degraded) status.set(e.key, "degraded");
  for (const e of answer.down) status.set(e.key, "down");
  const r = around.resource;
  const name = r.name ?? r.key;
  replace(
    root,
    h("h2", {}, `Impact: ${name}`),
    h(
      "p",
      { class: "lead" },
      "What goes down and what degrades if this resource fails. ",
      h("a", { href: viewLink("resource", { id: r.key }) }, "Back to the resource"),
    ),
    failureCounts(answer),
    legend(),
    neighbourhoodControls("impact", r.key, depth, limit, around, go),
  );
  graphView(root, neighbourhoodGraph(around, status), {
    title: `impact-${name}`,
    topology: { id: r.key, depth: String(depth) },
    onOpen: (key) => go(viewLink("impact", { id: key })),
  });
  root.append(failureLists(answer));
};
