import { InvalidTimeRangeError } from "../errors/invalid-time-range-error.js";

/** A validated query range: epoch milliseconds and the step in seconds. */
export interface TimeRange {
  startMs: number;
  endMs: number;
  stepSeconds: number;
}

/** A range as a route receives it; every field optional. */
export interface TimeRangeInput {
  /** @default endMs − 1 hour */
  startMs?: number;
  /** @default now */
  endMs?: number;
  /** @default the span / 240, at least 15 s (enough points for the anomaly baseline) */
  stepSeconds?: number;
}

/** Prometheus refuses a range query of more than 11,000 points per series. */
export const MAX_POINTS = 11_000;
/** The longest span accepted: 31 days. */
export const MAX_SPAN_MS = 31 * 24 * 3600 * 1000;

/**
 * A range with defaults filled in (the last hour, about 240 points) and checked: start before end,
 * span at most 31 days, step at least 1 s, at most 11,000 points.
 * @throws InvalidTimeRangeError naming the field.
 */
export function resolveTimeRange(input: TimeRangeInput = {}, now: () => number = Date.now): TimeRange {
  const endMs = input.endMs ?? now();
  const startMs = input.startMs ?? endMs - 3_600_000;
  for (const [field, v] of [
    ["endMs", endMs],
    ["startMs", startMs],
  ] as const) {
    if (!Number.isFinite(v)) throw new InvalidTimeRangeError(field, `${field} must be a finite number of epoch milliseconds`);
  }
  if (startMs >= endMs) throw new InvalidTimeRangeError("startMs", "startMs must be before endMs");
  const span = endMs - startMs;
  if (span > MAX_SPAN_MS) throw new InvalidTimeRangeError("startMs", "the range may span at most 31 days");
  const stepSeconds = input.stepSeconds ?? Math.max(15, Math.ceil(span / 1000 / 240));
  if (!Number.isFinite(stepSeconds) || stepSeconds < 1) {
    throw new InvalidTimeRangeError("stepSeconds", "stepSeconds must be a number from 1 up");
  }
  if (span / 1000 / stepSeconds > MAX_POINTS) {
    throw new InvalidTimeRangeError(
      "stepSeconds",
      `the range has more than ${MAX_POINTS} steps; use a step of at least ${Math.ceil(span / 1000 / MAX_POINTS)} s`,
    );
  }
  return { startMs, endMs, stepSeconds };
}
