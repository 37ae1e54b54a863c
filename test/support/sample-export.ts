/**
 * The sample estate (tools/estates/sample.json) as an export, built offline the way discovery
 * builds it: every payload normalized, embedded subnets lifted out unless read on their own,
 * edges inferred over the whole set. Cached per process.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { TopologyExport } from "../../lib/topology/export-format.js";
import { exportFromPayloads } from "../../tools/estates/offline-export.js";
import { loadEstateFile } from "../../tools/estates/schema.js";

// Path arithmetic, not `new URL(…, import.meta.url)`: under jsdom the global URL resolves against http://localhost.
const samplePath = join(dirname(fileURLToPath(import.meta.url)), "../../tools/estates/sample.json");

let cached: Promise<TopologyExport> | undefined;

async function build(): Promise<TopologyExport> {
  const estate = await loadEstateFile(samplePath);
  const exported = exportFromPayloads(estate, {
    runId: "sample",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
  });
  return { ...exported, stats: { ...exported.stats, durationMs: 1000 } };
}

/** The sample estate's export. Treat it as read-only: every caller in the process shares it. */
export function sampleExport(): Promise<TopologyExport> {
  cached ??= build();
  return cached;
}
