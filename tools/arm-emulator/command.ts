import { z } from "zod";

import { type CommandIo, processCommandIo } from "../command-io.js";
import { EstateFileError, loadEstateFile } from "../estates/schema.js";
import { parseCommandFlags } from "../flags.js";
import { startArmEmulator } from "./server.js";
import type { ThrottleSettings } from "./types.js";

/** Usage of `topdeck emulator` (docs/interfaces.md section 2). */
export const emulatorUsage = `Usage: topdeck emulator --estate FILE [--port 0] [--latency-ms 0] [--page-size 100]
                        [--throttle BURST/REFILL_PER_S | --throttle off] [--fault-rate 0..1] [--seed N]

Serves an estate file over HTTPS as Azure Resource Manager does. When ready, prints one JSON line
{"url":"https://127.0.0.1:PORT","caCertPath":"/path/to/ca.pem"} and serves until SIGINT or SIGTERM.

  --estate FILE        estate file to serve (required)
  --port N             TCP port on 127.0.0.1 (default 0: a free port)
  --latency-ms N       delay before every response (default 0)
  --page-size N        items per page of every list (default 100)
  --throttle B/R|off   read token bucket per subscription: burst B, refill R per second (default 250/25)
  --fault-rate X       share of requests, 0..1, answered with a fault instead (default 0)
  --seed N             seed of the fault sequence (default 1)
`;

/** Where the command writes and how it learns to stop; the process by default. */
const integer = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^-?\d+$/, `must be ${what}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${what}`);

/** The emulator's flags other than --estate, shared with `topdeck discover --estate`. */
export const emulatorFlagsShape = {
  port: integer(0, 65535, "an integer from 0 to 65535").default(0),
  "latency-ms": integer(0, 3_600_000, "an integer number of milliseconds from 0").default(0),
  "page-size": integer(1, 100_000, "an integer of at least 1").default(100),
  throttle: z
    .string()
    .regex(/^(off|\d+\/\d+(\.\d+)?)$/, "must be BURST/REFILL_PER_S (like 250/25) or off")
    .transform((s): ThrottleSettings | "off" => {
      if (s === "off") return "off";
      const [burst, refill] = s.split("/").map(Number);
      return { burst: burst ?? 0, refillPerSecond: refill ?? 0 };
    })
    .refine((t) => t === "off" || (t.burst >= 1 && t.refillPerSecond > 0), "needs a burst of at least 1 and a refill above 0")
    .optional(),
  "fault-rate": z
    .string()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, "must be a number from 0 to 1")
    .transform(Number)
    .refine((n) => n >= 0 && n <= 1, "must be a number from 0 to 1")
    .default(0),
  seed: integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, "an integer").default(1),
};

const flagsSchema = z.object({
  estate: z.string({ error: "FILE is required" }).min(1, "FILE is required"),
  ...emulatorFlagsShape,
});

const stringFlag = { type: "string" } as const;

/** parseArgs options of the emulator flags other than --estate. */
export const emulatorFlagOptions = {
  port: stringFlag,
  "latency-ms": stringFlag,
  "page-size": stringFlag,
  throttle: stringFlag,
  "fault-rate": stringFlag,
  seed: stringFlag,
} as const;

/** The emulator options the shared flags map to. */
export function emulatorOptionsFrom(flags: z.infer<z.ZodObject<typeof emulatorFlagsShape>>) {
  return {
    port: flags.port,
    latencyMs: flags["latency-ms"],
    pageSize: flags["page-size"],
    faultRate: flags["fault-rate"],
    seed: flags.seed,
    ...(flags.throttle === undefined ? {} : { throttle: flags.throttle }),
  };
}

/** Parses the flags; a string is the usage error, naming the flag. */
function parseFlags(args: string[]): z.infer<typeof flagsSchema> | { help: true } | string {
  return parseCommandFlags(args, { estate: stringFlag, ...emulatorFlagOptions }, flagsSchema);
}

/**
 * `topdeck emulator`: serves an estate file until SIGINT/SIGTERM. Prints one JSON line with the
 * URL and CA path when ready. @returns 0 after a clean stop, 2 for bad flags or a bad estate file.
 */
export async function emulatorCommand(args: string[], io: CommandIo = processCommandIo): Promise<number> {
  const flags = parseFlags(args);
  if (typeof flags === "string") {
    io.stderr(`topdeck emulator: ${flags}\n\n${emulatorUsage}`);
    return 2;
  }
  if ("help" in flags) {
    io.stdout(emulatorUsage);
    return 0;
  }
  let estate;
  try {
    estate = await loadEstateFile(flags.estate);
  } catch (error) {
    if (!(error instanceof EstateFileError)) throw error;
    io.stderr(`topdeck emulator: --estate: ${error.message}\n`);
    return 2;
  }
  let emulator;
  try {
    emulator = await startArmEmulator({ estate, ...emulatorOptionsFrom(flags) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" && (error as NodeJS.ErrnoException).code !== "EACCES") throw error;
    io.stderr(`topdeck emulator: --port ${flags.port}: ${(error as Error).message}\n`);
    return 2;
  }
  io.stdout(`${JSON.stringify({ url: emulator.url, caCertPath: emulator.caCertPath })}\n`);
  const resources = estate.subscriptions.reduce((n, s) => n + s.resources.length, 0);
  io.stderr(`ARM emulator: ${resources} resources in ${estate.subscriptions.length} subscriptions at ${emulator.url} (Ctrl+C to stop)\n`);
  await io.waitForStop();
  await emulator.close();
  return 0;
}
