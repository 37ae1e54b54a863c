import type { Point } from "../prometheus/series.js";
import type { SignalName } from "../templates/signals.js";
import type { Anomaly } from "./anomaly.js";
import type { Threshold, ThresholdState } from "./thresholds.js";

/** One signal of one resource over a time range, read and judged. */
export interface SignalReading {
  signal: SignalName;
  /** The PromQL that was sent. */
  query: string;
  /** The series (several series returned are merged, worst value per timestamp). */
  points: Point[];
  /** Series the query returned before merging; a template should return one. */
  seriesCount: number;
  /** The newest point with a value (NaN points skipped); undefined when there is none. */
  latest?: Point;
  /** Every anomaly in the range. */
  anomalies: Anomaly[];
  /** Anomalies in the bad direction that still hold at the end of the range. */
  active: Anomaly[];
  threshold?: Threshold;
  /** The latest value against the threshold. */
  state?: ThresholdState;
  /** The backend refused this query (its template is wrong): code and message. */
  error?: { code: string; message: string };
}
