import type { AnomalyOptions } from "../analysis/detect-anomalies.js";
import type { Thresholds } from "../analysis/thresholds.js";
import type { QueryTemplates } from "../templates/template-schema.js";
import type { MonitoringTopology } from "../topology/monitoring-topology.js";
import type { MonitoringCollectors } from "./collectors.js";
import type { TimeRange } from "./time-range.js";

/** What a route passes in: which resource, over which range, how deep along its dependencies. */
export interface MonitoringRequest {
  /** The resource's canonical key or ARM id (any case). */
  key: string;
  /** A range from `resolveTimeRange`. */
  range: TimeRange;
  /** Dependency hops to follow (bottlenecks, errors). @default 3 for bottlenecks, 2 for errors; at most 6 */
  depth?: number;
}

/** What the services run against. Build it once per topology generation; all but two fields are optional. */
export interface MonitoringContext {
  /** The topology: an export, or anything with its resources and edges. */
  topology: MonitoringTopology;
  /** The backends; see `createCollectors`. */
  collectors: MonitoringCollectors;
  /** @default loadQueryTemplates() (the defaults) */
  templates?: QueryTemplates;
  /** @default defaultThresholds */
  thresholds?: Thresholds;
  /** @default {} (detectAnomalies' defaults) */
  anomaly?: AnomalyOptions;
  /** Window of `rate()` in the templates. @default max(300, 2 × step) seconds */
  rateWindowSeconds?: number;
  /** Queries in flight at once for one request. @default 8 */
  concurrency?: number;
  /** The caller's signal (the HTTP request's). */
  signal?: AbortSignal;
}

/** The most dependency hops a request may ask for. */
export const MAX_DEPTH = 6;
