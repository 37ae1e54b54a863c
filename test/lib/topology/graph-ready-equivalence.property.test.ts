/**
 * Queries answer identically from a graph-ready snapshot (the facts of each resource, read back
 * through the store's format 2) and from the whole export in memory (every payload): impact of
 * each resource, every zone and region scenario, the risk scan, single-failure counts, redundancy
 * and risk scores — on the sample estate and on generated estates (property over seeds).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { createStore } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { estateZones, failureRiskScan, scenarioAnswer, singleFailureCounts } from "../../../lib/topology/failure/index.js";
import { buildFailureModel } from "../../../lib/topology/failure/model.js";
import { graphColumns, TopologyGraph } from "../../../lib/topology/graph.js";
import { redundancyOf, riskScan, type TopologyExport } from "../../../lib/topology/index.js";
import { generateEstate } from "../../../tools/estates/generate.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import { sampleExport } from "../../support/sample-export.js";

/** Every answer the failure model and the risk queries give on one graph. */
function answers(graph: TopologyGraph): unknown {
  const model = buildFailureModel(graph);
  const resources = graph.keys.map((_k, v) => v).filter((v) => graph.originOf(v) === "resource");
  const zones = estateZones(model);
  const regions = [...new Set(zones.map((z) => z.region))];
  return {
    impact: resources.map((v) => scenarioAnswer(model, [v], {}, { limit: 1000 })),
    zones: zones.map((z) => scenarioAnswer(model, [], { zones: [z] }, { limit: 1000 })),
    regions: regions.map((r) => scenarioAnswer(model, [], { regions: [r] }, { limit: 1000 })),
    scan: failureRiskScan(model),
    single: singleFailureCounts(model),
    redundancy: resources.map((v) => redundancyOf(graph, graph.keys[v]!)),
    risk: riskScan(graph),
  };
}

/** The graph a query instance builds: the export written to a store and read back as a graph-ready snapshot. */
async function storedGraph(exp: TopologyExport): Promise<TopologyGraph> {
  const store = createStore(loadConfig({}), createLogger({ level: "error" }));
  await store.snapshots.write("s", exp);
  const read = await store.snapshots.readGraph("s");
  return new TopologyGraph(read!.columns);
}

/** The graph over whole payloads: every property there for the rules to read. */
const wholeGraph = (exp: TopologyExport): TopologyGraph => new TopologyGraph({ ...graphColumns(exp), resources: exp.resources });

describe("graph-ready snapshots answer as the whole export does", () => {
  it("on the sample estate", async () => {
    const exp = await sampleExport();
    const stored = await storedGraph(exp);
    expect(stored.resources.some((r) => r !== undefined && r.properties !== undefined)).toBe(true);
    expect(answers(stored)).toEqual(answers(wholeGraph(exp)));
  });

  it("on generated estates (property over seeds)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 40 }), async (seed, types) => {
        const exp = exportFromPayloads(generateEstate({ resources: 250, types, subscriptions: 3, seed, referencesPerResource: 2 }), {
          runId: `seed-${seed}`,
        });
        expect(answers(await storedGraph(exp))).toEqual(answers(wholeGraph(exp)));
      }),
      { numRuns: 6 },
    );
  }, 180_000);
});
