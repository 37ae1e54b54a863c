import { z } from "zod";

import { exportSchema, type TopologyExport } from "../../topology/export-format.js";
import { SnapshotError } from "../errors/snapshot-error.js";
import type { SnapshotManifest } from "./manifest.js";

/** The top of an export, checked on every read without walking 100,000 resources. */
const shallowExportSchema = z.looseObject({
  version: z.union([z.literal(1), z.literal(2)]),
  runId: z.string(),
  resources: z.array(z.unknown()),
  external: z.array(z.unknown()),
  edges: z.array(z.unknown()),
  errors: z.array(z.unknown()),
  stats: z.looseObject({}),
});

/**
 * Checks a decoded snapshot. The checksum already proved these are the bytes the writer
 * compressed; `shallow` checks that they are the export the manifest describes (version, run id,
 * counts), `full` also runs the export schema over every resource and edge.
 * @throws SnapshotError `unreadable` naming the first problem.
 */
export function checkExport(decoded: unknown, manifest: SnapshotManifest, level: "shallow" | "full"): TopologyExport {
  if (level === "full") {
    const parsed = exportSchema.safeParse(decoded);
    if (!parsed.success) throw new SnapshotError("unreadable", `not an export: ${parsed.error.issues[0]?.message ?? "?"}`);
    return parsed.data;
  }
  const shape = shallowExportSchema.safeParse(decoded);
  if (!shape.success) throw new SnapshotError("unreadable", `not an export: ${shape.error.issues[0]?.message ?? "?"}`);
  const { runId, resources, edges } = shape.data;
  if (runId !== manifest.runId || resources.length !== manifest.resources || edges.length !== manifest.edges) {
    throw new SnapshotError(
      "unreadable",
      `the export does not match its manifest (run ${runId}, ${resources.length} resources, ${edges.length} edges)`,
    );
  }
  return decoded as TopologyExport;
}
