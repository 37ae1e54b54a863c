/** One sample: epoch milliseconds and a value (NaN and ±Infinity kept as Prometheus sent them). */
export interface Point {
  timeMs: number;
  value: number;
}

/** One series of a range query. */
export interface RangeSeries {
  labels: Readonly<Record<string, string>>;
  points: Point[];
}

/** One sample of an instant query. A scalar result is one sample with no labels. */
export interface InstantSample {
  labels: Readonly<Record<string, string>>;
  timeMs: number;
  value: number;
}

/** A range query's window: epoch milliseconds, and the resolution in seconds. */
export interface RangeWindow {
  startMs: number;
  endMs: number;
  stepSeconds: number;
}

/**
 * What the analysis needs from a metrics backend; {@link PrometheusClient} implements it, and a
 * test can hand a small fake.
 */
export interface MetricsQuerier {
  /** Series of `promql` over the window. */
  queryRange(promql: string, window: RangeWindow, signal?: AbortSignal): Promise<RangeSeries[]>;
  /** Samples of `promql` at one instant. @default now (the server's) */
  query(promql: string, atMs?: number, signal?: AbortSignal): Promise<InstantSample[]>;
}
