import { describe, expect, it } from "vitest";

import { buildGraph, MONITORING, relationCodes } from "../../../lib/topology/graph.js";
import { k, smallExport, SUB, thing } from "./small-graphs.js";

describe("buildGraph", () => {
  const exp = smallExport(
    ["a", "b", "c"],
    [
      ["a", "b", "network"],
      ["a", "c", "monitoring"],
      ["c", "b", "hosting"],
    ],
  );

  it("interns keys and finds them in any casing, as keys or ARM ids", () => {
    const g = buildGraph(exp);
    expect(g.nodeCount).toBe(3);
    expect(g.edgeCount).toBe(3);
    expect(g.idOf(k("a"))).toBe(0);
    expect(g.idOf(k("b").toUpperCase())).toBe(1);
    expect(g.idOf(`${k("c")}/`)).toBe(2);
    expect(g.idOf(k("nope"))).toBeUndefined();
    expect(g.keys).toEqual([k("a"), k("b"), k("c")]);
  });

  it("holds each edge in both directions with its relation", () => {
    const g = buildGraph(exp);
    const a = g.idOf(k("a"))!;
    const b = g.idOf(k("b"))!;
    expect(g.dependencies(a)).toEqual([
      { key: k("b"), relation: "network", via: "properties.ref" },
      { key: k("c"), relation: "monitoring", via: "properties.ref" },
    ]);
    expect(g.dependents(b)).toEqual([
      { key: k("a"), relation: "network", via: "properties.ref" },
      { key: k("c"), relation: "hosting", via: "properties.ref" },
    ]);
    expect(g.dependents(a)).toEqual([]);
    // The typed arrays agree with the lists.
    expect([...g.outNode.subarray(g.outStart[a], g.outStart[a + 1])]).toEqual([b, g.idOf(k("c"))]);
    expect(relationCodes[g.outRelation[g.outStart[a]! + 1]!]).toBe("monitoring");
    expect(g.outRelation[g.outStart[a]! + 1]).toBe(MONITORING);
  });

  it("gives external entries and keys only named by an edge nodes of their own", () => {
    const ext = `/subscriptions/${"f".repeat(8)}/resourcegroups/other/providers/microsoft.operationalinsights/workspaces/law`;
    const g = buildGraph({
      ...exp,
      external: [{ key: ext, id: ext, type: "Microsoft.OperationalInsights/workspaces" }],
      edges: [
        ...exp.edges,
        { from: k("a"), to: ext, relation: "monitoring", via: "x" },
        { from: k("b"), to: k("ghost").toUpperCase(), relation: "data", via: "y" },
      ],
    });
    const e = g.idOf(ext)!;
    const ghost = g.idOf(k("ghost"))!;
    expect(g.originOf(e)).toBe("external");
    expect(g.originOf(ghost)).toBe("unknown");
    expect(g.originOf(0)).toBe("resource");
    expect(g.typeOf(e)).toBe("microsoft.operationalinsights/workspaces");
    expect(g.typeOf(ghost)).toBe("test.ns/things");
    expect(g.subscriptions[g.subscriptionIds[e]!]).toBe("ffffffff");
    expect(g.groups[g.groupIds[e]!]).toBe("other");
    expect(g.nameOf(ghost)).toBe("ghost");
    expect(g.dependents(ghost)).toEqual([{ key: k("b"), relation: "data", via: "y" }]);
  });

  it("resolves child paths written in payloads to the nearest node", () => {
    const g = buildGraph(smallExport(["nic"], []));
    expect(g.resolve(`${k("nic").toUpperCase()}/ipConfigurations/ipconfig1`)).toBe(0);
    expect(g.resolve(k("other"))).toBeUndefined();
  });

  it("interns types, subscriptions and resource groups lower-cased", () => {
    const g = buildGraph(
      smallExport([], [], [thing("x", { type: "Microsoft.Web/Sites" }, "RG-Web"), thing("y", { type: "microsoft.web/sites" }, "rg-web")]),
    );
    expect(g.types).toEqual(["microsoft.web/sites"]);
    expect(g.groups).toEqual(["rg-web"]);
    expect(g.subscriptions).toEqual([SUB]);
  });
});
