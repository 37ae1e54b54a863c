import { parseArgs } from "node:util";

import { createRoutes } from "../lib/api/routes.js";
import { type LocalServer, serveRoutes } from "../lib/api/serve.js";
import { scopeKey } from "../lib/azure/discovery-service.js";
import { createStore, type Store } from "../lib/cache/index.js";
import { type Config, isConfigError, loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import type { TopologyExport } from "../lib/topology/export-format.js";
import { discover, type DiscoverIo } from "./discover-command.js";

/** Usage of `topdeck serve`. */
export const serveUsage = `Usage: topdeck serve [--port 7071] [--estate FILE]

Serves the HTTP API (the same handlers the function app registers) on 127.0.0.1, over the store
the settings name (in memory unless UPSTASH_REDIS_REST_URL is set). No function keys are checked.

  --port N        port to listen on (default 7071; 0 picks a free one)
  --estate FILE   first discover this estate file through the ARM emulator and commit its
                  snapshot, so the queries have data
`;

const processIo: DiscoverIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY === true,
  env: process.env,
};

/** A running `topdeck serve`. */
export interface RunningServe {
  server: LocalServer;
  store: Store;
  /** The snapshot scope the routes answer for. */
  scope: string;
}

/** Options of {@link startServe}. */
export interface StartServeOptions {
  io: DiscoverIo;
  port: number;
  /** Committed to the store before serving (unless it is already its current snapshot). */
  snapshot?: TopologyExport;
  /** The settings. @default loaded from `io.env` */
  config?: Config;
}

/**
 * Starts the API on 127.0.0.1 over a store made from the settings, after committing `snapshot` if
 * given, and prints the URLs to try.
 */
export async function startServe(options: StartServeOptions): Promise<RunningServe> {
  const { io } = options;
  const config = options.config ?? loadConfig(io.env);
  const log = createLogger({ level: "warn", write: (line) => io.stderr(`${line}\n`) });
  const store = createStore(config, log);
  const scope = scopeKey(config.TOPDECK_SUBSCRIPTIONS);
  if (options.snapshot !== undefined) {
    const current = await store.snapshots.read(scope).catch(() => undefined);
    if (current?.export.runId !== options.snapshot.runId) await store.snapshots.write(scope, options.snapshot);
  }
  const routes = createRoutes(() => ({ store, scope: () => scope }));
  const server = await serveRoutes(Object.values(routes), options.port);
  const current = await store.snapshots.read(scope).catch(() => undefined);
  io.stdout(urlsToTry(server.url, current?.export));
  return { server, store, scope };
}

/** The lines `serve` prints: what to open, with a real subnet for the impact query. */
export function urlsToTry(base: string, snapshot: TopologyExport | undefined): string {
  const api = `${base}/api`;
  const lines = [``, `TopDeck API on ${api} (127.0.0.1 only; function keys are not checked). Try:`, `  ${api}/health`];
  if (snapshot === undefined) {
    lines.push(`  (no snapshot yet: run 'topdeck discover', or restart with --estate FILE)`);
  } else {
    const dependents = new Map<string, number>();
    for (const e of snapshot.edges) dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
    const subnets = snapshot.resources.filter((r) => r.type.toLowerCase() === "microsoft.network/virtualnetworks/subnets");
    subnets.sort((a, b) => (dependents.get(b.key) ?? 0) - (dependents.get(a.key) ?? 0));
    const target = subnets[0] ?? snapshot.resources[0];
    lines.push(`  ${api}/resources?limit=10`, `  ${api}/topology?format=mermaid`, `  ${api}/topology?format=dot`, `  ${api}/topology?format=json`);
    if (target !== undefined) {
      const id = encodeURIComponent(target.key);
      lines.push(`  ${api}/resources/detail?id=${id}`, `  ${api}/impact?id=${id}`);
    }
    lines.push(`  ${api}/risk?limit=10`, `  ${api}/changes?since=${encodeURIComponent(snapshot.runId)}`);
  }
  lines.push(`Press Ctrl+C to stop.`, ``);
  return lines.join("\n");
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

/** Parses `--port`: a port number, or a message. */
export function parsePort(value: string | undefined): number | string {
  if (value === undefined) return 7071;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) return `--port needs a port number 0-65535 (got ${JSON.stringify(value)})`;
  return Number(value);
}

/**
 * `topdeck serve`. Serves until `until` resolves (default: SIGINT or SIGTERM).
 * @returns 0 after a clean stop, 1 when the estate's discovery failed, 2 for bad usage or configuration.
 */
export async function serveCommand(args: string[], io: DiscoverIo = processIo, until: () => Promise<void> = untilSignal): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { port: { type: "string" }, estate: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (error) {
    io.stderr(`topdeck serve: ${(error as Error).message}\n\n${serveUsage}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(serveUsage);
    return 0;
  }
  const port = parsePort(values.port);
  if (typeof port === "string") {
    io.stderr(`topdeck serve: ${port}\n\n${serveUsage}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.stderr(`topdeck serve: ${error.message}\n`);
    return 2;
  }
  let snapshot: TopologyExport | undefined;
  if (values.estate !== undefined) {
    const outcome = await discover(["--estate", values.estate], io);
    if (outcome.export === undefined) return outcome.code === 0 ? 1 : outcome.code;
    snapshot = outcome.export;
  }
  const running = await startServe({ io, port, config, ...(snapshot ? { snapshot } : {}) });
  try {
    await until();
  } finally {
    await running.server.close();
    await running.store.idle();
  }
  return 0;
}
