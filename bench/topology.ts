/**
 * `npm run bench -- topology [--resources N] [--references K] [--seed S] [--rounds R]`
 *
 * On a generated estate (tools/estates/generate.ts: N resources, K references each, so about
 * N × K edges), normalized and run through edge inference into an export exactly as discovery
 * builds one:
 * 1. buildMs: building the compact graph from the export (median of R).
 * 2. impactMs: the full impact (no depth limit, paths included) of the hub, the resource with the
 *    most direct dependents (median of R).
 * 3. riskScanMs: redundancy, entry points, blast radii and risk of every resource, then the ranked
 *    single points of failure from those scores (median of R).
 * 4. diffMs: the diff of that export and a second one with 1% of resources removed, 1% added, 1%
 *    changed and their edges (median of R).
 * 5. inferMs100k (inferMs for other sizes): edge inference (`inferEdges`) over the export's
 *    normalized resources (median of R).
 * 6. sanitiseMs100k: the secret sanitiser (lib/security) over every raw payload of the estate,
 *    as normalisation runs it, scaled to 100,000 resources (median of R).
 * 7. heapMb: heap used (JS heap plus typed-array buffers) after a full GC with the export and its
 *    graph held; graphMb: what the graph adds.
 * 8. The failure model (lib/topology/failure): modelMs, building it on the graph; impactFullMs,
 *    the hub's full failure (totals exact, the first page of 100 with paths); scenarioZoneMs, a
 *    whole-zone outage of the busiest region; spofScanMs, single points of failure, change risk
 *    and per-zone exposure for every resource (medians of R); modelMb, what the model adds.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { sanitisePayload } from "../lib/security/index.js";
import { diffExports } from "../lib/topology/diff.js";
import { inferEdges } from "../lib/topology/edges.js";
import type { ExportEdge, ExportResource, TopologyExport } from "../lib/topology/export-format.js";
import { scenarioAnswer } from "../lib/topology/failure/answer.js";
import { buildFailureModel } from "../lib/topology/failure/model.js";
import { failureRiskScan } from "../lib/topology/failure/risk-scan.js";
import { buildGraph, type TopologyGraph } from "../lib/topology/graph.js";
import { impactOf } from "../lib/topology/impact.js";
import { riskScan } from "../lib/topology/risk.js";
import { singlePointsOfFailure } from "../lib/topology/spof.js";
import { generateEstate } from "../tools/estates/generate.js";
import { exportFromPayloads } from "../tools/estates/offline-export.js";
import { intFlag } from "./_flags.js";
import { printResult } from "./_result.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

// A full collection before each heap reading, without asking for --expose-gc on the command line.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapMb = (): number => {
  gc();
  gc();
  // Typed arrays keep their contents outside the JS heap: count them too.
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

function generatedEstate(resources: number, references: number, seed: number): ReturnType<typeof generateEstate> {
  return generateEstate({ resources, types: 40, subscriptions: 10, seed, referencesPerResource: references });
}

function generatedExport(resources: number, references: number, seed: number): TopologyExport {
  return exportFromPayloads(generatedEstate(resources, references, seed), { runId: `bench-${seed}` });
}

/**
 * The next day's export, as a new run would read it (a deep copy: no object or string shared):
 * 1% removed (with their edges), 1% changed, 1% added (each depending on two others).
 */
function nextExport(previous: TopologyExport): TopologyExport {
  const exp = structuredClone(previous);
  const removed = new Set<string>();
  const resources: ExportResource[] = [];
  exp.resources.forEach((r, i) => {
    if (i % 100 === 17) removed.add(r.key);
    else if (i % 100 === 42)
      resources.push({
        ...r,
        etag: "changed",
        tags: { ...r.tags, env: "changed" },
        properties: { ...(r.properties as object), ordinal: -i },
      });
    else resources.push(r);
  });
  const edges: ExportEdge[] = exp.edges.filter((e) => !removed.has(e.from) && !removed.has(e.to));
  const count = Math.floor(exp.resources.length / 100);
  for (let j = 0; j < count; j++) {
    const template = exp.resources[(j * 7919) % exp.resources.length]!;
    const key = `${template.key}-added-${j}`;
    resources.push({ ...template, key, id: key, name: `${template.name}-added-${j}` });
    for (const t of [1, 2]) {
      const target = exp.resources[(j * 104_729 + t * 15_485_863) % exp.resources.length]!;
      if (!removed.has(target.key)) edges.push({ from: key, to: target.key, relation: "reference", via: `properties.links[${t}]` });
    }
  }
  return { ...exp, runId: `${exp.runId}-next`, resources, edges };
}

function hubOf(graph: TopologyGraph): number {
  let hub = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.inStart[v + 1]! - graph.inStart[v]! > graph.inStart[hub + 1]! - graph.inStart[hub]!) hub = v;
  }
  return hub;
}

export default async function topology(args: string[]): Promise<void> {
  const resources = intFlag(args, "resources", 100_000);
  const references = intFlag(args, "references", 5);
  const seed = intFlag(args, "seed", 1);
  const rounds = intFlag(args, "rounds", 3);

  const setup = time(() => generatedExport(resources, references, seed));
  const exp = setup.value;
  process.stdout.write(
    `export: ${exp.resources.length} resources, ${exp.edges.length} edges, ${exp.external.length} external (generated and inferred in ${(setup.ms / 1000).toFixed(1)} s)\n`,
  );

  const infers: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const run = time(() => inferEdges(exp.resources).edges.length);
    infers.push(run.ms);
  }
  process.stdout.write(`edge inference: ${exp.edges.length} edges; ${infers.map((x) => x.toFixed(0)).join(" / ")} ms\n`);

  const exportOnlyMb = heapMb();
  const builds: number[] = [];
  let graph = buildGraph(exp);
  for (let r = 0; r < rounds; r++) {
    const built = time(() => buildGraph(exp));
    builds.push(built.ms);
    graph = built.value;
  }
  const withGraphMb = heapMb();
  process.stdout.write(
    `graph: ${graph.nodeCount} nodes, ${graph.edgeCount} edges; build ${builds.map((x) => x.toFixed(0)).join(" / ")} ms\n`,
  );

  // The failure model is built and measured here, before the impact, risk and diff steps leave
  // their answers and the second export on the heap.
  const models: number[] = [];
  let model = buildFailureModel(graph);
  for (let r = 0; r < rounds; r++) {
    const built = time(() => buildFailureModel(graph));
    models.push(built.ms);
    model = built.value;
  }
  const withModelMb = heapMb();
  process.stdout.write(
    `failure model: ${model.groups.count} groups; build ${models.map((x) => x.toFixed(0)).join(" / ")} ms; ${(withModelMb - withGraphMb).toFixed(0)} MB\n`,
  );

  const hub = hubOf(graph);
  const impacts: number[] = [];
  let impacted = 0;
  let entry = 0;
  for (let r = 0; r < rounds; r++) {
    const run = time(() => impactOf(graph, graph.keys[hub]!)!);
    impacts.push(run.ms);
    impacted = run.value.impacted.length;
    entry = run.value.entryPoints.length;
  }
  process.stdout.write(
    `impact of hub ${graph.nameOf(hub)} (${graph.inStart[hub + 1]! - graph.inStart[hub]!} direct dependents): ${impacted} impacted, ${entry} entry points; ${impacts.map((x) => x.toFixed(0)).join(" / ")} ms\n`,
  );

  const scans: number[] = [];
  let spofCount = 0;
  let top = "";
  for (let r = 0; r < rounds; r++) {
    const run = time(() => {
      const scores = riskScan(graph);
      return { scores, spofs: singlePointsOfFailure(graph, { scores }) };
    });
    scans.push(run.ms);
    spofCount = run.value.spofs.length;
    top = `${run.value.scores[0]?.name ?? ""} (${run.value.scores[0]?.score ?? 0})`;
  }
  process.stdout.write(
    `risk scan: ${spofCount} single points of failure, top risk ${top}; ${scans.map((x) => x.toFixed(0)).join(" / ")} ms\n`,
  );

  const next = nextExport(exp);
  const diffs: number[] = [];
  let summary = "";
  for (let r = 0; r < rounds; r++) {
    const run = time(() => diffExports(exp, next));
    diffs.push(run.ms);
    const d = run.value;
    summary = `+${d.resources.added.length} -${d.resources.removed.length} ~${d.resources.changed.length} resources, +${d.edges.added.length} -${d.edges.removed.length} edges`;
  }
  process.stdout.write(`diff: ${summary}; ${diffs.map((x) => x.toFixed(0)).join(" / ")} ms\n`);
  // The raw payloads again (the export holds them already sanitised): what normalisation pays.
  const payloads = generatedEstate(resources, references, seed).subscriptions.flatMap((sub) => sub.resources);
  const sanitises: number[] = [];
  for (let r = 0; r < rounds; r++) sanitises.push(time(() => payloads.map((p) => sanitisePayload(p))).ms);
  const sanitiseMs100k = (median(sanitises) * 100_000) / payloads.length;
  process.stdout.write(`sanitise: ${payloads.length} payloads; ${sanitises.map((x) => x.toFixed(0)).join(" / ")} ms\n`);
  process.stdout.write(
    `heap: ${exportOnlyMb.toFixed(0)} MB with the export, ${withGraphMb.toFixed(0)} MB with its graph (measured before the second export exists)\n`,
  );

  // One untimed run of each first: the medians measure the compiled code, as a warm instance runs it.
  const busiest = new Map<string, number>();
  for (const r of exp.resources) if (r.location !== undefined) busiest.set(r.location, (busiest.get(r.location) ?? 0) + 1);
  const region = [...busiest].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "westeurope";
  scenarioAnswer(model, [hub], {}, { limit: 100 });
  scenarioAnswer(model, [], { zones: [{ region, zone: "1" }] }, { limit: 100 });
  const fulls: number[] = [];
  let full = "";
  for (let r = 0; r < rounds; r++) {
    const run = time(() => scenarioAnswer(model, [hub], {}, { limit: 100 }));
    fulls.push(run.ms);
    full = JSON.stringify(run.value.totals);
  }
  process.stdout.write(`full failure of hub ${graph.nameOf(hub)}: ${full}; ${fulls.map((x) => x.toFixed(1)).join(" / ")} ms\n`);
  const zoneRuns: number[] = [];
  let zone = "";
  for (let r = 0; r < rounds; r++) {
    const run = time(() => scenarioAnswer(model, [], { zones: [{ region, zone: "1" }] }, { limit: 100 }));
    zoneRuns.push(run.ms);
    zone = JSON.stringify(run.value.totals);
  }
  process.stdout.write(`zone ${region}/1 outage: ${zone}; ${zoneRuns.map((x) => x.toFixed(1)).join(" / ")} ms\n`);
  const spofRuns: number[] = [];
  let spof = "";
  for (let r = 0; r < rounds; r++) {
    const run = time(() => failureRiskScan(model));
    spofRuns.push(run.ms);
    spof = `${run.value.singlePointsOfFailure.length} single points of failure, ${run.value.changeRisk.length} change risks, ${run.value.zones.length} zones`;
  }
  process.stdout.write(`failure scan: ${spof}; ${spofRuns.map((x) => x.toFixed(0)).join(" / ")} ms\n`);

  printResult("topology", {
    resources: exp.resources.length,
    edges: exp.edges.length,
    [resources === 100_000 ? "inferMs100k" : "inferMs"]: median(infers),
    buildMs: median(builds),
    impactMs: median(impacts),
    riskScanMs: median(scans),
    diffMs: median(diffs),
    sanitiseMs100k,
    heapMb: withModelMb,
    graphMb: withGraphMb - exportOnlyMb,
    modelMs: median(models),
    modelMb: withModelMb - withGraphMb,
    impactFullMs: median(fulls),
    scenarioZoneMs: median(zoneRuns),
    spofScanMs: median(spofRuns),
  });
}
