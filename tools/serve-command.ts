import { z } from "zod";

import { explorerUrl } from "../lib/api/explorer/routes.js";
import type { RouteDefinition } from "../lib/api/handler.js";
import { createRoutes } from "../lib/api/routes.js";
import { createRunFunctions, type RunFunctions } from "../lib/api/runs.js";
import type { ArmReader } from "../lib/azure/arm-reader.js";
import { azureReader, emulatorReader } from "../lib/azure/readers.js";
import { createStore, type Store } from "../lib/cache/index.js";
import { type Config, isConfigError, loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import { createRunService } from "../lib/runs/compose.js";
import type { DevOpsSource } from "../lib/runs/devops-source.js";
import type { RunService, RunView } from "../lib/runs/run-service.js";
import type { ExportResource, TopologyExport } from "../lib/topology/export-format.js";
import { emulatorFlagOptions, emulatorFlagsShape, emulatorOptionsFrom } from "./arm-emulator/command.js";
import { type ArmEmulator, type ArmEmulatorOptions, startArmEmulator } from "./arm-emulator/index.js";
import { DEMO_WEB_APP } from "./demo-devops.js";
import type { DiscoverIo } from "./discover-command.js";
import { type Estate, EstateFileError, loadEstateFile } from "./estates/schema.js";
import { parseCommandFlags } from "./flags.js";
import { LocalQueue } from "./host/local-queue.js";
import { type LocalServer, serveRoutes } from "./host/serve.js";

/** Usage of `topdeck serve`. */
export const serveUsage = `Usage: topdeck serve [--port 7071] [--estate FILE [emulator flags]]

Serves the HTTP API (the same handlers the function app registers) on 127.0.0.1, over the store
the settings name (in memory unless UPSTASH_REDIS_REST_URL is set), and runs the discovery queue's
work in process: POST /api/discovery/runs starts a run as the deployed app does. No function keys
are checked.

  --port N        port to listen on (default 7071; 0 picks a free one)
  --estate FILE   serve FILE with the ARM emulator for as long as the API runs, discover it once
                  before serving, and let every run read it (instead of Azure)
  emulator flags  --latency-ms N, --page-size N, --throttle B/R|off, --fault-rate X, --seed N
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
  /** Discovery runs, as the routes start them. */
  runs: RunService;
  /** The discovery queue, in process. */
  queue: LocalQueue;
  /** The ARM emulator runs read, when an estate was given. */
  emulator?: ArmEmulator;
  /** The outcome of the first run, when `firstRun` was asked for. */
  firstRun?: RunView;
  /** Stops the server, lets queued work finish, closes the emulator. */
  close(): Promise<void>;
}

/** Options of {@link startServe}. */
export interface StartServeOptions {
  io: DiscoverIo;
  port: number;
  /**
   * Seeds an empty store with an export already committed elsewhere (the demo's discovery, run in
   * its own process-local store); never written over a scope that has a snapshot, so it cannot
   * replace a newer one.
   */
  snapshot?: TopologyExport;
  /** Serve this estate with the ARM emulator while the API runs; runs read it instead of Azure. */
  estate?: Estate;
  emulator?: Omit<ArmEmulatorOptions, "estate">;
  /** Start a run through the queue and wait for it before printing the URLs. */
  firstRun?: boolean;
  /** The settings. @default loaded from `io.env` */
  config?: Config;
  /** Deliveries of a queue message before it is poisoned. @default 5 */
  maxDequeueCount?: number;
  /** Azure DevOps organisations every run reads too (the demo's sample). @default DEVOPS_ORGANIZATIONS */
  devops?: DevOpsSource;
  /** Check roles as the deployed app does (serveRoutes' `checkAccess`; tests only). @default false */
  checkAccess?: boolean;
  /** The runs' clock (tests: runs at set times, as a sample organisation's runs expect). @default Date.now */
  now?: () => number;
}

/**
 * Starts the API on 127.0.0.1 over a store made from the settings, with the discovery queue in
 * process; commits `snapshot` first if given, runs a first discovery if asked, and prints the
 * URLs to try.
 */
export async function startServe(options: StartServeOptions): Promise<RunningServe> {
  const { io } = options;
  const config = options.config ?? loadConfig(io.env);
  const log = createLogger({ level: "warn", write: (line) => io.stderr(`${line}\n`) });
  const store = createStore(config, log);
  const emulator = options.estate === undefined ? undefined : await startArmEmulator({ ...options.emulator, estate: options.estate });
  let reader: ArmReader | undefined;
  const runs = createRunService(config, {
    store,
    log,
    reader: () => (reader ??= emulator === undefined ? azureReader(config) : emulatorReader(emulator)),
    ...(emulator === undefined ? {} : { endpoint: emulator.url }),
    ...(options.devops === undefined ? {} : { devops: options.devops }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { scope } = runs;
  const functions = createRunFunctions(
    () => runs,
    () => config.DISCOVERY_SCHEDULE,
  );
  const queue = new LocalQueue({
    worker: functions.worker,
    poison: functions.poison,
    log,
    ...(options.maxDequeueCount === undefined ? {} : { maxDequeueCount: options.maxDequeueCount }),
  });
  let server: LocalServer | undefined;
  const close = async (): Promise<void> => {
    await server?.close();
    await queue.close();
    await store.idle();
    await emulator?.close();
  };
  try {
    if (options.snapshot !== undefined) {
      const [current] = await store.snapshots.list(scope);
      if (current === undefined) await store.snapshots.write(scope, options.snapshot);
    }
    let firstRun: RunView | undefined;
    if (options.firstRun === true) firstRun = await runOnce(runs, queue, io);
    const routes = servedRoutes(store, scope, runs, functions);
    server = await serveRoutes(routes, options.port, {
      onOutput: (output, value) => queue.accept(output, value),
      ...(options.checkAccess === true ? { checkAccess: true } : {}),
    });
    // The graph read, not the whole export: what an instance reads before its first answer.
    const current = await store.snapshots.readGraph(scope).catch(() => undefined);
    const latestRun = await runs.latestSummary().catch(() => undefined);
    const listed =
      current === undefined
        ? undefined
        : {
            ...current.meta,
            resources: current.columns.resources,
            edges: Array.from(current.columns.edgeTo, (j) => ({ to: current.columns.endpoints[j]! })),
          };
    io.stdout(urlsToTry(server.url, listed, latestRun !== undefined));
    return {
      server,
      store,
      scope,
      runs,
      queue,
      ...(emulator === undefined ? {} : { emulator }),
      ...(firstRun === undefined ? {} : { firstRun }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts one run through the queue, waits for it, and says how it went on stderr. */
async function runOnce(runs: RunService, queue: LocalQueue, io: DiscoverIo): Promise<RunView | undefined> {
  const outcome = await runs.start("serve");
  if (!outcome.started) {
    io.stderr(
      outcome.reason === "held"
        ? `topdeck serve: run ${outcome.runningRunId} of this scope is still running in another process; serving without a first run\n`
        : `topdeck serve: the scope's lock is held by a run start that never recorded its run; serving without a first run\n`,
    );
    return undefined;
  }
  io.stderr(`topdeck serve: discovery run ${outcome.run.runId} started\n`);
  queue.send(outcome.messages);
  await queue.idle();
  const view = await runs.view(outcome.run.runId);
  if (view !== undefined) {
    const r = view.result;
    io.stderr(
      r === undefined
        ? `topdeck serve: run ${view.runId} ${view.status}${view.failure === undefined ? "" : `: ${view.failure}`}\n`
        : `topdeck serve: run ${view.runId} ${view.status}: ${r.resources} resources, ${r.edges} edges, ${r.errors} error(s), ${(r.durationMs / 1000).toFixed(1)} s\n`,
    );
    for (const e of view.errors.slice(0, 10))
      io.stderr(`  failed: ${e.subscriptionId} ${e.type}: ${e.code} (${e.attempts} attempts) ${e.message}\n`);
  }
  return view;
}

/** The lines `serve` prints: what to open, with a real subnet for the impact query. */
/**
 * The HTTP routes `topdeck serve` serves: the query and explorer routes and the run routes, the
 * same tables the function files register on the Functions host (test/functions checks both).
 */
export function servedRoutes(
  store: Store,
  scope: string,
  runs: Pick<RunService, "latestSummary">,
  functions: Pick<RunFunctions, "startRun" | "run" | "latestRun">,
): RouteDefinition[] {
  return [
    ...Object.values(createRoutes(() => ({ store, scope: () => scope, lastRun: () => runs.latestSummary() }))),
    functions.startRun,
    functions.run,
    functions.latestRun,
  ];
}

export function urlsToTry(
  base: string,
  snapshot:
    | (Pick<TopologyExport, "runId" | "devops"> & {
        resources: readonly Pick<ExportResource, "key" | "type" | "name">[];
        edges: readonly { to: string }[];
      })
    | undefined,
  hasRun = false,
): string {
  const api = `${base}/api`;
  const lines = [
    ``,
    `TopDeck API on ${api} (127.0.0.1 only; function keys are not checked). Try:`,
    `  ${api}/health`,
    `  Explorer (open in a browser):`,
    `  ${explorerUrl(base)}`,
  ];
  if (snapshot === undefined) {
    lines.push(`  (no snapshot yet: run 'topdeck discover', or restart with --estate FILE)`);
  } else {
    const dependents = new Map<string, number>();
    for (const e of snapshot.edges) dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
    const subnets = snapshot.resources.filter((r) => r.type.toLowerCase() === "microsoft.network/virtualnetworks/subnets");
    subnets.sort((a, b) => (dependents.get(b.key) ?? 0) - (dependents.get(a.key) ?? 0));
    const target = subnets[0] ?? snapshot.resources[0];
    lines.push(
      `  ${api}/resources?limit=10`,
      `  ${api}/topology?format=mermaid`,
      `  ${api}/topology?format=dot`,
      `  ${api}/topology?format=json`,
    );
    if (target !== undefined) {
      const id = encodeURIComponent(target.key);
      lines.push(
        `  ${api}/resources/detail?id=${id}`,
        `  ${api}/impact?id=${id}`,
        `  The explorer on that subnet's impact:`,
        `  ${explorerUrl(base, target.key)}`,
      );
    }
    lines.push(`  ${api}/risk?limit=10`, `  ${api}/changes?since=${encodeURIComponent(snapshot.runId)}`);
    if (snapshot.devops !== undefined) {
      const sites = snapshot.resources.filter((r) => r.type.toLowerCase() === "microsoft.web/sites");
      const web = sites.find((r) => r.name === DEMO_WEB_APP) ?? sites[0];
      if (web !== undefined) {
        lines.push(
          `  Who can change ${web.name} from Azure DevOps, and who last did (changeSources):`,
          `  ${api}/resources/detail?id=${encodeURIComponent(web.key)}`,
          `  The same in the explorer ("Who can change it"):`,
          `  ${explorerUrl(base, web.key, "resource")}`,
        );
      }
    }
  }
  if (hasRun) lines.push(`  ${api}/discovery/runs/latest`);
  lines.push(`Start a discovery run (its work runs in this process): curl -i -X POST ${api}/discovery/runs`, `Press Ctrl+C to stop.`, ``);
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
  const { port: _emulatorPort, ...emulatorFlags } = emulatorFlagOptions;
  const { port: _emulatorPortShape, ...emulatorShape } = emulatorFlagsShape;
  const flags = parseCommandFlags(
    args,
    { port: { type: "string" }, estate: { type: "string" }, ...emulatorFlags },
    z.object({ port: z.string().optional(), estate: z.string().min(1, "needs a FILE").optional(), ...emulatorShape }),
  );
  if (typeof flags === "string") {
    io.stderr(`topdeck serve: ${flags}\n\n${serveUsage}`);
    return 2;
  }
  if ("help" in flags) {
    io.stdout(serveUsage);
    return 0;
  }
  const port = parsePort(flags.port);
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
  let estate: Estate | undefined;
  if (flags.estate !== undefined) {
    try {
      estate = await loadEstateFile(flags.estate);
    } catch (error) {
      if (!(error instanceof EstateFileError)) throw error;
      io.stderr(`topdeck serve: --estate: ${error.message}\n`);
      return 2;
    }
  }
  const running = await startServe({
    io,
    port,
    config,
    ...(estate ? { estate, emulator: emulatorOptionsFrom({ ...flags, port: 0 }), firstRun: true } : {}),
  });
  if (running.firstRun?.status === "failed") {
    await running.close();
    return 1;
  }
  const stopNow = (): never => process.exit(130);
  try {
    await until();
  } finally {
    if (running.queue.busy) {
      // A run in progress is let finish (its snapshot is committed); a second signal stops now,
      // leaving the previous snapshot current and the lock to expire.
      io.stderr(
        `topdeck serve: waiting for the discovery run in progress to finish; press Ctrl+C again to stop now (nothing of it is committed)\n`,
      );
      process.once("SIGINT", stopNow);
      process.once("SIGTERM", stopNow);
    }
    await running.close();
    process.off("SIGINT", stopNow);
    process.off("SIGTERM", stopNow);
  }
  return 0;
}
