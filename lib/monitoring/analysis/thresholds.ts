import { z } from "zod";

import type { SignalName } from "../templates/signals.js";

/** A warning and a critical level, in the unit its signal's name carries. */
export interface Threshold {
  warn: number;
  critical: number;
}

/**
 * Thresholds per signal. The key names the unit (`latencySeconds`, `errorRatio` from 0 to 1), so a
 * latency in seconds is never held against 1000.
 */
export type Thresholds = Partial<Record<SignalName, Threshold>>;

/** The thresholds TopDeck uses unless told otherwise. `requestsPerSecond` has none: traffic is judged by its anomalies only. */
export const defaultThresholds: Readonly<Thresholds> = {
  errorRatio: { warn: 0.01, critical: 0.05 },
  latencySeconds: { warn: 0.5, critical: 2 },
  cpuRatio: { warn: 0.8, critical: 0.95 },
  memoryRatio: { warn: 0.85, critical: 0.95 },
};

const level = z
  .object({ warn: z.number().finite().nonnegative(), critical: z.number().finite().positive() })
  .refine((t) => t.warn < t.critical, "warn must be below critical");
const ratio = level.refine((t) => t.critical <= 1, "a ratio is between 0 and 1 (0.05 is 5 %)");

const thresholdsSchema = z.strictObject({
  errorRatio: ratio.optional(),
  cpuRatio: ratio.optional(),
  memoryRatio: ratio.optional(),
  latencySeconds: level
    .refine((t) => t.critical <= 600, "latencySeconds is in seconds: a critical level above 600 looks like milliseconds")
    .optional(),
  requestsPerSecond: level.optional(),
});

/**
 * Thresholds checked for units: ratios within 0..1, latency in seconds (a critical level above
 * 600 s is refused as a likely millisecond value), warn below critical. Merged over the defaults.
 * @throws RangeError naming the signal and what is wrong.
 */
export function checkThresholds(input: unknown): Thresholds {
  const parsed = thresholdsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`Invalid threshold ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return { ...defaultThresholds, ...parsed.data };
}

/** Milliseconds to seconds, for feeding a millisecond measurement into a `…Seconds` field. */
export function millisecondsToSeconds(ms: number): number {
  return ms / 1000;
}

/** Where a value stands against its threshold. */
export type ThresholdState = "ok" | "warn" | "critical";

/** The state of `value` against `threshold`; undefined without a threshold or a number (NaN). */
export function thresholdState(value: number, threshold: Threshold | undefined): ThresholdState | undefined {
  if (threshold === undefined || Number.isNaN(value)) return undefined;
  if (value >= threshold.critical) return "critical";
  return value >= threshold.warn ? "warn" : "ok";
}
