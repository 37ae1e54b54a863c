import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

import { loadConfig } from "../lib/config/index.js";
import { createLogger } from "../lib/log/index.js";
import { devopsDemoLines } from "./demo-devops.js";
import { type DevOpsOrgs, startDevOpsOrgs } from "./devops-orgs.js";
import { discover, type DiscoverIo } from "./discover-command.js";
import { withSampleFederatedCredentials } from "./estates/sample/federated.js";
import { type Estate, loadEstateFile } from "./estates/schema.js";
import { sampleEstatePath } from "./paths.js";
import { parsePort, startServe, untilSignal } from "./serve-command.js";

/** Usage of `topdeck demo`. */
export const demoUsage = `Usage: topdeck demo [--out-dir DIR] [--port N] [--no-serve]

Serves the sample estate (2 subscriptions, ~100 resources, plus federated credentials on its
identities) with the ARM emulator and the sample Azure DevOps organisation linked to it with the
Azure DevOps emulator, discovers both with the same engine that runs against Azure, writes the
export, shows where to look (for the sample web app: the pipelines that can deploy to it and the
run that last did), and then serves the HTTP API over it (as \`topdeck serve\`) until Ctrl+C,
printing the URLs to try.

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
  // The sample estate with its identities' federated credentials: the ARM side of the DevOps links.
  const estate = withSampleFederatedCredentials(await loadEstateFile(sampleEstatePath()));
  const estateFile = join(outDir, "demo-estate.json");
  await writeFile(estateFile, `${JSON.stringify(estate, null, 2)}\n`);
  const log = createLogger({ level: "warn", write: (line) => io.stderr(`${line}\n`) });
  // Started here, not by discover, so that it keeps serving while the API does.
  const devops = await startDevOpsOrgs(["sample"], loadConfig(io.env), log);
  try {
    return await discoverAndServe({ io, outDir, port, serve, until, estate, estateFile, devops });
  } finally {
    await devops.close();
  }
}

/** The demo once its emulated estate and organisation are ready: discover, show, serve. */
async function discoverAndServe(d: {
  io: DiscoverIo;
  outDir: string;
  port: number;
  serve: boolean;
  until: () => Promise<void>;
  estate: Estate;
  estateFile: string;
  devops: DevOpsOrgs;
}): Promise<number> {
  const { io } = d;
  const out = join(d.outDir, "demo-export.json");
  io.stderr(
    `topdeck demo: discovering the sample estate (ARM emulator) and the sample Azure DevOps organisation (Azure DevOps emulator)\n`,
  );
  const { code, export: result } = await discover(["--estate", d.estateFile, "--out", out], io, { devops: d.devops });
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
      `  the export (format version ${result.version}):  ${relative(process.cwd(), out) || out}`,
      `  edges by relation:              ${[...byRelation].map(([r, n]) => `${r} ${n}`).join(", ")}`,
      `  most depended-on resources:`,
      ...top.map(([key, n]) => `    ${String(n).padStart(3)} direct dependents  ${key}`),
      `  every edge says what depends on what, and the JSON path it was read from ("via").`,
      ...devopsDemoLines(result),
      "",
    ].join("\n"),
  );
  if (!d.serve) return code;
  // The emulators keep serving the sample estate and organisation, so POST /api/discovery/runs works in the demo too.
  const running = await startServe({
    io,
    port: d.port,
    snapshot: result,
    estate: d.estate,
    ...(d.devops.source === undefined ? {} : { devops: d.devops.source }),
  });
  try {
    await d.until();
  } finally {
    await running.close();
  }
  return code;
}
