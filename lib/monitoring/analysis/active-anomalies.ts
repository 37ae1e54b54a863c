import type { Point } from "../prometheus/series.js";
import { badDirection, type SignalName } from "../templates/signals.js";
import type { Anomaly } from "./anomaly.js";

/**
 * The anomalies that still describe the present, in the direction that is bad for the signal: a
 * spike or dip that ended within `recentMs` of the range end, or a level shift or drift the latest
 * value has not come back from (it is still more than half the way from the baseline to the peak).
 */
export function activeAnomalies(
  signal: SignalName,
  anomalies: readonly Anomaly[],
  latest: Point | undefined,
  rangeEndMs: number,
  recentMs: number,
): Anomaly[] {
  const bad = badDirection[signal];
  return anomalies.filter((a) => {
    if (bad === "up" && a.direction !== "up") return false;
    if (a.kind === "spike" || a.kind === "dip") return a.endMs >= rangeEndMs - recentMs;
    if (latest === undefined) return false;
    const sign = a.direction === "up" ? 1 : -1;
    return (latest.value - a.baseline) * sign > ((a.peakValue - a.baseline) * sign) / 2;
  });
}
