/** Names that try to break out of a label, and a generator of arbitrary ones. */
import fc from "fast-check";

import type { ExportResource, TopologyExport } from "../../../lib/topology/export-format.js";

export const hostileNames: readonly string[] = [
  'a"b',
  '"]; n0 --> n1; x["',
  "end",
  "subgraph",
  "graph",
  "digraph { }",
  "<script>alert(1)</script>",
  "<br/>",
  "#quot;",
  "#35;",
  "&amp;",
  "`md`",
  "a|b",
  "a\\",
  "\\N \\G \\l",
  "line\nbreak\r\nwindows\rmac",
  "tab\tnul\u0000bell\u0007",
  "{}[]()<>",
  "élan 中文 🚀",
  "",
  " ",
  "-->",
  "%%{init: {}}%%",
  "click n0 call alert()",
  "a;b",
  "'single'",
];

/** Any string: hostile samples or arbitrary code points, surrogates and control characters included. */
export const anyName = fc.oneof(
  fc.constantFrom(...hostileNames),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: fc.constantFrom('"', "\\", "#", ";", "<", ">", "]", "[", "|", "\n", "`", "{", "}", "-", "&", "%"), maxLength: 12 }),
);

/** An export of a few resources whose names, resource groups, subscriptions and types are the given strings. */
export function exportNamed(names: readonly string[]): TopologyExport {
  const resources: ExportResource[] = names.map((name, i) => {
    const key = `/subscriptions/s${i % 2}/resourcegroups/g${i % 3}/providers/t.ns/things/r${i}`;
    return { key, id: key, type: `T.NS/${name}`, name, subscriptionId: `${name}-sub${i % 2}`, resourceGroup: `${name}-rg${i % 3}` };
  });
  return {
    version: 1,
    runId: "hostile",
    startedAt: "",
    finishedAt: "",
    scope: { subscriptions: [] },
    resources,
    external: [],
    edges: resources
      .slice(1)
      .map((r, i) => ({ from: r.key, to: resources[i]!.key, relation: i % 2 === 0 ? "monitoring" : "network", via: "x" })),
    errors: [],
    stats: { durationMs: 0, requests: 0, throttled: 0, retries: 0, resources: resources.length, edges: Math.max(0, resources.length - 1) },
  };
}

/** The hostile names four at a time, as fast-check examples of a one-argument property. */
export const hostileExamples: [string[]][] = Array.from({ length: Math.ceil(hostileNames.length / 4) }, (_v, i) => [
  hostileNames.slice(i * 4, i * 4 + 4),
]);
