import { z } from "zod";

import type { ArmHttpReader } from "../lib/azure/arm-http.js";
import { discoverAndCommit } from "../lib/azure/discovery-service.js";
import { azureReader, emulatorReader } from "../lib/azure/readers.js";
import { createStore } from "../lib/cache/index.js";
import { isConfigError, loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import type { TopologyExport } from "../lib/topology/export-format.js";
import { emulatorFlagOptions, emulatorFlagsShape, emulatorOptionsFrom } from "./arm-emulator/command.js";
import { type ArmEmulator, startArmEmulator } from "./arm-emulator/index.js";
import { EstateFileError, loadEstateFile } from "./estates/schema.js";
import { parseCommandFlags } from "./flags.js";
import { writePrivateFile } from "./private-file.js";
import { ProgressLine } from "./progress.js";

/** Usage of `topdeck discover` (contracts.md section 2). */
export const discoverUsage = `Usage: topdeck discover [--subscription ID ...] [--estate FILE [emulator flags]]
                        [--resource-group NAME ...] [--include-type TYPE ...] [--exclude-type TYPE ...]
                        [--concurrency N] [--out FILE] [--quiet]

Runs one discovery: against Azure with DefaultAzureCredential (az login locally; the identity needs
Reader on each subscription), or against an emulated estate when --estate is given. Progress goes
to stderr; --out writes the export (format version 1).

  --subscription ID     a subscription to discover; repeat for more (default: TOPDECK_SUBSCRIPTIONS,
                        else every subscription the identity can see)
  --estate FILE         serve FILE with the ARM emulator and discover it
  --resource-group NAME only this resource group; repeat for more
  --include-type TYPE   only this type (e.g. Microsoft.Web/sites); repeat for more
  --exclude-type TYPE   never this type; repeat for more
  --concurrency N       resource types read at once per subscription (default: DISCOVERY_CONCURRENCY)
  --out FILE            write the export as JSON to FILE
  --quiet               no progress line or summary
  emulator flags        --latency-ms N, --page-size N, --throttle B/R|off, --fault-rate X, --seed N, --port N

Exit codes: 0 success; 1 finished with recorded failures; 2 bad usage or configuration.
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

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const typeName = /^[A-Za-z0-9.]+(\/[A-Za-z0-9]+)+$/;

const flagsSchema = z.object({
  subscription: z.array(z.string().regex(guid, "must be a subscription GUID")).default([]),
  estate: z.string().min(1, "needs a FILE").optional(),
  "resource-group": z.array(z.string().regex(/^[-\w._()]{1,90}$/, "must be a resource group name")).default([]),
  "include-type": z.array(z.string().regex(typeName, "must be a type like Microsoft.Web/sites")).default([]),
  "exclude-type": z.array(z.string().regex(typeName, "must be a type like Microsoft.Web/sites")).default([]),
  concurrency: z.string().regex(/^\d+$/, "must be an integer from 1 to 256").transform(Number).refine((n) => n >= 1 && n <= 256, "must be an integer from 1 to 256").optional(),
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

/** Runs `topdeck discover` and hands back the export as well as the exit code. */
export async function discover(args: string[], io: DiscoverIo = processIo): Promise<DiscoverOutcome> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    io.stderr(`topdeck discover: ${flags}\n\n${discoverUsage}`);
    return { code: 2 };
  }
  if ("help" in flags) {
    io.stdout(discoverUsage);
    return { code: 0 };
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.stderr(`topdeck discover: ${error.message}\n`);
    return { code: 2 };
  }

  let emulator: ArmEmulator | undefined;
  try {
    let reader: ArmHttpReader;
    if (flags.estate !== undefined) {
      let estate;
      try {
        estate = await loadEstateFile(flags.estate);
      } catch (error) {
        if (!(error instanceof EstateFileError)) throw error;
        io.stderr(`topdeck discover: --estate: ${error.message}\n`);
        return { code: 2 };
      }
      emulator = await startArmEmulator({ estate, ...emulatorOptionsFrom(flags) });
      reader = emulatorReader(emulator);
    } else {
      reader = azureReader(config);
    }

    const progress = new ProgressLine(io.stderr, io.isTty);
    const subscriptions = flags.subscription.length > 0 ? flags.subscription : config.TOPDECK_SUBSCRIPTIONS;
    // Log lines go to stderr, so stdout stays for what a script reads.
    const log = createLogger({ level: "warn", write: (line) => io.stderr(`${line}\n`) });
    const store = createStore(config, log);
    const run = await discoverAndCommit({
      store,
      log,
      endpoint: emulator?.url ?? config.ARM_ENDPOINT,
      reader,
      subscriptions,
      concurrency: flags.concurrency ?? config.DISCOVERY_CONCURRENCY,
      filter: {
        resourceGroups: flags["resource-group"],
        includeTypes: flags["include-type"],
        excludeTypes: flags["exclude-type"],
      },
      ...(flags.quiet ? {} : { onProgress: (p) => progress.update(p) }),
    });
    progress.done();
    const result = run.export;
    if (flags.out !== undefined) await writePrivateFile(flags.out, `${JSON.stringify(result, null, 2)}\n`);
    if (!flags.quiet) {
      io.stderr(summary(result, flags.out));
      io.stderr(
        run.committed
          ? `snapshot committed to the ${store.driver} store, scope ${run.scope}\n`
          : `failed: the snapshot could not be committed (${run.commitError ?? "unknown"}); the previous one stays current\n`,
      );
    }
    await store.idle();
    return { code: result.errors.length > 0 || !run.committed ? 1 : 0, export: result };
  } finally {
    await emulator?.close();
  }
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
  if (out !== undefined) lines.push(`export written to ${out}`);
  return `${lines.join("\n")}\n`;
}
