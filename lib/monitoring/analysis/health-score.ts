import type { SignalName } from "../templates/signals.js";
import type { SignalReading } from "./signal-reading.js";

/** How a resource is doing. `unknown` when there is nothing to judge by: never `healthy` by default. */
export type HealthStatus = "healthy" | "degraded" | "unhealthy" | "unknown";

/** Weight of each signal in the score: errors count most, then latency, then saturation and traffic. */
export const healthWeights: Readonly<Record<SignalName, number>> = {
  errorRatio: 3,
  latencySeconds: 2,
  cpuRatio: 1,
  memoryRatio: 1,
  requestsPerSecond: 1,
};

/** Penalty factor for a signal with an active anomaly in its bad direction. */
export const ANOMALY_FACTOR = 0.5;

/** One signal's part in the score. */
export interface SignalHealth {
  signal: SignalName;
  /** The latest value, in the signal's unit. */
  value: number;
  /** 1 at or below warn, 0 at or above critical, linear between (1 without a threshold). */
  level: number;
  /** `level`, halved when an anomaly is active. */
  health: number;
  weight: number;
}

/** The health of a resource from its signals. docs/monitoring.md gives the formula. */
export interface HealthAssessment {
  status: HealthStatus;
  /** 0 to 100; null when the status is unknown. */
  score: number | null;
  signals: SignalHealth[];
  /** Why the status is what it is, one line each. */
  reasons: string[];
  /** Signals with a value, out of those the template defines. */
  coverage: { withData: number; expected: number };
}

/**
 * Scores signals: per signal h = clamp((critical − v) / (critical − warn), 0, 1), times 0.5 with an
 * active bad-direction anomaly; score = 100 × Σ w·h / Σ w over the signals with data. Status:
 * unhealthy when a signal is at or past critical or the score is under 50; degraded when one is past
 * warn, an anomaly is active, or the score is under 80; healthy otherwise; unknown without data.
 */
export function assessHealth(readings: readonly SignalReading[]): HealthAssessment {
  const reasons: string[] = [];
  const signals: SignalHealth[] = [];
  let worst: "ok" | "warn" | "critical" = "ok";
  let anomalous = false;
  for (const r of readings) {
    if (r.error) reasons.push(`${r.signal}: query refused (${r.error.message})`);
    if (r.latest === undefined) continue;
    const value = r.latest.value;
    const t = r.threshold;
    const level = t === undefined ? 1 : Math.min(1, Math.max(0, (t.critical - value) / (t.critical - t.warn)));
    const active = r.active.length > 0;
    signals.push({ signal: r.signal, value, level, health: active ? level * ANOMALY_FACTOR : level, weight: healthWeights[r.signal] });
    if (r.state === "critical" || (r.state === "warn" && worst === "ok")) worst = r.state;
    if (r.state === "critical" || r.state === "warn")
      reasons.push(`${r.signal} ${format(value)} is at or past ${r.state} (${r.state === "critical" ? t?.critical : t?.warn})`);
    if (active) {
      anomalous = true;
      for (const a of r.active)
        reasons.push(`${r.signal}: ${a.kind} ${a.direction} since ${new Date(a.startMs).toISOString()} (baseline ${format(a.baseline)})`);
    }
  }
  const coverage = { withData: signals.length, expected: readings.length };
  if (signals.length === 0) {
    reasons.push(readings.length === 0 ? "no signals defined for this resource" : "no signal returned data in the range");
    return { status: "unknown", score: null, signals, reasons, coverage };
  }
  const total = signals.reduce((a, s) => a + s.weight, 0);
  const score = Math.round((100 * signals.reduce((a, s) => a + s.weight * s.health, 0)) / total);
  const status = worst === "critical" || score < 50 ? "unhealthy" : worst === "warn" || anomalous || score < 80 ? "degraded" : "healthy";
  return { status, score, signals, reasons, coverage };
}

function format(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}
