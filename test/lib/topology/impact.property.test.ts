import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { Relation } from "../../../lib/topology/edge-rules.js";
import { buildGraph, relationCodes } from "../../../lib/topology/graph.js";
import { impactOf } from "../../../lib/topology/impact.js";
import { reachCounts } from "../../../lib/topology/reach.js";
import { k, smallExport } from "./small-graphs.js";

/** Random graphs: up to 14 nodes, any edges (self-loops, cycles, parallel relations), monitoring often. */
const graphs = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom<Relation>(...relationCodes, "monitoring", "monitoring")), {
      maxLength: 3 * n,
      selector: ([f, t, r]) => `${f}>${t}>${r}`,
    }),
    root: fc.nat(n - 1),
    depth: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 0, max: 5 })),
  }),
);

const build = ({ n, edges }: { n: number; edges: [number, number, Relation][] }) => {
  const names = Array.from({ length: n }, (_v, i) => `r${i}`);
  const exp = smallExport(
    names,
    edges.map(([f, t, r]) => [`r${f}`, `r${t}`, r] as const),
  );
  return { exp, graph: buildGraph(exp) };
};

/** Reference: shortest distances over states (node, phase); phase 0 follows outage edges, phase 1 monitoring edges only. */
function reference(
  n: number,
  edges: [number, number, Relation][],
  root: number,
): { outage: Map<number, number>; telemetry: Map<number, number> } {
  const INF = Number.POSITIVE_INFINITY;
  const dist = [Array<number>(n).fill(INF), Array<number>(n).fill(INF)];
  dist[0]![root] = 0;
  let changed = true;
  while (changed) {
    changed = false;
    for (const [from, to, relation] of edges) {
      if (from === root) continue;
      const monitoring = relation === "monitoring";
      const candidates = monitoring ? [dist[0]![to]! + 1, dist[1]![to]! + 1] : [dist[0]![to]! + 1];
      const phase = monitoring ? 1 : 0;
      const best = Math.min(...candidates);
      if (best < dist[phase]![from]!) {
        dist[phase]![from] = best;
        changed = true;
      }
    }
  }
  const outage = new Map<number, number>();
  const telemetry = new Map<number, number>();
  for (let v = 0; v < n; v++) {
    if (v === root) continue;
    if (dist[0]![v]! < INF) outage.set(v, dist[0]![v]!);
    else if (dist[1]![v]! < INF) telemetry.set(v, dist[1]![v]!);
  }
  return { outage, telemetry };
}

const indexOf = (key: string): number => Number(key.split("/").at(-1)!.slice(1));

describe("impactOf properties (fast-check)", () => {
  it("never lists a resource twice, nor the failed resource, nor one in both lists", () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const { graph } = build(g);
        const impact = impactOf(graph, k(`r${g.root}`), { depth: g.depth })!;
        const keys = [...impact.impacted, ...impact.observability].map((r) => r.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).not.toContain(k(`r${g.root}`));
      }),
      { numRuns: 400 },
    );
  });

  it("lists real paths: each step an edge of the graph with that relation, from the resource to the failed one", () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const { exp, graph } = build(g);
        const edgeSet = new Set(exp.edges.map((e) => `${e.from}|${e.to}|${e.relation}`));
        const impact = impactOf(graph, k(`r${g.root}`), { depth: g.depth })!;
        for (const [list, telemetry] of [
          [impact.impacted, false],
          [impact.observability, true],
        ] as const) {
          for (const r of list) {
            expect(r.path[0]).toBe(r.key);
            expect(r.path.at(-1)).toBe(k(`r${g.root}`));
            expect(r.path.length).toBe(r.distance + 1);
            expect(r.relations.length).toBe(r.distance);
            r.relations.forEach((relation, i) => expect(edgeSet.has(`${r.path[i]}|${r.path[i + 1]}|${relation}`)).toBe(true));
            // Outage paths never use monitoring; telemetry paths are outage edges then monitoring edges only.
            const fromRoot = [...r.relations].reverse();
            const firstMonitoring = fromRoot.indexOf("monitoring");
            if (telemetry) {
              expect(firstMonitoring).toBeGreaterThanOrEqual(0);
              expect(fromRoot.slice(firstMonitoring).every((x) => x === "monitoring")).toBe(true);
            } else {
              expect(firstMonitoring).toBe(-1);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("finds exactly the resources within the depth, at their shortest distances", () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const { graph } = build(g);
        const impact = impactOf(graph, k(`r${g.root}`), { depth: g.depth })!;
        const ref = reference(g.n, g.edges, g.root);
        const within = (m: Map<number, number>) => new Map([...m].filter(([, d]) => d <= g.depth));
        expect(new Map(impact.impacted.map((r) => [indexOf(r.key), r.distance]))).toEqual(within(ref.outage));
        // With a depth limit a resource beyond it in the outage may show as telemetry loss; without one, exact.
        if (g.depth === Number.POSITIVE_INFINITY)
          expect(new Map(impact.observability.map((r) => [indexOf(r.key), r.distance]))).toEqual(ref.telemetry);
        const distances = impact.impacted.map((r) => r.distance);
        expect(distances).toEqual([...distances].sort((x, y) => x - y));
        const cut = [...ref.outage.values()].some((d) => d > g.depth) || [...ref.telemetry.values()].some((d) => d > g.depth);
        if (cut) expect(impact.truncated).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("counts the same blast radius and entry points in one pass (reachCounts) as impactOf per resource", () => {
    fc.assert(
      fc.property(graphs, fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), (g, entry) => {
        const { graph } = build(g);
        const flags = Uint8Array.from(entry.slice(0, graph.nodeCount).map((x) => (x ? 1 : 0)));
        const counts = reachCounts(graph, flags);
        for (let v = 0; v < graph.nodeCount; v++) {
          const impacted = impactOf(graph, graph.keys[v]!)!.impacted;
          expect(counts.blastRadius[v]).toBe(impacted.length);
          expect(counts.entryPointsReached[v]).toBe(impacted.filter((r) => flags[graph.idOf(r.key)!] === 1).length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
