/**
 * `npm run bench -- discovery [--quick]`: discovery against the ARM emulator (in its own process)
 * with 50 ms latency and ARM's 250/25 read bucket, on generated estates:
 *   - 20,000 resources over 60 types in one subscription;
 *   - 5 subscriptions x 5,000 resources;
 * each against its lower bound (docs/discovery.md) and against the sequential baseline
 * (concurrency 1, the SDK's own retries, one subscription at a time). Then peak RSS of a
 * 100,000-resource discovery in a fresh process (latency 0, no throttling: memory is the point),
 * twice: from source under tsx (`peakRssMb100k`), and bundled by esbuild with the deployed app's
 * settings and run by plain node (`peakRssMb100kBundled`), which is what the app pays.
 * And, on its own, the carry-forward index over 100,000 previous resources of one type.
 *
 * `cpuMsPer1kResources` is the process CPU time (user + system, `process.cpuUsage`) of the
 * discovery process during the 5 x 5,000 run (25,000 resources), per 1,000 resources: what
 * discovery itself spends per resource, whatever the waits. The emulator runs in its own process,
 * so its CPU is not in the figure. Its floor, `transportCpuMsPer1kResources`: the CPU of sending the
 * same requests again (recorded through node:diagnostics_channel), as many in flight at once as the
 * run had at its peak, through the same @azure/arm-resources client pipeline, and dropping the
 * parsed pages: what any design reading these pages with this client pays. `ownCpuMsPer1kResources`
 * is the rest, discovery's own work (normalising, sanitising, scanning, edges, its resilience).
 * The same 5 x 5,000 discovery in a fresh child, run twice and measured the second time
 * (bench/_discovery-cpu-child.ts): `cpuMsPer1kResourcesChild` from source under tsx, and
 * `cpuMsPer1kResourcesBundled` bundled as the deployed app is, with its own floor
 * (`transportCpuMsPer1kResourcesBundled`) and the rest (`ownCpuMsPer1kResourcesBundled`).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

import { createArmCalls } from "../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../lib/azure/arm-http.js";
import { carryForwardIndex } from "../lib/azure/carry-forward.js";
import { emulatorCredential } from "../lib/azure/credentials.js";
import { runDiscovery } from "../lib/azure/discover.js";
import { MAX_GROUPS_TO_SPLIT } from "../lib/azure/discover-subscription.js";
import { emulatorAgent } from "../lib/azure/readers.js";
import type { ExportResource } from "../lib/topology/export-format.js";
import { bundleExternals } from "../tools/build-bundle.js";
import { generateEstate, type GenerateOptions, writeEstateFile } from "../tools/estates/generate.js";
import { printResult } from "./_result.js";
import { recordRequests, transportCpuMs } from "./_transport-floor.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const LATENCY_MS = 50;
const PAGE_SIZE = 100;
const BUCKET = { burst: 250, refillPerSecond: 25 };

interface Emulator {
  url: string;
  ca: string;
  stop(): Promise<void>;
}

async function startEmulator(file: string, flags: string[]): Promise<Emulator> {
  const child = spawn(process.execPath, [tsxCli, "tools/cli.ts", "emulator", "--estate", file, ...flags], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  const { url, caCertPath } = JSON.parse(line) as { url: string; caCertPath: string };
  const { readFile } = await import("node:fs/promises");
  const ca = await readFile(caCertPath, "utf8");
  const exited = once(child, "exit");
  return {
    url,
    ca,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The least time any run of this design needs: the generic list's pages follow nextLinks one
 * after another (latency bound), and each subscription's requests draw on its own bucket
 * (quota bound: what the burst does not cover comes at the refill rate). Subscriptions run side
 * by side, so the slowest one sets the bound.
 */
function lowerBoundMs(opts: GenerateOptions): { lowerBoundMs: number; requests: number } {
  const estate = generateEstate(opts);
  let bound = 0;
  let total = 0;
  for (const sub of estate.subscriptions) {
    // ARM's generic list (and the emulator's) names top-level resources and children that have a
    // location; location-less children (subnets) arrive inside their parent.
    const listed = sub.resources.filter((r) => r.type.split("/").length === 2 || r.location !== undefined);
    const byType = new Map<string, number>();
    const byGroup = new Map<string, number>();
    for (const r of listed) {
      byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      const group = r.id.split("/")[4]!.toLowerCase();
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
    }
    const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
    const split = byGroup.size > 1 && byGroup.size <= MAX_GROUPS_TO_SPLIT;
    // The generic list: one chain per resource group after listing them, or one chain in all.
    const genericRequests = split ? [...byGroup.values()].reduce((a, n) => a + pages(n), 0) : pages(listed.length);
    const genericChain = split ? 1 + Math.max(...[...byGroup.values()].map(pages)) : pages(listed.length);
    let requests = 1 + 1 + genericRequests; // providers + resource groups + generic list
    let longestTypeChain = 0;
    for (const [type, n] of byType) {
      const topLevel = type.split("/").length === 2;
      requests += topLevel ? pages(n) : n;
      if (topLevel) longestTypeChain = Math.max(longestTypeChain, pages(n));
    }
    const quotaMs = (Math.max(0, requests - BUCKET.burst) / BUCKET.refillPerSecond) * 1000;
    const latencyMs = Math.max(genericChain, longestTypeChain) * LATENCY_MS;
    bound = Math.max(bound, quotaMs, latencyMs);
    total += requests;
  }
  return { lowerBoundMs: bound, requests: total };
}

async function timedRun(emulator: Emulator, subscriptions: string[], mode: "topdeck" | "sequential", withFloor = false) {
  const agent = emulatorAgent(emulator.ca);
  const reader =
    mode === "topdeck"
      ? new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent, run: createArmCalls().run })
      : new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent, sdkMaxRetries: 3 });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const recorded = await recordRequests(() =>
    runDiscovery({
      reader,
      subscriptions,
      concurrency: mode === "topdeck" ? 16 : 1,
      subscriptionConcurrency: mode === "topdeck" ? subscriptions.length : 1,
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  agent.destroy();
  const out = recorded.value;
  if (out.errors.length > 0) throw new Error(`${mode} run recorded errors: ${JSON.stringify(out.errors[0])}`);
  // Throttled answers would be replayed as 429s, cheaper than the pages: no floor then. Only where
  // the run left the emulator's buckets room for its requests again (5 x 5,000 spends under half
  // of each subscription's burst; 1 x 20,000 spends it all).
  const transportMs =
    withFloor && out.stats.throttled === 0 ? await transportCpuMs(emulator, recorded.requests, recorded.peak) : Number.NaN;
  return {
    wallMs,
    cpuMs,
    transportMs,
    inFlightPeak: recorded.peak,
    resources: out.resources.length,
    requests: out.stats.requests,
    throttled: out.stats.throttled,
  };
}

async function scenario(name: string, opts: GenerateOptions, dir: string, withBaseline: boolean, withFloor = false) {
  const file = join(dir, `${name}.json`);
  await writeEstateFile(opts, file);
  const subscriptions = generateEstate(opts).subscriptions.map((s) => s.subscriptionId);
  const emulator = await startEmulator(file, ["--latency-ms", String(LATENCY_MS), "--page-size", String(PAGE_SIZE)]);
  try {
    const bound = lowerBoundMs(opts);
    const ours = await timedRun(emulator, subscriptions, "topdeck", withFloor);
    process.stdout.write(
      `${name}: ${ours.resources} resources, ${ours.requests} requests (${bound.requests} planned), ${ours.throttled} throttled; ` +
        `wall ${ours.wallMs.toFixed(0)} ms, lower bound ${bound.lowerBoundMs.toFixed(0)} ms, ratio ${(ours.wallMs / bound.lowerBoundMs).toFixed(2)}; ` +
        `discovery CPU ${ours.cpuMs.toFixed(0)} ms (${((ours.cpuMs / ours.resources) * 1000).toFixed(1)} ms per 1,000 resources)` +
        (Number.isNaN(ours.transportMs)
          ? "\n"
          : `, of which the same ${ours.requests} requests alone, ${ours.inFlightPeak} in flight at most, ${ours.transportMs.toFixed(0)} ms\n`),
    );
    let sequentialMs = Number.NaN;
    if (withBaseline) {
      // A fresh emulator, so the baseline starts with a full bucket too.
      await emulator.stop();
      const fresh = await startEmulator(file, ["--latency-ms", String(LATENCY_MS), "--page-size", String(PAGE_SIZE)]);
      try {
        sequentialMs = (await timedRun(fresh, subscriptions, "sequential")).wallMs;
      } finally {
        await fresh.stop();
      }
      process.stdout.write(
        `${name}: sequential baseline ${sequentialMs.toFixed(0)} ms, speed-up ${(sequentialMs / ours.wallMs).toFixed(1)}x\n`,
      );
    }
    return { ...ours, ...bound, sequentialMs };
  } finally {
    await emulator.stop().catch(() => undefined);
  }
}

/**
 * A child (bench/_discovery-rss-child.ts, bench/_discovery-cpu-child.ts) bundled as
 * tools/build-bundle.ts bundles the app (esbuild, ESM for Node 20, minified, the same externals),
 * so its figure is the deployed code's.
 */
async function bundleChild(dir: string, name: string): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(root, "bench", `_${name}.ts`)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    external: [...bundleExternals],
    banner: {
      js: 'import { createRequire as __topdeckCreateRequire } from "node:module"; const require = __topdeckCreateRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  return outfile;
}

/**
 * Runs a child (`bench/_<name>.ts` from source under tsx, or `bundled`) against a fresh emulator
 * serving `file` with `emulatorFlags`, the emulator's CA on its stdin, and returns the
 * `key=value` figures of its output.
 */
async function childFigures(
  name: string,
  file: string,
  subscriptions: string[],
  emulatorFlags: string[],
  bundled: string | undefined,
): Promise<Record<string, number>> {
  const emulator = await startEmulator(file, emulatorFlags);
  try {
    const args = bundled === undefined ? [tsxCli, `bench/_${name}.ts`] : [bundled];
    const child = spawn(process.execPath, [...args, emulator.url, subscriptions.join(",")], {
      cwd: root,
      stdio: ["pipe", "pipe", "inherit"],
    });
    child.stdin.end(emulator.ca);
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`${name} exited with ${code}: ${text}`);
    return Object.fromEntries([...text.matchAll(/(\w+)=([\d.]+|NaN)/g)].map((m) => [m[1]!, Number(m[2])]));
  } finally {
    await emulator.stop();
  }
}

/**
 * CPU of the 5 x 5,000 discovery in a fresh child (bench/_discovery-cpu-child.ts), from source
 * under tsx or `bundled`, against an emulator as the scenario's (latency, page size) but without
 * throttling: the child runs the discovery twice and replays its requests, more than one bucket's
 * burst. The run itself was never throttled in the scenario either.
 */
async function childCpu(file: string, subscriptions: string[], bundled?: string) {
  const flags = ["--latency-ms", String(LATENCY_MS), "--page-size", String(PAGE_SIZE), "--throttle", "off"];
  const { resources, cpuMs, transportMs } = await childFigures("discovery-cpu-child", file, subscriptions, flags, bundled);
  if (!Number.isFinite(resources) || !Number.isFinite(cpuMs)) throw new Error("CPU child gave no figure");
  return { resources: resources!, cpuMs: cpuMs!, transportMs: transportMs ?? Number.NaN };
}

/**
 * Peak RSS of one discovery of `file`, in a fresh process, so nothing else shares the peak: the
 * child from source under tsx, or `bundled`, the esbuild bundle of it under plain node.
 */
async function peakRssMb(file: string, subscriptions: string[], bundled?: string): Promise<{ peak: number; start: number }> {
  const flags = ["--throttle", "off", "--page-size", "1000"];
  const { peakRssMb: peak, startRssMb: start } = await childFigures("discovery-rss-child", file, subscriptions, flags, bundled);
  if (!Number.isFinite(peak) || !Number.isFinite(start)) throw new Error("RSS child gave no figure");
  return { peak: peak!, start: start! };
}

/**
 * Milliseconds to build the carry-forward index of 100,000 previous resources of one type (the
 * median of 5 builds): what a run spends before its first read, on the event loop.
 */
function carryForwardMs(n = 100_000): number {
  const previous: ExportResource[] = Array.from({ length: n }, (_, i) => ({
    key: `/subscriptions/s/resourcegroups/g/providers/microsoft.network/networkinterfaces/nic${i}`,
    id: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/nic${i}`,
    type: "Microsoft.Network/networkInterfaces",
    name: `nic${i}`,
    subscriptionId: "s",
    resourceGroup: "g",
  }));
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const index = carryForwardIndex(previous, (r) => r.resourceGroup !== undefined);
    times.push(performance.now() - started);
    if (index.get("microsoft.network/networkinterfaces")?.length !== n) throw new Error("carry-forward index lost resources");
  }
  return times.sort((a, b) => a - b)[2]!;
}

export default async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const dir = await mkdtemp(join(tmpdir(), "topdeck-bench-"));
  try {
    const one = await scenario("1x20000", { resources: quick ? 4_000 : 20_000, types: 60, subscriptions: 1, seed: 1 }, dir, true);
    const fiveOpts: GenerateOptions = { resources: quick ? 5_000 : 25_000, types: 60, subscriptions: 5, seed: 2 };
    const five = await scenario("5x5000", fiveOpts, dir, true, true);
    const bigOpts: GenerateOptions = { resources: quick ? 10_000 : 100_000, types: 60, subscriptions: 1, seed: 3 };
    const bigFile = join(dir, "rss.json");
    await writeEstateFile(bigOpts, bigFile);
    const bigSubscriptions = generateEstate(bigOpts).subscriptions.map((s) => s.subscriptionId);
    const rss = await peakRssMb(bigFile, bigSubscriptions);
    const rssBundled = await peakRssMb(bigFile, bigSubscriptions, await bundleChild(dir, "discovery-rss-child"));
    const cpuFile = join(dir, "5x5000.json");
    const cpuSubscriptions = generateEstate(fiveOpts).subscriptions.map((s) => s.subscriptionId);
    const cpuSource = await childCpu(cpuFile, cpuSubscriptions);
    const cpuBundled = await childCpu(cpuFile, cpuSubscriptions, await bundleChild(dir, "discovery-cpu-child"));
    const per1k = (ms: number, resources: number) => (ms / resources) * 1000;
    process.stdout.write(
      `5x5000 in a child, second run: ${per1k(cpuSource.cpuMs, cpuSource.resources).toFixed(1)} ms CPU per 1,000 resources from source (tsx), ` +
        `${per1k(cpuBundled.cpuMs, cpuBundled.resources).toFixed(1)} bundled, of which the requests alone ${per1k(cpuBundled.transportMs, cpuBundled.resources).toFixed(1)}\n`,
    );
    process.stdout.write(
      `${bigOpts.resources} resources: peak RSS ${rss.peak.toFixed(1)} MB from source (tsx; ${rss.start.toFixed(1)} MB before discovery), ` +
        `${rssBundled.peak.toFixed(1)} MB bundled (${rssBundled.start.toFixed(1)} MB before)\n`,
    );
    const carryForwardMs100k = carryForwardMs();
    process.stdout.write(`carry-forward index of 100,000 previous resources of one type: ${carryForwardMs100k.toFixed(1)} ms\n`);
    printResult("discovery", {
      wallMs: one.wallMs,
      lowerBoundMs: one.lowerBoundMs,
      ratio: one.wallMs / one.lowerBoundMs,
      sequentialMs: one.sequentialMs,
      speedup: one.sequentialMs / one.wallMs,
      wallMs5x5000: five.wallMs,
      lowerBoundMs5x5000: five.lowerBoundMs,
      ratio5x5000: five.wallMs / five.lowerBoundMs,
      sequentialMs5x5000: five.sequentialMs,
      speedup5x5000: five.sequentialMs / five.wallMs,
      cpuMsPer1kResources: (five.cpuMs / five.resources) * 1000,
      transportCpuMsPer1kResources: (five.transportMs / five.resources) * 1000,
      ownCpuMsPer1kResources: ((five.cpuMs - five.transportMs) / five.resources) * 1000,
      cpuMsPer1kResourcesChild: per1k(cpuSource.cpuMs, cpuSource.resources),
      cpuMsPer1kResourcesBundled: per1k(cpuBundled.cpuMs, cpuBundled.resources),
      transportCpuMsPer1kResourcesBundled: per1k(cpuBundled.transportMs, cpuBundled.resources),
      ownCpuMsPer1kResourcesBundled: per1k(cpuBundled.cpuMs - cpuBundled.transportMs, cpuBundled.resources),
      peakRssMb100k: rss.peak,
      peakRssMb100kBundled: rssBundled.peak,
      startRssMb100k: rss.start,
      startRssMb100kBundled: rssBundled.start,
      carryForwardMs100k,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
