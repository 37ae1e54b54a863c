/**
 * Properties of the failure model on random graphs: with no redundancy it is today's
 * reachability; a surviving pool member never adds to what is down; edge order never matters;
 * the one-pass single-failure counts equal a propagation per resource.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { Relation } from "../../../../lib/topology/edge-rules.js";
import type { TopologyExport } from "../../../../lib/topology/export-format.js";
import { scenarioAnswer } from "../../../../lib/topology/failure/answer.js";
import type { DependencyRule } from "../../../../lib/topology/failure/dependency-rules.js";
import { buildFailureModel } from "../../../../lib/topology/failure/model.js";
import { DOWN, propagate } from "../../../../lib/topology/failure/propagate.js";
import { singleFailureCounts } from "../../../../lib/topology/failure/single-failures.js";
import { buildGraph } from "../../../../lib/topology/graph.js";
import { impactOf } from "../../../../lib/topology/impact.js";
import { smallExport, thing } from "../small-graphs.js";

/** Edges whose via is `properties.poolA[i]` / `properties.poolB[i]` are one of a pool; `need` per pool letter. */
const poolRules = (needA: number, needB: number): DependencyRule[] => [
  { name: "telemetry", from: ["*"], to: ["*"], relation: "monitoring", mode: "classify", kind: "observability", source: "diagnostics" },
  {
    name: "pool A",
    from: ["*"],
    to: ["*"],
    via: /^properties\.poolA\[/,
    mode: "classify",
    kind: "group",
    group: { label: () => "A", need: needA },
    source: "loadBalancerPools",
  },
  {
    name: "pool B",
    from: ["*"],
    to: ["*"],
    via: /^properties\.poolB\[/,
    mode: "classify",
    kind: "group",
    group: { label: () => "B", need: needB },
    source: "loadBalancerPools",
  },
];

type RawEdge = [from: number, to: number, relation: Relation, via: string];

const relations: Relation[] = ["reference", "network", "hosting", "monitoring", "contains"];
const vias = ["properties.ref", "properties.poolA[0]", "properties.poolB[0]"];

/** Random graphs up to 12 nodes with pool edges, cycles and monitoring edges, and a failure set. */
const graphs = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(...relations), fc.constantFrom(...vias)), {
      maxLength: 3 * n,
      selector: ([f, t]) => `${f}>${t}`,
    }),
    fail: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
    needA: fc.integer({ min: 0, max: 2 }),
    needB: fc.integer({ min: 1, max: 2 }),
  }),
);

function exportOf(n: number, edges: readonly RawEdge[], extra = 0): TopologyExport {
  const names = Array.from({ length: n + extra }, (_v, i) => `r${String(i).padStart(2, "0")}`);
  // Every third resource is an entry point (static web apps are, by type).
  const exp = smallExport(
    names,
    [],
    names.map((name, i) => thing(name, i % 3 === 0 ? { type: "Microsoft.Web/staticSites" } : {})),
  );
  return {
    ...exp,
    edges: edges
      .filter(([f, t]) => f !== t)
      .map(([f, t, relation, via]) => ({ from: exp.resources[f]!.key, to: exp.resources[t]!.key, relation, via })),
  };
}

const downSet = (exp: TopologyExport, fail: number[], needA: number, needB: number): string[] => {
  const model = buildFailureModel(buildGraph(exp), { dependencyRules: poolRules(needA, needB) });
  const answer = scenarioAnswer(model, fail, {}, { limit: 1000 });
  return answer.down.map((e) => e.key).sort();
};

describe("the failure model on random graphs", () => {
  it("with no redundancy anywhere, is today's reachability: down is the blast radius, observability the same", () => {
    fc.assert(
      fc.property(graphs, ({ n, edges, fail }) => {
        const plain = edges.map(([f, t, r]) => [f, t, r, "properties.ref"] as RawEdge);
        const exp = exportOf(n, plain);
        const graph = buildGraph(exp);
        const model = buildFailureModel(graph);
        const root = fail[0]!;
        const answer = scenarioAnswer(model, [root], {}, { limit: 1000 });
        const impact = impactOf(graph, exp.resources[root]!.key)!;
        const dist = (list: { key: string; distance: number }[]) => list.map((e) => `${e.key}@${e.distance}`).sort();
        expect(dist(answer.down.filter((e) => e.distance > 0))).toEqual(dist(impact.impacted));
        expect(dist(answer.observability)).toEqual(dist(impact.observability));
        expect(answer.degraded).toEqual([]);
        expect(answer.unknown).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("adding a surviving member to a pool never makes more things down", () => {
    fc.assert(
      fc.property(
        graphs,
        fc.nat(11),
        fc.constantFrom("properties.poolA[9]", "properties.poolB[9]"),
        ({ n, edges, fail, needA, needB }, holderSeed, via) => {
          const holder = holderSeed % n;
          const before = downSet(exportOf(n, edges), fail, needA, needB);
          // A new resource n, failed by nothing and depending on nothing, joins the holder's pool.
          const after = downSet(exportOf(n, [...edges, [holder, n, "network", via]], 1), fail, needA, needB);
          expect(after.every((k) => before.includes(k))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same answer whatever the order of the edges", () => {
    fc.assert(
      fc.property(graphs, fc.integer(), ({ n, edges, fail, needA, needB }, seed) => {
        const shuffled = [...edges];
        let s = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const answer = (list: RawEdge[]) =>
          scenarioAnswer(
            buildFailureModel(buildGraph(exportOf(n, list)), { dependencyRules: poolRules(needA, needB) }),
            fail,
            {},
            { limit: 1000 },
          );
        expect(answer(shuffled)).toEqual(answer(edges));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same answer whatever the order of the edges in a zone outage too (down, degraded, unknown, observability)", () => {
    const placed = fc.array(fc.constantFrom<string[] | undefined>(undefined, ["1"], ["2"], ["1", "2"], ["1", "2", "3"]), {
      minLength: 12,
      maxLength: 12,
    });
    fc.assert(
      fc.property(graphs, placed, fc.boolean(), fc.integer(), ({ n, edges, fail, needA, needB }, zones, withIds, seed) => {
        const shuffled = [...edges];
        let s = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const answer = (list: RawEdge[]) => {
          const exp = exportOf(n, list);
          exp.resources = exp.resources.map((r, i) => ({
            ...r,
            location: "westeurope",
            ...(zones[i] === undefined ? {} : { zones: zones[i] }),
          }));
          const model = buildFailureModel(buildGraph(exp), { dependencyRules: poolRules(needA, needB) });
          return scenarioAnswer(model, withIds ? fail : [], { zones: [{ region: "westeurope", zone: "1" }] }, { limit: 1000 });
        };
        const a = answer(edges);
        expect(answer(shuffled)).toEqual(a);
        // Every resource has exactly one status, or none.
        const keys = [...a.down, ...a.degraded, ...a.unknown, ...a.observability].map((e) => e.key);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });

  it("counts every single failure in one pass exactly as a propagation per resource does", () => {
    fc.assert(
      fc.property(graphs, ({ n, edges, needA, needB }) => {
        const exp = exportOf(n, edges);
        const model = buildFailureModel(buildGraph(exp), { dependencyRules: poolRules(needA, needB) });
        const counts = singleFailureCounts(model);
        for (let v = 0; v < n; v++) {
          const result = propagate(model, { down: [v], unknown: [], degraded: new Map() });
          expect(counts.down[v]).toBe(result.down.length - 1);
          expect(counts.entryPointsDown[v]).toBe(result.down.filter((x) => result.status[x] === DOWN && model.entryFlags[x] === 1).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("terminates on a cycle of required dependencies and takes the whole cycle down", () => {
    const exp = exportOf(3, [
      [0, 1, "reference", "properties.ref"],
      [1, 2, "reference", "properties.ref"],
      [2, 0, "reference", "properties.ref"],
    ]);
    expect(downSet(exp, [1], 1, 1)).toEqual(exp.resources.map((r) => r.key).sort());
  });
});
