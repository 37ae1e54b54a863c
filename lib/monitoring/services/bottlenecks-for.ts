import { type BottleneckRanking, type PathResource, rankBottlenecks } from "../analysis/bottlenecks.js";
import { requirePrometheus } from "./collectors.js";
import type { MonitoringContext, MonitoringRequest } from "./context.js";
import { readSignals } from "./read-signals.js";
import { dependencyPath } from "./resolve-resource.js";
import { settleAll } from "./settle-all.js";
import type { TimeRange } from "./time-range.js";

/** The answer of `GET /api/monitoring/bottlenecks`. */
export interface PathBottlenecks extends BottleneckRanking {
  key: string;
  depth: number;
  range: TimeRange;
  /** Resources on the path that could not be read, and why. */
  unmonitored: Array<{ key: string; distance: number; reason: string }>;
}

/**
 * Bottlenecks along the resource's dependency path (itself and what it depends on, to `depth`
 * hops, default 3): every resource's latency, errors and saturation against their thresholds and
 * baselines, ranked, with the likely cause.
 * @throws UnknownResourceError (404), MonitoringNotConfiguredError naming PROMETHEUS_URL (503),
 * MonitoringUnavailableError (503).
 */
export async function bottlenecksFor(request: MonitoringRequest, context: MonitoringContext): Promise<PathBottlenecks> {
  const prometheus = requirePrometheus(context.collectors, "Bottleneck detection");
  const depth = request.depth ?? 3;
  const path = dependencyPath(context, request.key, depth);
  const unmonitored: PathBottlenecks["unmonitored"] = [];
  const read = await settleAll(
    path,
    async (entry): Promise<PathResource> => {
      if (!entry.resource) {
        unmonitored.push({ key: entry.key, distance: entry.distance, reason: "not described in the topology" });
        return { key: entry.key, distance: entry.distance, type: "unknown", readings: [] };
      }
      const signals = await readSignals(entry.resource, request.range, prometheus, context);
      if (!signals.monitored) unmonitored.push({ key: entry.key, distance: entry.distance, reason: signals.reason ?? "not monitored" });
      return {
        key: entry.key,
        distance: entry.distance,
        type: signals.type,
        ...(signals.kind !== undefined && { kind: signals.kind }),
        readings: signals.readings,
      };
    },
    { concurrency: 4, ...(context.signal && { signal: context.signal }) },
  );
  unmonitored.sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
  return { key: path[0]!.key, depth, range: request.range, ...rankBottlenecks(read), unmonitored };
}
