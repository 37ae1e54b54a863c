import { beforeAll, describe, expect, it } from "vitest";

import type { TopologyExport } from "../../../lib/topology/export-format.js";
import { buildGraph, type TopologyGraph } from "../../../lib/topology/graph.js";
import { riskOf, riskScan, scoreRisk } from "../../../lib/topology/risk.js";
import { defaultRiskWeights } from "../../../lib/topology/risk-weights.js";
import { singlePointsOfFailure } from "../../../lib/topology/spof.js";
import { sampleExport } from "../../support/sample-export.js";
import { keyOf } from "./sample-keys.js";
import { k, nameOf, smallExport, thing } from "./small-graphs.js";

const none = { level: "none" as const, evidence: [] };

describe("scoreRisk: the formula of docs/topology.md", () => {
  it("works the documented examples", () => {
    // snet-web-integration: 6 fail with it, 4 entry points, network kind, no redundancy.
    // 10·log2(7) = 28.07, 10·log2(5) = 23.22, 14 → 65.29 × 1 → 65.
    const subnet = scoreRisk({
      type: "microsoft.network/virtualnetworks/subnets",
      blastRadius: 6,
      entryPointsReached: 4,
      isEntryPoint: false,
      redundancy: none,
    });
    expect(subnet.score).toBe(65);
    expect(subnet.factors).toEqual([
      { name: "blastRadius", value: 6, points: 28.1, detail: "6 resource(s) fail with it" },
      { name: "entryPoints", value: 4, points: 23.2, detail: "4 entry point(s) affected" },
      { name: "kind", value: "microsoft.network/virtualnetworks/subnets", points: 14, detail: "kind microsoft.network/*" },
      { name: "redundancy", value: "none", multiplier: 1, detail: "no redundancy found" },
    ]);
    // sql-prod-weu: 8 fail with it, no entry point, data kind, geo-redundant.
    // 10·log2(9) = 31.70, 0, 20 → 51.70 × 0.4 = 20.68 → 21.
    const region = {
      level: "region" as const,
      evidence: [
        { rule: "SQL failover group", level: "region" as const, evidence: "failover group fog-contoso-prod: partner sql-prod-neu" },
      ],
    };
    const sql = scoreRisk({
      type: "microsoft.sql/servers",
      blastRadius: 8,
      entryPointsReached: 0,
      isEntryPoint: false,
      redundancy: region,
    });
    expect(sql.score).toBe(21);
    expect(sql.factors[3]).toEqual({
      name: "redundancy",
      value: "region",
      multiplier: 0.4,
      detail: "SQL failover group: failover group fog-contoso-prod: partner sql-prod-neu",
    });
    // asp-web-prod-weu: 5, 4 entry points, web kind, zone-redundant: (25.85 + 23.22 + 12) × 0.5 = 30.53 → 31.
    expect(
      scoreRisk({
        type: "microsoft.web/serverfarms",
        blastRadius: 5,
        entryPointsReached: 4,
        isEntryPoint: false,
        redundancy: { level: "zone", evidence: [] },
      }).score,
    ).toBe(31);
  });

  it("caps each part and counts the resource itself as an entry point", () => {
    const huge = scoreRisk({
      type: "microsoft.sql/servers",
      blastRadius: 1_000_000,
      entryPointsReached: 5000,
      isEntryPoint: false,
      redundancy: none,
    });
    expect(huge.score).toBe(100);
    expect(huge.factors.map((f) => ("points" in f ? f.points : f.multiplier))).toEqual([50, 30, 20, 1]);
    // A lone public IP: 0 + 10·log2(2) + 14 = 24.
    const pip = scoreRisk({
      type: "microsoft.network/publicipaddresses",
      blastRadius: 0,
      entryPointsReached: 0,
      isEntryPoint: true,
      redundancy: none,
    });
    expect(pip.score).toBe(24);
    expect(pip.factors[1]).toMatchObject({ value: 1, detail: "1 entry point(s) affected, itself included" });
    // Kind: exact type before namespace, else the default.
    expect(
      scoreRisk({ type: "contoso.synthetic/things", blastRadius: 0, entryPointsReached: 0, isEntryPoint: false, redundancy: none }).score,
    ).toBe(8);
    expect(
      scoreRisk(
        { type: "x/y", blastRadius: 0, entryPointsReached: 0, isEntryPoint: false, redundancy: none },
        { ...defaultRiskWeights, kind: { "x/y": 3, "x/*": 9 } },
      ).score,
    ).toBe(3);
  });
});

describe("riskOf and riskScan", () => {
  let exp: TopologyExport;
  let graph: TopologyGraph;
  beforeAll(async () => {
    exp = await sampleExport();
    graph = buildGraph(exp);
  });

  it("agree on every resource of the sample, and rank highest first", () => {
    const scan = riskScan(graph);
    expect(scan).toHaveLength(exp.resources.length);
    for (const s of scan) expect(riskOf(graph, s.key)).toEqual(s);
    for (let i = 1; i < scan.length; i++) expect(scan[i - 1]!.score).toBeGreaterThanOrEqual(scan[i]!.score);
  });

  it("gives the documented scores on the sample", () => {
    const score = (type: string, name: string) => riskOf(graph, keyOf(exp, type, name))!.score;
    expect(score("Microsoft.Network/virtualNetworks/subnets", "snet-web-integration")).toBe(65);
    expect(score("Microsoft.Sql/servers", "sql-prod-weu")).toBe(21);
    expect(score("Microsoft.Web/serverfarms", "asp-web-prod-weu")).toBe(31);
  });

  it("takes weights", () => {
    const key = keyOf(exp, "Microsoft.Network/virtualNetworks/subnets", "snet-web-integration");
    const flat = riskOf(graph, key, { weights: { blastPointsPerDoubling: 0, entryPointsPerDoubling: 0, kind: {}, defaultKindPoints: 7 } })!;
    expect(flat.score).toBe(7);
  });

  it("answers undefined for an unknown key or an external node", () => {
    expect(riskOf(graph, k("nope"))).toBeUndefined();
    expect(riskOf(graph, exp.external[0]!.key)).toBeUndefined();
  });
});

describe("singlePointsOfFailure on small graphs", () => {
  it("needs an outage dependent and no redundancy; ranks by score, then blast radius", () => {
    const exp = smallExport(
      ["app", "app2", "lonely", "watched", "alert", "shared", "z"],
      [
        ["app", "shared", "data"],
        ["app2", "shared", "data"],
        ["alert", "watched", "monitoring"],
        ["app", "zoned", "hosting"],
        ["app", "z", "hosting"],
      ],
      [thing("zoned", { zones: ["1", "2", "3"] })],
    );
    const spofs = singlePointsOfFailure(buildGraph(exp));
    // lonely: no dependents; watched: only a monitoring dependent; zoned: zones.
    expect(spofs.map((s) => nameOf(s.key))).toEqual(["shared", "z"]);
    expect(spofs[0]).toMatchObject({ dependents: 2, blastRadius: 2, score: 24 });
    expect(spofs[1]).toMatchObject({ dependents: 1, blastRadius: 1, score: 18 });
  });

  it("reuses scores it is given", () => {
    const exp = smallExport(["a", "b"], [["a", "b"]]);
    const graph = buildGraph(exp);
    const scores = riskScan(graph).map((s) => ({ ...s, score: s.key === k("b") ? 99 : s.score }));
    expect(singlePointsOfFailure(graph, { scores })[0]!.score).toBe(99);
  });
});
