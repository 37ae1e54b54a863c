import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";

import { discover, type DiscoverIo } from "./discover-command.js";
import { loadEstateFile } from "./estates/schema.js";
import { sampleEstatePath } from "./paths.js";
import { parsePort, startServe, untilSignal } from "./serve-command.js";

/** Usage of `topdeck demo`. */
export const demoUsage = `Usage: topdeck demo [--out-dir DIR] [--port N] [--no-serve]

Serves the sample estate (2 subscriptions, ~100 resources) with the ARM emulator, discovers it
with the same engine that runs against Azure, writes the export, shows where to look, and then
serves the HTTP API over it (as \`topdeck serve\`) until Ctrl+C, printing the URLs to try.

  --out-dir DIR   where the export goes (default .topdeck)
  --port N        port of the API (default 7071; 0 picks a free one)
  --no-serve      stop after discovery (for scripts and CI)
`;

const processIo: DiscoverIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY === true,
  env: process.env,
};

/**
 * `topdeck demo`. Unless `--no-serve`, ends serving the API over the discovered snapshot until
 * `until` resolves (default: SIGINT or SIGTERM).
 * @returns 0 on success, 1 when the run recorded failures, 2 for bad usage.
 */
export async function demoCommand(args: string[], io: DiscoverIo = processIo, until: () => Promise<void> = untilSignal): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(demoUsage);
    return 0;
  }
  let outDir = ".topdeck";
  let portFlag: string | undefined;
  let serve = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--no-serve") {
      serve = false;
      continue;
    }
    if (arg === "--out-dir" || arg === "--port") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) {
        io.stderr(`topdeck demo: ${arg} needs a ${arg === "--port" ? "port" : "DIR"}\n\n${demoUsage}`);
        return 2;
      }
      if (arg === "--out-dir") outDir = value;
      else portFlag = value;
      i++;
      continue;
    }
    io.stderr(`topdeck demo: unknown argument '${arg}'\n\n${demoUsage}`);
    return 2;
  }
  const port = parsePort(portFlag);
  if (typeof port === "string") {
    io.stderr(`topdeck demo: ${port}\n\n${demoUsage}`);
    return 2;
  }
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, "demo-export.json");
  io.stderr(`topdeck demo: discovering the sample estate served by the ARM emulator\n`);
  const { code, export: result } = await discover(["--estate", sampleEstatePath(), "--out", out], io);
  if (result === undefined) return code;
  const byRelation = new Map<string, number>();
  for (const e of result.edges) byRelation.set(e.relation, (byRelation.get(e.relation) ?? 0) + 1);
  const hubs = new Map<string, number>();
  for (const e of result.edges) if (e.relation !== "contains") hubs.set(e.to, (hubs.get(e.to) ?? 0) + 1);
  const top = [...hubs].sort((a, b) => b[1] - a[1]).slice(0, 5);
  io.stdout(
    [
      "",
      `Where to look:`,
      `  the export (format version 1):  ${relative(process.cwd(), out) || out}`,
      `  edges by relation:              ${[...byRelation].map(([r, n]) => `${r} ${n}`).join(", ")}`,
      `  most depended-on resources:`,
      ...top.map(([key, n]) => `    ${String(n).padStart(3)} direct dependents  ${key}`),
      `  every edge says what depends on what, and the JSON path it was read from ("via").`,
      "",
    ].join("\n"),
  );
  if (!serve) return code;
  // The emulator keeps serving the sample estate, so POST /api/discovery/runs works in the demo too.
  const running = await startServe({ io, port, snapshot: result, estate: await loadEstateFile(sampleEstatePath()) });
  try {
    await until();
  } finally {
    await running.close();
  }
  return code;
}
