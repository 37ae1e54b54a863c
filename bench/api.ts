/**
 * `npm run bench -- api [--resources N] [--queries Q] [--limit L] [--runs R]`
 *
 * The HTTP API (lib/api) on a generated estate of N resources (default 100,000; tools/estates/
 * generate.ts, normalized and run through edge inference as discovery does), committed to an
 * in-memory store and served by serveRoutes (what `topdeck serve` runs):
 * 1. coldFirstQueryMs: the first query (an impact) of a fresh instance: graph-ready snapshot read
 *    (its index only), graph and failure model built, answer. Over the in-memory store and, as
 *    coldFirstQueryMsBridge, over the Upstash REST bridge to a real redis-server; against the
 *    format earlier versions wrote (coldFirstQueryMsFormat1, bridge: the whole export read and
 *    parsed first), in the same run: coldRatioVsFormat1.
 * 2. topology and impact p50/p99 over HTTP on the warm instance, Q queries each, every one a
 *    different scope or resource so each is computed (not a query-cache hit): topology is one
 *    resource group as Mermaid, impact one resource's failure-model answer with L entries per list
 *    (default 100; totals are exact whatever the page, paths are built for the page only).
 *    impactCachedP50Ms: repeats.
 * 3. Import time of all function modules in a child node process (fake @azure/functions-core, as
 *    the host injects it), against a bare @azure/functions app registering one function, median
 *    of R runs each: unbundled (tsc output, one file per module) and the esbuild bundle
 *    (tools/build-bundle.ts). importRatio = unbundled / bare; importRatioBundled = bundle / bare.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { createRoutes } from "../lib/api/routes.js";
import { createStore, type Store } from "../lib/cache/index.js";
import { loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import type { TopologyExport } from "../lib/topology/export-format.js";
import { startUpstashStack } from "../test/support/redis.js";
import { buildBundle } from "../tools/build-bundle.js";
import { generateEstate } from "../tools/estates/generate.js";
import { exportFromPayloads } from "../tools/estates/offline-export.js";
import { type LocalServer, serveRoutes } from "../tools/host/serve.js";
import { packageRoot } from "../tools/paths.js";
import { intFlag } from "./_flags.js";
import { printResult } from "./_result.js";

const run = promisify(execFile);
const SCOPE = "tenant";

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number): number => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const median = (xs: number[]): number => pct(xs, 50);

function generatedExport(resources: number): TopologyExport {
  return exportFromPayloads(generateEstate({ resources, types: 40, subscriptions: 10, seed: 1, referencesPerResource: 2 }), {
    runId: "bench-api",
  });
}

/** A fresh instance: its own route table (nothing loaded yet) over `store`, on a free port. */
async function instance(store: Store): Promise<LocalServer> {
  return serveRoutes(Object.values(createRoutes(() => ({ store, scope: () => SCOPE }))), 0);
}

async function timedGet(url: string): Promise<number> {
  const t = performance.now();
  const r = await fetch(url);
  await r.arrayBuffer();
  const ms = performance.now() - t;
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
  return ms;
}

// ----- import time -----

const preload = `
import Module from "node:module";
const fake = {
  registerFunction: () => ({ dispose() {} }),
  registerHook: () => ({ dispose() {} }),
  setProgrammingModel: () => undefined,
  getProgrammingModel: () => undefined,
};
const original = Module._load;
Module._load = function (request, ...rest) {
  if (request === "@azure/functions-core") return fake;
  return original.call(this, request, ...rest);
};
`;
const importer = `
const files = process.argv.slice(2);
const t = performance.now();
for (const f of files) await import(f);
process.stdout.write("IMPORT_MS " + (performance.now() - t) + "\\n");
`;
const bare = `
import { app } from "@azure/functions";
app.http("bare", { methods: ["GET"], authLevel: "anonymous", route: "bare", handler: async () => ({ status: 200 }) });
`;

async function importMs(dir: string, files: string[]): Promise<number> {
  const env = { ...process.env };
  delete env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  const { stdout } = await run(process.execPath, ["--import", join(dir, "preload.mjs"), join(dir, "importer.mjs"), ...files], {
    env,
    cwd: dir,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("IMPORT_MS "));
  if (line === undefined) throw new Error(`no timing from the child: ${stdout}`);
  return Number(line.slice("IMPORT_MS ".length));
}

async function importTimes(
  runs: number,
): Promise<{ bareMs: number; appMs: number; bundleMs: number; bundleBytes: number; lazyBytes: number }> {
  const root = packageRoot();
  // Under the repository (bench/out is ignored by git), so the children resolve node_modules.
  const dir = join(root, "bench", "out", "api");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "preload.mjs"), preload);
  await writeFile(join(dir, "importer.mjs"), importer);
  await writeFile(join(dir, "bare.mjs"), bare);
  process.stdout.write("building: tsc (unbundled) and esbuild (bundle)...\n");
  const tscOut = join(dir, "tsc");
  await run(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
      "--outDir",
      tscOut,
      "--sourceMap",
      "false",
    ],
    { cwd: root },
  );
  const { outfile, startFiles, lazyFiles } = await buildBundle({ outfile: join(dir, "bundle", "main.js") });
  const fnDir = join(tscOut, "functions");
  const fnFiles = (await readdir(fnDir))
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((f) => join(fnDir, f));
  const times = { bare: [] as number[], app: [] as number[], bundle: [] as number[] };
  // Interleaved, so drift in machine load hits all three alike.
  for (let i = 0; i < runs; i++) {
    times.bare.push(await importMs(dir, [join(dir, "bare.mjs")]));
    times.app.push(await importMs(dir, [join(tscOut, "index.js"), ...fnFiles]));
    times.bundle.push(await importMs(dir, [outfile]));
  }
  const sizes = async (files: string[]): Promise<number> =>
    (await Promise.all(files.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0);
  const bundleBytes = await sizes(startFiles);
  const lazyBytes = await sizes(lazyFiles);
  // Gone again, so neither lint nor anything else ever sees the build copies.
  await rm(dir, { recursive: true, force: true });
  return { bareMs: median(times.bare), appMs: median(times.app), bundleMs: median(times.bundle), bundleBytes, lazyBytes };
}

/** Runs the API benchmark (see the file comment). */
export default async function (args: string[]): Promise<void> {
  const resources = intFlag(args, "resources", 100_000);
  const queries = intFlag(args, "queries", 200);
  const runs = intFlag(args, "runs", 7);
  const limit = intFlag(args, "limit", 100);
  const impactUrl = (base: string, id: string): string => `${base}/api/impact?limit=${limit}&id=${encodeURIComponent(id)}`;

  let t = performance.now();
  const exp = generatedExport(resources);
  process.stdout.write(
    `estate: ${exp.resources.length} resources, ${exp.edges.length} edges (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
  );
  const quiet = createLogger({ level: "error", write: () => undefined });
  const store = createStore(loadConfig({}), quiet);
  t = performance.now();
  await store.snapshots.write(SCOPE, exp);
  process.stdout.write(`committed to the in-memory store in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const stack = await startUpstashStack({ maxRequestBytes: 1_000_000 });
  const bridgeEnv = { UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token };
  const bridgeStore = (format: 1 | 2, prefix: string): Store =>
    createStore(loadConfig(bridgeEnv), quiet, { prefix, snapshots: { bulkTimeoutMs: 60_000, format } });
  t = performance.now();
  await bridgeStore(2, "bench-api").snapshots.write(SCOPE, exp);
  await bridgeStore(1, "bench-api-f1").snapshots.write(SCOPE, exp);
  process.stdout.write(`committed over the Upstash bridge (format 2 and format 1) in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);

  // Sample resources (with dependents, so impact has work) and resource groups, deterministically.
  const dependents = new Map<string, number>();
  for (const e of exp.edges) dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
  const withDependents = exp.resources.filter((r) => (dependents.get(r.key) ?? 0) > 0);
  const impactIds = Array.from({ length: queries }, (_, i) => withDependents[(i * 7919) % withDependents.length]!.key);
  const groups = [...new Set(exp.resources.map((r) => r.resourceGroup).filter((g): g is string => typeof g === "string"))].sort();
  const groupIds = Array.from({ length: queries }, (_, i) => groups[(i * 31) % groups.length]!);
  const groupSizes = groups.map((g) => exp.resources.filter((r) => r.resourceGroup === g).length);
  process.stdout.write(`${groups.length} resource groups (median ${median(groupSizes)} resources)\n`);

  // Cold: a fresh instance's first query (its own store object, so nothing of the writer's is shared).
  const coldFirst = async (over: Store): Promise<number> => {
    const server = await instance(over);
    try {
      return await timedGet(impactUrl(server.url, impactIds[0]!));
    } finally {
      await server.close();
    }
  };
  const coldFirstQueryMsBridge = await coldFirst(bridgeStore(2, "bench-api"));
  const coldFirstQueryMsFormat1 = await coldFirst(bridgeStore(1, "bench-api-f1"));
  await stack.stop();
  const cold = await instance(store);
  const coldFirstQueryMs = await timedGet(impactUrl(cold.url, impactIds[0]!));
  const coldTopologyMs = await timedGet(`${cold.url}/api/topology?format=mermaid&resourceGroup=${encodeURIComponent(groupIds[0]!)}`);
  await cold.close();

  // Warm: one instance, graph loaded; every query a different scope or resource.
  const warm = await instance(store);
  await timedGet(`${warm.url}/api/health`);
  await timedGet(impactUrl(warm.url, impactIds[0]!));
  const impact: number[] = [];
  for (const id of impactIds.slice(1)) impact.push(await timedGet(impactUrl(warm.url, id)));
  const topology: number[] = [];
  const distinctGroups = [...new Set(groupIds)];
  for (let i = 0; i < queries; i++) {
    const g = distinctGroups[i % distinctGroups.length]!;
    // Beyond the distinct groups, vary the depth-free query with the type filter off/on to stay uncached.
    const extra = i < distinctGroups.length ? "" : `&type=${encodeURIComponent(exp.resources[i]!.type)}`;
    topology.push(await timedGet(`${warm.url}/api/topology?format=mermaid&resourceGroup=${encodeURIComponent(g)}${extra}`));
  }
  const cached: number[] = [];
  for (let i = 0; i < 50; i++) cached.push(await timedGet(impactUrl(warm.url, impactIds[1]!)));
  await warm.close();
  await store.idle();

  const figures = {
    impactP50Ms: median(impact),
    impactP99Ms: pct(impact, 99),
    topologyP50Ms: median(topology),
    topologyP99Ms: pct(topology, 99),
    impactCachedP50Ms: median(cached),
    coldFirstQueryMs,
    coldFirstQueryMsBridge,
    coldFirstQueryMsFormat1,
    coldTopologyMs,
  };
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k}: ${v.toFixed(2)}\n`);

  const imports = await importTimes(runs);
  process.stdout.write(
    `import (median of ${runs}): bare @azure/functions ${imports.bareMs.toFixed(1)} ms, all function modules ${imports.appMs.toFixed(1)} ms, bundle ${imports.bundleMs.toFixed(1)} ms (${(imports.bundleBytes / 1024).toFixed(0)} KiB loaded at start, ${(imports.lazyBytes / 1024).toFixed(0)} KiB in chunks loaded on demand)\n`,
  );

  printResult("api", {
    resources: exp.resources.length,
    impactLimit: limit,
    impactP50Ms: figures.impactP50Ms,
    impactP99Ms: figures.impactP99Ms,
    topologyP50Ms: figures.topologyP50Ms,
    topologyP99Ms: figures.topologyP99Ms,
    coldFirstQueryMs,
    coldFirstQueryMsBridge,
    coldFirstQueryMsFormat1,
    coldRatioVsFormat1: coldFirstQueryMsBridge / coldFirstQueryMsFormat1,
    importBareMs: imports.bareMs,
    importAppMs: imports.appMs,
    importBundleMs: imports.bundleMs,
    importRatio: imports.appMs / imports.bareMs,
    importRatioBundled: imports.bundleMs / imports.bareMs,
  });
}
