import { assessHealth, type HealthAssessment } from "../analysis/health-score.js";
import { isMonitoringUnavailableError } from "../errors/monitoring-unavailable-error.js";
import { requirePrometheus } from "./collectors.js";
import type { MonitoringContext, MonitoringRequest } from "./context.js";
import { readSignals } from "./read-signals.js";
import { resolveResource } from "./resolve-resource.js";
import type { TimeRange } from "./time-range.js";

/** The answer of `GET /api/monitoring/health`. */
export interface ResourceHealth extends HealthAssessment {
  key: string;
  type: string;
  kind?: string;
  range: TimeRange;
  /** Whether Prometheus answered; when it did not, the status is `unknown` and `error` says why. */
  source: { backend: "prometheus"; available: boolean; error?: { code: string; reason: string; message: string } };
}

/**
 * The resource's health score and status (formula in docs/monitoring.md). It tells the truth: an
 * unreachable Prometheus, a type without a template, or no data make the status `unknown` with a
 * reason, never `healthy`.
 * @throws UnknownResourceError (404), MonitoringNotConfiguredError naming PROMETHEUS_URL (503).
 */
export async function healthFor(request: MonitoringRequest, context: MonitoringContext): Promise<ResourceHealth> {
  const prometheus = requirePrometheus(context.collectors, "Health");
  const { resource } = resolveResource(context, request.key);
  const base = { key: resource.key, type: resource.type, range: request.range };
  try {
    const signals = await readSignals(resource, request.range, prometheus, context);
    const assessment = assessHealth(signals.readings);
    if (!signals.monitored && signals.reason !== undefined) assessment.reasons.unshift(signals.reason);
    return {
      ...base,
      ...(signals.kind !== undefined && { kind: signals.kind }),
      ...assessment,
      source: { backend: "prometheus", available: true },
    };
  } catch (e) {
    if (!isMonitoringUnavailableError(e)) throw e;
    return {
      ...base,
      status: "unknown",
      score: null,
      signals: [],
      reasons: [`Prometheus is unavailable (${e.reason}): health cannot be judged`],
      coverage: { withData: 0, expected: 0 },
      source: { backend: "prometheus", available: false, error: { code: e.code, reason: e.reason, message: e.message } },
    };
  }
}
