import { describe, expect, it } from "vitest";

import { buildGraph } from "../../../lib/topology/graph.js";
import { impactOf } from "../../../lib/topology/impact.js";
import { k, nameOf, smallExport, thing } from "./small-graphs.js";

/** name → [distance, path as names] of an impact list. */
const table = (list: { key: string; distance: number; path: string[] }[]) =>
  Object.fromEntries(list.map((r) => [nameOf(r.key), [r.distance, r.path.map(nameOf).join(">")]]));

describe("impactOf on hand-checked graphs", () => {
  it("follows a chain, nearest first, with the path back to the failed resource", () => {
    // d depends on c depends on b depends on a.
    const g = buildGraph(
      smallExport(
        ["a", "b", "c", "d"],
        [
          ["b", "a", "hosting"],
          ["c", "b", "network"],
          ["d", "c", "data"],
        ],
      ),
    );
    const impact = impactOf(g, k("a"))!;
    expect(impact.impacted.map((r) => nameOf(r.key))).toEqual(["b", "c", "d"]);
    expect(table(impact.impacted)).toEqual({ b: [1, "b>a"], c: [2, "c>b>a"], d: [3, "d>c>b>a"] });
    expect(impact.impacted[2]!.relations).toEqual(["data", "network", "hosting"]);
    expect(impact.truncated).toBe(false);
    // Nothing depends on d; what a depends on is not its impact.
    expect(impactOf(g, k("d"))!.impacted).toEqual([]);
  });

  it("stops at the depth limit and says so", () => {
    const g = buildGraph(
      smallExport(
        ["a", "b", "c", "d"],
        [
          ["b", "a"],
          ["c", "b"],
          ["d", "c"],
        ],
      ),
    );
    const two = impactOf(g, k("a"), { depth: 2 })!;
    expect(two.impacted.map((r) => nameOf(r.key))).toEqual(["b", "c"]);
    expect(two.truncated).toBe(true);
    expect(two.depth).toBe(2);
    expect(impactOf(g, k("a"), { depth: 3 })!.truncated).toBe(false);
    expect(impactOf(g, k("a"), { depth: 0 })!.impacted).toEqual([]);
    expect(impactOf(g, k("a"), { depth: 0 })!.truncated).toBe(true);
  });

  it("lists a diamond's top once, at its shortest distance", () => {
    // top depends on left and right, both depend on base; top also depends on base through a long way.
    const g = buildGraph(
      smallExport(
        ["base", "left", "right", "top", "x", "y"],
        [
          ["left", "base"],
          ["right", "base"],
          ["top", "left"],
          ["top", "right"],
          ["x", "base"],
          ["y", "x"],
          ["top", "y"],
        ],
      ),
    );
    const impact = impactOf(g, k("base"))!;
    expect(impact.impacted.map((r) => nameOf(r.key)).sort()).toEqual(["left", "right", "top", "x", "y"]);
    const top = impact.impacted.find((r) => nameOf(r.key) === "top")!;
    expect(top.distance).toBe(2);
    expect(["top>left>base", "top>right>base"]).toContain(top.path.map(nameOf).join(">"));
  });

  it("handles cycles: every member once, never the failed resource itself", () => {
    // a → b → c → a, and d → c.
    const g = buildGraph(
      smallExport(
        ["a", "b", "c", "d"],
        [
          ["a", "b"],
          ["b", "c"],
          ["c", "a"],
          ["d", "c"],
        ],
      ),
    );
    expect(table(impactOf(g, k("a"))!.impacted)).toEqual({ c: [1, "c>a"], b: [2, "b>c>a"], d: [2, "d>c>a"] });
    expect(table(impactOf(g, k("c"))!.impacted)).toEqual({ b: [1, "b>c"], d: [1, "d>c"], a: [2, "a>b>c"] });
  });

  it("ignores self-references", () => {
    const g = buildGraph(
      smallExport(
        ["a", "b"],
        [
          ["a", "a"],
          ["b", "a"],
          ["b", "b"],
        ],
      ),
    );
    expect(table(impactOf(g, k("a"))!.impacted)).toEqual({ b: [1, "b>a"] });
    expect(impactOf(g, k("b"))!.impacted).toEqual([]);
  });

  it("stays in its own part of a disconnected graph", () => {
    const g = buildGraph(
      smallExport(
        ["a", "b", "p", "q"],
        [
          ["b", "a"],
          ["q", "p"],
        ],
      ),
    );
    expect(impactOf(g, k("a"))!.impacted.map((r) => nameOf(r.key))).toEqual(["b"]);
    expect(impactOf(g, k("p"))!.impacted.map((r) => nameOf(r.key))).toEqual(["q"]);
  });

  it("reports monitoring apart: telemetry loss, then only monitoring edges onward", () => {
    // app depends on db; component monitors app's telemetry (app → component is monitoring);
    // alert watches app; dashboard (reference) shows the alert; workspace backs the component.
    const g = buildGraph(
      smallExport(
        ["db", "app", "alert", "dash", "component", "workspace", "web"],
        [
          ["app", "db", "data"],
          ["alert", "app", "monitoring"],
          ["dash", "alert", "reference"],
          ["app", "component", "monitoring"],
          ["component", "workspace", "monitoring"],
          ["web", "app", "network"],
        ],
      ),
    );
    const db = impactOf(g, k("db"))!;
    expect(table(db.impacted)).toEqual({ app: [1, "app>db"], web: [2, "web>app>db"] });
    // The alert loses its signal; the dashboard showing the alert is not an outage either, and
    // a reference edge out of the observability set is not followed.
    expect(table(db.observability)).toEqual({ alert: [2, "alert>app>db"] });
    expect(db.observability[0]!.relations).toEqual(["monitoring", "data"]);

    const workspace = impactOf(g, k("workspace"))!;
    expect(workspace.impacted).toEqual([]);
    expect(table(workspace.observability)).toEqual({
      component: [1, "component>workspace"],
      app: [2, "app>component>workspace"],
      alert: [3, "alert>app>component>workspace"],
    });
  });

  it("keeps a resource in the outage when it is reached both ways, and observability distances shortest", () => {
    // m monitors a (1 hop) but also depends on b which depends on a (2 hops): outage wins.
    // o is reached by monitoring from a (distance 1) and from b (distance 2): 1.
    const g = buildGraph(
      smallExport(
        ["a", "b", "m", "o"],
        [
          ["m", "a", "monitoring"],
          ["b", "a"],
          ["m", "b"],
          ["o", "b", "monitoring"],
          ["o", "a", "monitoring"],
        ],
      ),
    );
    const impact = impactOf(g, k("a"))!;
    expect(table(impact.impacted)).toEqual({ b: [1, "b>a"], m: [2, "m>b>a"] });
    expect(table(impact.observability)).toEqual({ o: [1, "o>a"] });
  });

  it("measures telemetry loss by the shortest monitoring chain, even through a resource in the outage", () => {
    // x fails with r three hops away, but loses telemetry after one; y watches x.
    const g = buildGraph(
      smallExport(
        ["r", "p", "q", "x", "y"],
        [
          ["q", "r"],
          ["p", "q"],
          ["x", "p"],
          ["x", "r", "monitoring"],
          ["y", "x", "monitoring"],
        ],
      ),
    );
    const impact = impactOf(g, k("r"))!;
    expect(table(impact.impacted)).toEqual({ q: [1, "q>r"], p: [2, "p>q>r"], x: [3, "x>p>q>r"] });
    expect(table(impact.observability)).toEqual({ y: [2, "y>x>r"] });
    expect(impact.observability[0]!.relations).toEqual(["monitoring", "monitoring"]);
  });

  it("names the entry points among the impacted, by the rule table", () => {
    const exp = smallExport(
      ["db"],
      [
        ["site", "db", "data"],
        ["private-site", "db", "data"],
        ["gw", "site", "network"],
        ["fd", "gw", "network"],
      ],
      [
        thing("site", { type: "Microsoft.Web/sites", properties: { publicNetworkAccess: "Enabled" } }),
        thing("private-site", { type: "Microsoft.Web/sites", properties: { publicNetworkAccess: "Disabled" } }),
        thing("gw", {
          type: "Microsoft.Network/applicationGateways",
          properties: { frontendIPConfigurations: [{ properties: { publicIPAddress: { id: k("gw-pip") } } }] },
        }),
        thing("fd", { type: "Microsoft.Cdn/profiles" }),
      ],
    );
    const impact = impactOf(buildGraph(exp), k("db"))!;
    expect(impact.entryPoints.map((r) => [nameOf(r.key), r.entryPoint?.rule])).toEqual([
      ["site", "public web app"],
      ["gw", "application gateway with a public frontend"],
      ["fd", "front door"],
    ]);
    expect(impact.entryPoints[0]!.entryPoint!.evidence).toBe('properties.publicNetworkAccess = "Enabled"');
    // A custom table: only gateways count.
    const custom = impactOf(buildGraph(exp), k("db"), {
      entryPointRules: [{ name: "gateway", types: ["microsoft.network/applicationgateways"] }],
    })!;
    expect(custom.entryPoints.map((r) => nameOf(r.key))).toEqual(["gw"]);
  });

  it("answers undefined for a key the graph does not hold", () => {
    expect(impactOf(buildGraph(smallExport(["a"], [])), k("zzz"))).toBeUndefined();
  });
});
