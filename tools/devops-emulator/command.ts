import { z } from "zod";

import { type CommandIo, processCommandIo } from "../command-io.js";
import { parseCommandFlags } from "../flags.js";
import { loadOrganisationFile, type Organisation, OrganisationFileError, parseOrganisation } from "./organisation.js";
import { sampleOrganisation } from "./sample-org.js";
import { startDevOpsEmulator } from "./server.js";

/** Usage of `topdeck devops-emulator`. */
export const devopsEmulatorUsage = `Usage: topdeck devops-emulator --org FILE|sample [--port 0] [--latency-ms 0] [--page-size 100]
                               [--limit PER_MINUTE | --limit off] [--fault-rate 0..1] [--seed N]

Serves an Azure DevOps organisation file over HTTPS as Azure DevOps does (docs/interfaces.md). When
ready, prints one JSON line {"url":"https://127.0.0.1:PORT/ORG","caCertPath":"/path/to/ca.pem","pat":"…"}
and serves until SIGINT or SIGTERM.

  --org FILE|sample    organisation file to serve, or the bundled sample organisation (required)
  --port N             TCP port on 127.0.0.1 (default 0: a free port)
  --latency-ms N       delay before every response (default 0)
  --page-size N        largest page of every paged list (default 100)
  --limit N|off        requests per sliding minute before 429s (default 200)
  --fault-rate X       share of GETs, 0..1, answered with a 503 instead (default 0)
  --seed N             seed of the fault sequence (default 1)
`;

const integer = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${what}`);

const flagsSchema = z.object({
  org: z.string({ error: "FILE is required" }).min(1, "FILE is required"),
  port: integer(0, 65535, "an integer from 0 to 65535").default(0),
  "latency-ms": integer(0, 3_600_000, "an integer number of milliseconds from 0").default(0),
  "page-size": integer(1, 100_000, "an integer of at least 1").default(100),
  limit: z
    .string()
    .regex(/^(off|[1-9]\d*)$/, "must be a positive integer or off")
    .transform((s) => (s === "off" ? ("off" as const) : { perMinute: Number(s) }))
    .optional(),
  "fault-rate": z
    .string()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, "must be a number from 0 to 1")
    .transform(Number)
    .refine((n) => n <= 1, "must be a number from 0 to 1")
    .default(0),
  seed: integer(0, Number.MAX_SAFE_INTEGER, "a non-negative integer").default(1),
});

const s = { type: "string" } as const;

/**
 * `topdeck devops-emulator`: serves an organisation file until SIGINT/SIGTERM.
 * @returns 0 after a clean stop, 2 for bad flags or a bad organisation file.
 */
export async function devopsEmulatorCommand(args: string[], io: CommandIo = processCommandIo): Promise<number> {
  const flags = parseCommandFlags(
    args,
    { org: s, port: s, "latency-ms": s, "page-size": s, limit: s, "fault-rate": s, seed: s },
    flagsSchema,
  );
  if (typeof flags === "string") {
    io.stderr(`topdeck devops-emulator: ${flags}\n\n${devopsEmulatorUsage}`);
    return 2;
  }
  if ("help" in flags) {
    io.stdout(devopsEmulatorUsage);
    return 0;
  }
  let org: Organisation;
  try {
    org = flags.org === "sample" ? parseOrganisation(sampleOrganisation) : await loadOrganisationFile(flags.org);
  } catch (error) {
    if (!(error instanceof OrganisationFileError)) throw error;
    io.stderr(`topdeck devops-emulator: --org: ${error.message}\n`);
    return 2;
  }
  const pat = "emulator-pat";
  const emulator = await startDevOpsEmulator({
    org,
    port: flags.port,
    latencyMs: flags["latency-ms"],
    pageSize: flags["page-size"],
    faultRate: flags["fault-rate"],
    seed: flags.seed,
    pat,
    ...(flags.limit === undefined ? {} : { limit: flags.limit }),
  });
  io.stdout(`${JSON.stringify({ url: emulator.orgUrl, caCertPath: emulator.caCertPath, pat })}\n`);
  io.stderr(`Azure DevOps emulator: organisation ${org.name}, ${org.projects.length} projects at ${emulator.orgUrl} (Ctrl+C to stop)\n`);
  await io.waitForStop();
  await emulator.close();
  return 0;
}
