import { z } from "zod";

import type { ArmHttpReader } from "../lib/azure/arm-http.js";
import { azureReader, emulatorReader } from "../lib/azure/readers.js";
import { createStore, isStoreUnavailableError, type Store } from "../lib/cache/index.js";
import { type Config, isConfigError, loadConfig } from "../lib/config/index.js";
import { createLogger, type Logger } from "../lib/log/index.js";
import { devopsErrorCount } from "../lib/runs/assembly.js";
import { createRunService } from "../lib/runs/compose.js";
import type { RunService } from "../lib/runs/run-service.js";
import { isFilteredScope } from "../lib/runs/scope.js";
import type { TopologyExport } from "../lib/topology/export-format.js";
import { subscriptionIdSchema } from "../lib/topology/subscription-id.js";
import { emulatorFlagOptions, emulatorFlagsShape, emulatorOptionsFrom } from "./arm-emulator/command.js";
import { type ArmEmulator, startArmEmulator } from "./arm-emulator/index.js";
import { type DevOpsOrgs, startDevOpsOrgs } from "./devops-orgs.js";
import { EstateFileError, loadEstateFile } from "./estates/schema.js";
import { parseCommandFlags } from "./flags.js";
import { type InProcessRun, runInProcess } from "./host/run-in-process.js";
import { writePrivateFile } from "./private-file.js";
import { ProgressLine } from "./progress.js";

/** Usage of `topdeck discover` (docs/interfaces.md section 2). */
export const discoverUsage = `Usage: topdeck discover [--subscription ID ...] [--estate FILE [emulator flags]]
                        [--resource-group NAME ...] [--include-type TYPE ...] [--exclude-type TYPE ...]
                        [--devops-org URL|sample ...] [--concurrency N] [--out FILE] [--quiet]

Runs one discovery: against Azure with DefaultAzureCredential (az login locally; the identity needs
Reader on each subscription), or against an emulated estate when --estate is given. The run goes
through the same run service as the app (its scope lock, its fenced commit) over the store the
settings name, and is committed there; a run of the scope already in progress makes it exit 1.
Progress goes to stderr; --out writes the export (format version 1, or 2 with a devops section
when Azure DevOps organisations were read).

With --devops-org (else DEVOPS_ORGANIZATIONS) the run also reads those Azure DevOps organisations,
each as a step of its own, and the identities' federated credentials, and links them to the estate
(docs/devops.md). \`sample\` serves the sample organisation, linked to the sample estate, with the
Azure DevOps emulator in this process. An organisation that cannot be read is carried forward from
its previous snapshot, stale, and the run exits 1.

A run with --resource-group, --include-type or --exclude-type is a scope of its own (the filter's
digest on top of the subscriptions' scope): it never replaces the full snapshot, and carries
forward only from earlier runs with the same filter. The scope committed to is printed.

  --subscription ID     a subscription to discover; repeat for more (default: TOPDECK_SUBSCRIPTIONS,
                        else every subscription the identity can see)
  --estate FILE         serve FILE with the ARM emulator and discover it
  --resource-group NAME only this resource group; repeat for more
  --include-type TYPE   only this type (e.g. Microsoft.Web/sites); repeat for more
  --exclude-type TYPE   never this type; repeat for more
  --devops-org URL|sample  an Azure DevOps organisation (https://dev.azure.com/ORG) to read too, or
                        the sample organisation; repeat for more (default: DEVOPS_ORGANIZATIONS;
                        DEVOPS_PAT, else DefaultAzureCredential, authenticates)
  --concurrency N       resource types read at once per subscription (default: DISCOVERY_CONCURRENCY)
  --out FILE            write the export as JSON to FILE
  --quiet               no progress line or summary
  emulator flags        --latency-ms N, --page-size N, --throttle B/R|off, --fault-rate X, --seed N, --port N

Exit codes: 0 success; 1 finished with recorded failures, or nothing was committed (the scope is
held by another run, or the store failed); 2 bad usage or configuration.
`;

/** Where the command writes. */
export interface DiscoverIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

const processIo: DiscoverIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY === true,
  env: process.env,
};

const typeName = /^[A-Za-z0-9.]+(\/[A-Za-z0-9]+)+$/;

const flagsSchema = z.object({
  subscription: z.array(subscriptionIdSchema()).default([]),
  estate: z.string().min(1, "needs a FILE").optional(),
  "resource-group": z.array(z.string().regex(/^[-\w._()]{1,90}$/, "must be a resource group name")).default([]),
  "include-type": z.array(z.string().regex(typeName, "must be a type like Microsoft.Web/sites")).default([]),
  "exclude-type": z.array(z.string().regex(typeName, "must be a type like Microsoft.Web/sites")).default([]),
  "devops-org": z
    .array(
      z.union([z.literal("sample"), z.url({ protocol: /^https$/, error: "must be an https URL (https://dev.azure.com/ORG) or sample" })]),
    )
    .default([]),
  concurrency: z
    .string()
    .regex(/^\d+$/, "must be an integer from 1 to 256")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 256, "must be an integer from 1 to 256")
    .optional(),
  out: z.string().min(1, "needs a FILE").optional(),
  quiet: z.boolean().default(false),
  ...emulatorFlagsShape,
});

type Flags = z.infer<typeof flagsSchema>;

function parseFlags(args: string[]): Flags | { help: true } | string {
  return parseCommandFlags(
    args,
    {
      subscription: { type: "string", multiple: true },
      estate: { type: "string" },
      "resource-group": { type: "string", multiple: true },
      "include-type": { type: "string", multiple: true },
      "exclude-type": { type: "string", multiple: true },
      "devops-org": { type: "string", multiple: true },
      concurrency: { type: "string" },
      out: { type: "string" },
      quiet: { type: "boolean" },
      ...emulatorFlagOptions,
    },
    flagsSchema,
  );
}

/** What a discover run produced, for callers that go on (demo). */
export interface DiscoverOutcome {
  code: number;
  export?: TopologyExport;
}

/**
 * `topdeck discover`. @returns 0 on success, 1 when the run recorded failures, 2 for bad usage
 * or configuration.
 */
export async function discoverCommand(args: string[], io: DiscoverIo = processIo): Promise<number> {
  return (await discover(args, io)).code;
}

/** What a caller that goes on after the run (demo) brings to {@link discover}. */
export interface DiscoverOptions {
  /** Azure DevOps organisations already started (the demo keeps the sample's emulator for serve); it is not closed. */
  devops?: DevOpsOrgs;
}

/** Runs `topdeck discover` and hands back the export as well as the exit code. */
export async function discover(args: string[], io: DiscoverIo = processIo, options: DiscoverOptions = {}): Promise<DiscoverOutcome> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    io.stderr(`topdeck discover: ${flags}\n\n${discoverUsage}`);
    return { code: 2 };
  }
  if ("help" in flags) {
    io.stdout(discoverUsage);
    return { code: 0 };
  }
  const config = configOrReport(io);
  if (config === undefined) return { code: 2 };

  const started: Started = { emulator: undefined, devops: undefined };
  try {
    const reader = await readerFor(flags, config, io, started);
    if (reader === undefined) return { code: 2 };
    const progress = new ProgressLine(io.stderr, io.isTty);
    // Log lines go to stderr, so stdout stays for what a script reads.
    const log = createLogger({ level: "warn", write: (line) => io.stderr(`${line}\n`) });
    const store = createStore(config, log);
    started.devops = options.devops ?? (await startDevOpsOrgs(flags["devops-org"], config, log));
    const service = runServiceFor(flags, config, { store, log, reader, emulator: started.emulator, devops: started.devops, progress });
    return await runAndReport({ flags, io, log, progress, store, service });
  } finally {
    if (options.devops === undefined) await started.devops?.close();
    await started.emulator?.close();
  }
}

/** What the command started, closed when it ends (Azure DevOps organisations only when it started them). */
interface Started {
  emulator: ArmEmulator | undefined;
  devops: DevOpsOrgs | undefined;
}

/** The settings, or undefined once a bad one is reported. */
function configOrReport(io: DiscoverIo): Config | undefined {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.stderr(`topdeck discover: ${error.message}\n`);
    return undefined;
  }
}

/**
 * The ARM reader: of an emulator serving `--estate` (kept in `started`), else of Azure. Undefined
 * once a bad estate file is reported.
 */
async function readerFor(flags: Flags, config: Config, io: DiscoverIo, started: Started): Promise<ArmHttpReader | undefined> {
  if (flags.estate === undefined) return azureReader(config);
  let estate;
  try {
    estate = await loadEstateFile(flags.estate);
  } catch (error) {
    if (!(error instanceof EstateFileError)) throw error;
    io.stderr(`topdeck discover: --estate: ${error.message}\n`);
    return undefined;
  }
  started.emulator = await startArmEmulator({ estate, ...emulatorOptionsFrom(flags) });
  return emulatorReader(started.emulator);
}

/** The same run service, scope lock and fence as the function app and serve (lib/runs/compose.ts). */
function runServiceFor(
  flags: Flags,
  config: Config,
  parts: {
    store: Store;
    log: Logger;
    reader: ArmHttpReader;
    emulator: ArmEmulator | undefined;
    devops: DevOpsOrgs;
    progress: ProgressLine;
  },
): RunService {
  const { reader, emulator, progress } = parts;
  const filter = {
    resourceGroups: flags["resource-group"],
    includeTypes: flags["include-type"],
    excludeTypes: flags["exclude-type"],
  };
  return createRunService(config, {
    store: parts.store,
    log: parts.log,
    reader: () => reader,
    ...(emulator === undefined ? {} : { endpoint: emulator.url }),
    ...(flags.subscription.length > 0 ? { subscriptions: flags.subscription } : {}),
    filter,
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(flags.quiet ? {} : { onProgress: (p) => progress.update(p) }),
    devops: parts.devops.source ?? null,
  });
}

/** One discover run under way: where it writes, what it runs on. */
interface DiscoverRun {
  flags: Flags;
  io: DiscoverIo;
  log: Logger;
  progress: ProgressLine;
  store: Store;
  service: RunService;
}

/** Runs the discovery, reports what it committed (or why nothing was), and says the exit code. */
async function runAndReport(run: DiscoverRun): Promise<DiscoverOutcome> {
  const inProcess = await runWithProgress(run);
  if (inProcess === undefined) return { code: 1 };
  const result = committedExport(run, inProcess);
  if (result === undefined) {
    await run.store.idle();
    return { code: 1 };
  }
  await writeAndSummarise(run, result);
  await run.store.idle();
  return { code: result.errors.length > 0 || devopsErrorCount(result) > 0 ? 1 : 0, export: result };
}

/** The run, in this process, with the progress line closed after it; undefined once an unavailable store is reported. */
async function runWithProgress({ service, log, progress, io }: DiscoverRun): Promise<InProcessRun | undefined> {
  let inProcess;
  try {
    inProcess = await runInProcess(service, { trigger: "cli", log, retryDelayMs: 200 });
  } catch (error) {
    if (!isStoreUnavailableError(error)) throw error;
    progress.done();
    io.stderr(`failed: the store is unavailable (${error.message}); no run was started, nothing was committed\n`);
    return undefined;
  }
  progress.done();
  return inProcess;
}

/** The export the run committed, or undefined once why nothing was committed is reported. */
function committedExport({ service, io }: DiscoverRun, inProcess: InProcessRun): TopologyExport | undefined {
  if (!inProcess.started) {
    const { refused } = inProcess;
    io.stderr(
      refused.reason === "held"
        ? `failed: run ${refused.runningRunId} holds the scope ${service.scope} (it is still running); nothing was committed\n`
        : `failed: the scope ${service.scope} is locked by a run start that never recorded its run; it expires within DISCOVERY_LOCK_TTL_MS; nothing was committed\n`,
    );
    return undefined;
  }
  if (inProcess.export === undefined) {
    const why = inProcess.view?.failure ?? `the run ended ${inProcess.view?.status ?? "unknown"}`;
    io.stderr(`failed: the snapshot was not committed (${why}); the previous one stays current\n`);
  }
  return inProcess.export;
}

/** Writes `--out`, then (unless `--quiet`) the summary and where the snapshot was committed. */
async function writeAndSummarise({ flags, io, store, service }: DiscoverRun, result: TopologyExport): Promise<void> {
  if (flags.out !== undefined) await writePrivateFile(flags.out, `${JSON.stringify(result, null, 2)}\n`);
  if (flags.quiet) return;
  const filtered = isFilteredScope(service.scope);
  io.stderr(summary(result, flags.out));
  io.stderr(
    `snapshot committed to the ${store.driver} store, ${filtered ? "filtered scope" : "scope"} ${service.scope}${filtered ? " (a filtered run never replaces the full snapshot)" : ""}\n`,
  );
}

/** The end-of-run summary: counts, then each recorded failure. */
export function summary(result: TopologyExport, out: string | undefined): string {
  const s = result.stats;
  const lines = [
    `discovered ${s.resources} resources in ${result.scope.subscriptions.length} subscription(s): ${s.edges} edges, ${result.external.length} external references`,
    `${s.requests} requests, ${s.throttled} throttled, ${s.retries} retries, ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  const stale = result.resources.filter((r) => r.stale === true).length;
  if (stale > 0) lines.push(`${stale} resources carried forward from the previous snapshot (stale)`);
  for (const e of result.errors) {
    lines.push(`failed: ${e.subscriptionId} ${e.type}: ${e.code} after ${e.attempts} attempt(s): ${e.message}`);
  }
  if (result.devops !== undefined) lines.push(...devopsSummary(result.devops));
  if (out !== undefined) lines.push(`export written to ${out}`);
  return `${lines.join("\n")}\n`;
}

/** The Azure DevOps lines of the summary: per organisation what was read, then each failure. */
function devopsSummary(section: NonNullable<TopologyExport["devops"]>): string[] {
  const lines: string[] = [];
  const count = (org: string, kind: string) => section.nodes.filter((n) => n.organization === org && n.kind === kind).length;
  // One lookup per run, not a scan of the nodes: an organisation has thousands of runs in a week.
  const organizationOf = new Map(section.nodes.map((n) => [n.key, n.organization]));
  for (const o of section.organizations) {
    const runs = section.runs.filter((r) => organizationOf.get(r.pipelineKey) === o.organization).length;
    lines.push(
      `Azure DevOps ${o.organization}: ${count(o.organization, "project")} project(s), ${count(o.organization, "pipeline")} pipeline(s), ${count(o.organization, "serviceConnection")} service connection(s), ${count(o.organization, "environment")} environment(s), ${runs} run(s) since ${o.windowStart}${o.stale === true ? `; could not be read, carried forward from ${o.readAt} (stale)` : ""}`,
    );
    for (const e of (Array.isArray(o.errors) ? o.errors : []) as { project?: string; what?: string; code?: string; message?: string }[]) {
      lines.push(
        `failed: Azure DevOps ${o.organization}${e.project === undefined ? "" : `/${e.project}`} ${e.what ?? ""}: ${e.code ?? ""}: ${e.message ?? ""}`,
      );
    }
  }
  const trusts = section.edges.filter((e) => e.relation === "trusts").length;
  lines.push(
    `Azure DevOps links: ${section.edges.length} (${section.edges.filter((e) => e.changeSource).length} change sources, ${trusts} from federated credentials)`,
  );
  return lines;
}
