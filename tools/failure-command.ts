/**
 * `topdeck impact` and `topdeck scenario` (docs/interfaces.md section 2): the failure model over an
 * export file, for people without the app. A readable summary (entry points down and degraded
 * first) or, with --json, the answer `GET /api/impact` and `POST /api/scenarios` give.
 */
import { readFile } from "node:fs/promises";

import { z } from "zod";

import {
  buildFailureModel,
  buildGraph,
  exportSchema,
  type FailureAnswer,
  type FailureEntry,
  type FailureReason,
  scenarioAnswer,
  type TopologyExport,
  type ZoneRef,
} from "../lib/topology/index.js";
import { parseCommandFlags } from "./flags.js";

/** Usage of `topdeck impact`. */
export const impactUsage = `Usage: topdeck impact --export FILE --id ID [--json]

What is down, degraded, observability-only and unknown if one resource fails, over an export
file (topdeck discover --out). Entry points down and degraded first.

  --export FILE   the export (format version 1)
  --id ID         the resource: its ARM id or key, any casing
  --json          print the answer GET /api/impact gives (first 100 of each list, exact totals)
`;

/** Usage of `topdeck scenario`. */
export const scenarioUsage = `Usage: topdeck scenario --export FILE (--id ID | --zone REGION/ZONE | --region REGION)... [--json]

What is down, degraded, observability-only and unknown when resources, zones or regions fail,
over an export file. Flags repeat and combine: --zone westeurope/1 --id /subscriptions/…

  --export FILE         the export (format version 1)
  --id ID               fail a resource (ARM id or key, any casing)
  --zone REGION/ZONE    fail one availability zone of a region, e.g. westeurope/1
  --region REGION       fail a whole region, e.g. northeurope
  --json                print the answer POST /api/scenarios gives
`;

/** Where the commands write. */
export interface FailureCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: FailureCommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const many = z.array(z.string().min(1, "must not be empty")).optional();
const zoneFlag = z.string().regex(/^[^/]+\/[1-9]\d?$/, "must be REGION/ZONE, e.g. westeurope/1");
const impactFlags = z.object({
  export: z.string({ message: "is required" }).min(1),
  id: z.string({ message: "is required" }).min(1),
  json: z.boolean().optional(),
});
const scenarioFlags = z.object({
  export: z.string({ message: "is required" }).min(1),
  id: many,
  zone: z.array(zoneFlag).optional(),
  region: many,
  json: z.boolean().optional(),
});

/** Lines shown per list in the summary. */
const SHOWN = 15;

/** `topdeck impact`. @returns 0, or 2 for bad flags, an unreadable export or an unknown id. */
export async function impactCommand(args: string[], io: FailureCommandIo = processIo): Promise<number> {
  const flags = parseCommandFlags(args, { export: { type: "string" }, id: { type: "string" }, json: { type: "boolean" } }, impactFlags);
  if (typeof flags === "string") return usage(io, "impact", flags, impactUsage);
  if ("help" in flags) {
    io.stdout(impactUsage);
    return 0;
  }
  return answer(io, "impact", flags.export, [flags.id], [], [], flags.json === true);
}

/** `topdeck scenario`. @returns 0, or 2 for bad flags, an unreadable export or an unknown id. */
export async function scenarioCommand(args: string[], io: FailureCommandIo = processIo): Promise<number> {
  const flags = parseCommandFlags(
    args,
    {
      export: { type: "string" },
      id: { type: "string", multiple: true },
      zone: { type: "string", multiple: true },
      region: { type: "string", multiple: true },
      json: { type: "boolean" },
    },
    scenarioFlags,
  );
  if (typeof flags === "string") return usage(io, "scenario", flags, scenarioUsage);
  if ("help" in flags) {
    io.stdout(scenarioUsage);
    return 0;
  }
  const zones = (flags.zone ?? []).map((z): ZoneRef => {
    const at = z.lastIndexOf("/");
    return { region: z.slice(0, at), zone: z.slice(at + 1) };
  });
  if ((flags.id ?? []).length + zones.length + (flags.region ?? []).length === 0)
    return usage(io, "scenario", "name at least one --id, --zone or --region", scenarioUsage);
  return answer(io, "scenario", flags.export, flags.id ?? [], zones, flags.region ?? [], flags.json === true);
}

function usage(io: FailureCommandIo, command: string, message: string, text: string): number {
  io.stderr(`topdeck ${command}: ${message}\n\n${text}`);
  return 2;
}

async function answer(
  io: FailureCommandIo,
  command: string,
  file: string,
  ids: string[],
  zones: ZoneRef[],
  regions: string[],
  json: boolean,
): Promise<number> {
  let exp: TopologyExport;
  try {
    const parsed = exportSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success)
      return usage(
        io,
        command,
        `--export ${file} is not an export (format version 1): ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`,
        "",
      );
    exp = parsed.data;
  } catch (error) {
    io.stderr(`topdeck ${command}: --export ${file} could not be read: ${(error as Error).message}\n`);
    return 2;
  }
  const graph = buildGraph(exp);
  const nodes: number[] = [];
  for (const id of ids) {
    const node = graph.idOf(id);
    if (node === undefined) {
      io.stderr(`topdeck ${command}: --id ${id} is not a resource of ${file}\n`);
      return 2;
    }
    nodes.push(node);
  }
  const result = scenarioAnswer(buildFailureModel(graph), nodes, { zones, regions });
  io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : summary(result));
  return 0;
}

const describeReason = (reason: FailureReason): string => {
  switch (reason.kind) {
    case "failed":
      return reason.cause.kind === "id"
        ? "failed"
        : reason.cause.kind === "region"
          ? `region ${reason.cause.region} down`
          : `zone ${reason.cause.region}/${reason.cause.zones.join(",")} down`;
    case "placement":
      return `placement unknown: ${reason.detail}`;
    case "group":
      return `${reason.group}: lost ${reason.lost} of ${reason.of}${reason.need > 1 ? `, needs ${reason.need}` : ""}`;
    case "path":
      return `via ${reason.path
        .slice(1)
        .map((k) => k.split("/").at(-1))
        .join(" → ")}`;
  }
};

function section(title: string, total: number, entries: FailureEntry[]): string[] {
  if (total === 0) return [`${title}: none`];
  const lines = entries.slice(0, SHOWN).map((e) => `  ${e.name} (${e.type})  ${describeReason(e.reason)}`);
  if (total > lines.length) lines.push(`  … and ${total - lines.length} more (--json for the first 100, the API for all)`);
  return [`${title} (${total}):`, ...lines];
}

/** The readable summary of an answer: entry points down and degraded first. */
export function summary(a: FailureAnswer): string {
  const failed = [
    ...a.scenario.ids.map((k) => k.split("/").at(-1)!),
    ...a.scenario.zones.map((z) => `zone ${z.region}/${z.zone}`),
    ...a.scenario.regions.map((r) => `region ${r}`),
  ];
  return [
    `Failing: ${failed.join(", ")}`,
    "",
    ...section("Entry points down", a.totals.entryPointsDown, a.entryPoints.down),
    ...section("Entry points degraded", a.totals.entryPointsDegraded, a.entryPoints.degraded),
    "",
    ...section("Down", a.totals.down, a.down),
    ...section("Degraded", a.totals.degraded, a.degraded),
    ...section("Observability only", a.totals.observability, a.observability),
    ...section("Unknown (placement not known)", a.totals.unknown, a.unknown),
    "",
  ].join("\n");
}
