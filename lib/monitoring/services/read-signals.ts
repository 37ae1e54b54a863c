import { activeAnomalies } from "../analysis/active-anomalies.js";
import { detectAnomalies } from "../analysis/detect-anomalies.js";
import type { SignalReading } from "../analysis/signal-reading.js";
import { defaultThresholds, thresholdState } from "../analysis/thresholds.js";
import { isMonitoringQueryError } from "../errors/monitoring-query-error.js";
import { isMonitoringResponseError } from "../errors/monitoring-response-error.js";
import type { MetricsQuerier, Point, RangeSeries } from "../prometheus/series.js";
import { loadQueryTemplates } from "../templates/load-templates.js";
import { templateFor } from "../templates/match-template.js";
import { promqlFor } from "../templates/render-queries.js";
import type { MonitoredResource } from "../templates/resource.js";
import type { SignalName } from "../templates/signals.js";
import type { QueryTemplates } from "../templates/template-schema.js";
import type { MonitoringContext } from "./context.js";
import { settleAll } from "./settle-all.js";
import type { TimeRange } from "./time-range.js";

/** The signals of one resource, or why there are none. */
export interface ResourceSignals {
  key: string;
  type: string;
  /** The template kind that matched. */
  kind?: string;
  /** False when no template matches its type, or it cannot be selected (a required label value is missing). */
  monitored: boolean;
  /** Why it is not monitored. */
  reason?: string;
  readings: SignalReading[];
}

let defaults: QueryTemplates | undefined;

/** The templates of a context: its own, or the defaults (loaded once). */
export function templatesOf(context: Pick<MonitoringContext, "templates">): QueryTemplates {
  return context.templates ?? (defaults ??= loadQueryTemplates());
}

/** Several series merged into one: the largest value per timestamp (NaN only where all are NaN). */
function merge(series: readonly RangeSeries[]): Point[] {
  if (series.length === 1) return series[0]!.points;
  const byTime = new Map<number, number>();
  for (const s of series) {
    for (const p of s.points) {
      const seen = byTime.get(p.timeMs);
      byTime.set(p.timeMs, seen === undefined || Number.isNaN(seen) || p.value > seen ? p.value : seen);
    }
  }
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([timeMs, value]) => ({ timeMs, value }));
}

function latestOf(points: readonly Point[]): Point | undefined {
  for (let i = points.length - 1; i >= 0; i--) if (!Number.isNaN(points[i]!.value)) return points[i];
  return undefined;
}

/**
 * Reads every signal the resource's template defines over the range, and judges each: anomalies
 * against its own baseline, active ones, the latest value against its threshold. A query the
 * backend refuses is recorded on its reading; a backend that cannot answer fails the whole read.
 * @throws MonitoringUnavailableError.
 */
export async function readSignals(
  resource: MonitoredResource,
  range: TimeRange,
  prometheus: MetricsQuerier,
  context: MonitoringContext,
): Promise<ResourceSignals> {
  const chosen = templateFor(resource, templatesOf(context));
  const base = { key: resource.key, type: resource.type };
  if (!chosen) return { ...base, monitored: false, reason: `no query template for type ${resource.type}`, readings: [] };
  const windowSeconds = context.rateWindowSeconds ?? Math.max(300, 2 * range.stepSeconds);
  const queries = promqlFor(resource, chosen.template, windowSeconds);
  if (!queries) {
    const reason = `cannot select its series: a label value the "${chosen.kind}" template needs is missing, empty or not valid text`;
    return { ...base, kind: chosen.kind, monitored: false, reason, readings: [] };
  }
  const thresholds = { ...defaultThresholds, ...context.thresholds };
  const recentMs = Math.max(5 * range.stepSeconds * 1000, 300_000);
  const entries = Object.entries(queries) as [SignalName, string][];
  const readings = await settleAll(
    entries,
    async ([signal, query], task): Promise<SignalReading> => {
      const threshold = thresholds[signal];
      const reading: SignalReading = {
        signal,
        query,
        points: [],
        seriesCount: 0,
        anomalies: [],
        active: [],
        ...(threshold && { threshold }),
      };
      let series: RangeSeries[];
      try {
        series = await prometheus.queryRange(query, range, task.signal);
      } catch (e) {
        if (!isMonitoringQueryError(e) && !isMonitoringResponseError(e)) throw e;
        return { ...reading, error: { code: e.code, message: e.message } };
      }
      const points = merge(series);
      const latest = latestOf(points);
      const anomalies = detectAnomalies(points, context.anomaly);
      const state = latest && thresholdState(latest.value, threshold);
      return {
        ...reading,
        points,
        seriesCount: series.length,
        ...(latest && { latest }),
        anomalies,
        active: activeAnomalies(signal, anomalies, latest, range.endMs, recentMs),
        ...(state && { state }),
      };
    },
    { concurrency: context.concurrency ?? 8, ...(context.signal && { signal: context.signal }) },
  );
  return { ...base, kind: chosen.kind, monitored: true, readings };
}
