import { requirePrometheus } from "./collectors.js";
import type { MonitoringContext, MonitoringRequest } from "./context.js";
import { readSignals, type ResourceSignals } from "./read-signals.js";
import { resolveResource } from "./resolve-resource.js";
import type { TimeRange } from "./time-range.js";

/** The answer of `GET /api/monitoring/metrics`. */
export interface ResourceMetrics extends ResourceSignals {
  range: TimeRange;
}

/**
 * The resource's signals over the range (series, latest value against its threshold, anomalies),
 * from its template's queries.
 * @throws UnknownResourceError (404), MonitoringNotConfiguredError naming PROMETHEUS_URL (503),
 * MonitoringUnavailableError (503; 504 for `reason: "timeout"`).
 */
export async function metricsFor(request: MonitoringRequest, context: MonitoringContext): Promise<ResourceMetrics> {
  const prometheus = requirePrometheus(context.collectors, "Metrics");
  const { resource } = resolveResource(context, request.key);
  const signals = await readSignals(resource, request.range, prometheus, context);
  return { ...signals, range: request.range };
}
