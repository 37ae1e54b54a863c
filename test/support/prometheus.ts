// A real Prometheus (Debian's package) for integration tests, loaded with history that promtool
// backfills from OpenMetrics the test writes.
//
//   let prom: PrometheusServer;
//   beforeAll(async () => { prom = await startPrometheus({ openMetrics: toOpenMetrics(families) }); });
//   afterAll(async () => { await prom?.stop(); });
//
// The blocks are created in the storage directory before Prometheus starts, so its TSDB opens them
// at start-up. Keep the samples inside the retention window (the last few hours is safe): blocks
// older than the retention are deleted. Every Prometheus still running when the test process exits
// is SIGKILLed.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

import { freePort } from "./ports.js";

/** A running Prometheus on 127.0.0.1. */
export interface PrometheusServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** SIGTERM, wait for exit, remove the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** OpenMetrics text (ending in `# EOF`) to backfill before start. @default none */
  openMetrics?: string;
  /** `--storage.tsdb.retention.time`. @default "30d" */
  retention?: string;
}

/** One series of a family: labels and `[epoch ms, value]` samples in time order. */
export interface SeriesHistory {
  labels: Record<string, string>;
  samples: ReadonlyArray<readonly [number, number]>;
}

/** A metric family: name, type, and its series. */
export interface MetricFamily {
  name: string;
  /** @default "gauge" */
  type?: "gauge" | "counter" | "unknown";
  series: readonly SeriesHistory[];
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const formatValue = (v: number): string => (Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v));

/** Families as OpenMetrics text with timestamps (seconds), label values escaped, ending in `# EOF`. */
export function toOpenMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# TYPE ${f.name} ${f.type ?? "gauge"}`);
    const sample = f.type === "counter" ? `${f.name}_total` : f.name;
    for (const s of f.series) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(",");
      for (const [ms, v] of s.samples) lines.push(`${sample}{${labels}} ${formatValue(v)} ${(ms / 1000).toFixed(3)}`);
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

function findBinary(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} not found: run \`bash scripts/test-all.sh\`, which installs it (apt-get install prometheus)`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts Prometheus on a free port with an empty scrape config, after backfilling `openMetrics`
 * into its storage with `promtool tsdb create-blocks-from openmetrics`. Resolves once `/-/ready`
 * answers 200.
 */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<PrometheusServer> {
  const prometheus = findBinary("prometheus");
  const promtool = findBinary("promtool");
  const dir = await mkdtemp(join(tmpdir(), "topdeck-prometheus-"));
  const data = join(dir, "data");
  const config = join(dir, "prometheus.yml");
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await writeFile(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    if (options.openMetrics !== undefined) {
      const file = join(dir, "history.om");
      await writeFile(file, options.openMetrics);
      await promisify(execFile)(promtool, ["tsdb", "create-blocks-from", "openmetrics", file, data]).catch((e: unknown) => {
        const out = e as { stderr?: string; stdout?: string };
        throw new Error(`promtool could not backfill the history:\n${out.stderr ?? ""}${out.stdout ?? ""}`, { cause: e });
      });
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on("exit", () => {
        for (const c of running) c.kill("SIGKILL");
      });
    }
    const args = [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--storage.tsdb.retention.time=${options.retention ?? "30d"}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ];
    const started = spawn(prometheus, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    running.add(started);
    started.once("exit", () => running.delete(started));
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-4000);
    };
    started.stdout?.on("data", keep);
    started.stderr?.on("data", keep);
    let spawnError: Error | undefined;
    started.once("error", (e) => (spawnError = e));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (spawnError) throw new Error(`prometheus could not start: ${spawnError.message}`, { cause: spawnError });
      if (started.exitCode !== null || started.signalCode !== null) throw new Error(`prometheus exited during start-up:\n${output}`);
      if (await ready(url)) break;
      if (Date.now() > deadline) throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, port, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
