import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";

import { discover, type DiscoverIo } from "./discover-command.js";
import { sampleEstatePath } from "./paths.js";

/** Usage of `topdeck demo`. */
export const demoUsage = `Usage: topdeck demo [--out-dir DIR]

Serves the sample estate (2 subscriptions, ~100 resources) with the ARM emulator, discovers it
with the same engine that runs against Azure, writes the export, and shows where to look.

  --out-dir DIR   where the export goes (default .topdeck)
`;

const processIo: DiscoverIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: process.stderr.isTTY === true,
  env: process.env,
};

/** `topdeck demo`. @returns 0 on success, 1 when the run recorded failures, 2 for bad usage. */
export async function demoCommand(args: string[], io: DiscoverIo = processIo): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(demoUsage);
    return 0;
  }
  let outDir = ".topdeck";
  const at = args.indexOf("--out-dir");
  if (at >= 0) {
    const value = args[at + 1];
    if (value === undefined || value.startsWith("--")) {
      io.stderr(`topdeck demo: --out-dir needs a DIR\n\n${demoUsage}`);
      return 2;
    }
    outDir = value;
  }
  const unknown = args.filter((_arg, i) => !(at >= 0 && (i === at || i === at + 1)));
  if (unknown.length > 0) {
    io.stderr(`topdeck demo: unknown argument '${unknown[0]}'\n\n${demoUsage}`);
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
  return code;
}
