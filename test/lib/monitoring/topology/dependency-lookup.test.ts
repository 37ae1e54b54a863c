import { describe, expect, it } from "vitest";

import { dependencyLookupFromEdges } from "../../../../lib/monitoring/topology/dependency-lookup.js";
import { topologyView } from "../../../../lib/monitoring/topology/monitoring-topology.js";

const edges = [
  { from: "gw", to: "web", relation: "network" },
  { from: "web", to: "db", relation: "data" },
  { from: "web", to: "cache", relation: "data" },
  { from: "web", to: "logs", relation: "monitoring" },
  { from: "db", to: "server", relation: "contains" },
  { from: "server", to: "web", relation: "reference" },
  { from: "cache", to: "server", relation: "network" },
];

describe("dependencyLookupFromEdges", () => {
  it("follows from → to breadth-first, shortest distance, nearest first then by key, without itself", () => {
    const lookup = dependencyLookupFromEdges(edges);
    expect(lookup.dependenciesOf("gw", 3)).toEqual([
      { key: "web", distance: 1 },
      { key: "cache", distance: 2 },
      { key: "db", distance: 2 },
      { key: "server", distance: 3 },
    ]);
    expect(lookup.dependenciesOf("gw", 1)).toEqual([{ key: "web", distance: 1 }]);
    expect(lookup.dependenciesOf("gw", 0)).toEqual([]);
    expect(lookup.dependenciesOf("nowhere", 3)).toEqual([]);
  });

  it("leaves out monitoring edges by default, and terminates on cycles", () => {
    const lookup = dependencyLookupFromEdges(edges);
    expect(lookup.dependenciesOf("web", 6).map((d) => d.key)).toEqual(["cache", "db", "server"]);
    expect(
      dependencyLookupFromEdges(edges, { ignoreRelations: [] })
        .dependenciesOf("web", 1)
        .map((d) => d.key),
    ).toEqual(["cache", "db", "logs"]);
  });
});

describe("topologyView", () => {
  it("finds resources by key or ARM id in any case, externals included, and is built once per topology", () => {
    const topology = {
      resources: [{ key: "/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/web1", type: "Microsoft.Web/sites" }],
      external: [
        {
          key: "/subscriptions/x/providers/microsoft.sql/servers/s",
          id: "/subscriptions/x/providers/Microsoft.Sql/servers/s",
          type: "Microsoft.Sql/servers",
        },
      ],
      edges,
    };
    const view = topologyView(topology);
    expect(view.resource("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Web/sites/WEB1/")?.type).toBe("Microsoft.Web/sites");
    expect(view.resource("/subscriptions/x/providers/Microsoft.Sql/servers/s")?.type).toBe("Microsoft.Sql/servers");
    expect(view.resource("nope")).toBeUndefined();
    expect(topologyView(topology)).toBe(view);
  });
});
