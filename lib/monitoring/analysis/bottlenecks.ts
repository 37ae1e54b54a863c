import type { SignalName } from "../templates/signals.js";
import type { SignalReading } from "./signal-reading.js";

/** The readings of one resource on the dependency path. */
export interface PathResource {
  key: string;
  /** Hops from the resource asked about (0 = itself). */
  distance: number;
  type: string;
  /** The template kind; undefined when no template matches (then it has no readings). */
  kind?: string;
  readings: SignalReading[];
}

/** One resource judged as a possible bottleneck. */
export interface BottleneckCandidate {
  key: string;
  distance: number;
  type: string;
  kind?: string;
  /** Worst latest value over its warn level, across thresholded signals (1 = at warn). 0 without data. */
  pressure: number;
  /** The signal behind `pressure`. */
  worstSignal?: SignalName;
  /** Active anomalies on latency, errors or saturation. */
  anomalies: Array<{ signal: SignalName; kind: string; direction: string; startMs: number }>;
  /** When the current trouble began: the earliest active anomaly or the start of the current run past warn. */
  onsetMs?: number;
  /** Pressure at or past warn, or an active anomaly. */
  isBottleneck: boolean;
  /** `pressure` plus 0.5 when an anomaly is active: the ranking key. */
  score: number;
  /** True when nothing could be read (no template, no data). */
  unmonitored: boolean;
}

/** Bottlenecks along the path, and the one most likely to be the cause. */
export interface BottleneckRanking {
  /** Every resource on the path; bottlenecks first (by score, then deeper first), then the rest by distance. */
  ranked: BottleneckCandidate[];
  /**
   * The bottleneck whose trouble began first (ties: the deeper one, since what it serves waits on
   * it); undefined when there is no bottleneck.
   */
  likelyCause?: BottleneckCandidate;
}

const JUDGED: ReadonlySet<SignalName> = new Set(["latencySeconds", "errorRatio", "cpuRatio", "memoryRatio"]);

/** Start of the trailing run of points at or past `warn` (the current excursion); undefined when the last point is below. */
function excursionStart(r: SignalReading): number | undefined {
  const warn = r.threshold?.warn;
  if (warn === undefined) return undefined;
  let start: number | undefined;
  for (let i = r.points.length - 1; i >= 0; i--) {
    const p = r.points[i]!;
    if (Number.isNaN(p.value)) continue;
    if (p.value < warn) break;
    start = p.timeMs;
  }
  return start;
}

function judge(resource: PathResource): BottleneckCandidate {
  let pressure = 0;
  let worstSignal: SignalName | undefined;
  const anomalies: BottleneckCandidate["anomalies"] = [];
  const onsets: number[] = [];
  for (const r of resource.readings) {
    if (!JUDGED.has(r.signal)) continue;
    if (r.latest !== undefined && r.threshold !== undefined && r.threshold.warn > 0) {
      const p = r.latest.value / r.threshold.warn;
      if (p > pressure) {
        pressure = p;
        worstSignal = r.signal;
      }
      const start = excursionStart(r);
      if (start !== undefined) onsets.push(start);
    }
    for (const a of r.active) {
      anomalies.push({ signal: r.signal, kind: a.kind, direction: a.direction, startMs: a.startMs });
      onsets.push(a.startMs);
    }
  }
  const isBottleneck = pressure >= 1 || anomalies.length > 0;
  return {
    key: resource.key,
    distance: resource.distance,
    type: resource.type,
    ...(resource.kind !== undefined && { kind: resource.kind }),
    pressure,
    ...(worstSignal !== undefined && { worstSignal }),
    anomalies,
    ...(onsets.length > 0 && { onsetMs: Math.min(...onsets) }),
    isBottleneck,
    score: pressure + (anomalies.length > 0 ? 0.5 : 0),
    unmonitored: resource.readings.every((r) => r.latest === undefined),
  };
}

/**
 * Judges every resource on the dependency path: how close its latency, errors and saturation are
 * to their warn levels, and whether they moved away from their own baseline. A slow database two
 * hops down shows up here as the bottleneck under a slow web app.
 */
export function rankBottlenecks(path: readonly PathResource[]): BottleneckRanking {
  const judged = path.map(judge);
  const ranked = [...judged].sort((a, b) => {
    if (a.isBottleneck !== b.isBottleneck) return a.isBottleneck ? -1 : 1;
    if (a.isBottleneck) return b.score - a.score || b.distance - a.distance || a.key.localeCompare(b.key);
    return a.distance - b.distance || a.key.localeCompare(b.key);
  });
  const bottlenecks = judged.filter((c) => c.isBottleneck);
  const likelyCause = [...bottlenecks].sort(
    (a, b) => (a.onsetMs ?? Infinity) - (b.onsetMs ?? Infinity) || b.distance - a.distance || b.score - a.score,
  )[0];
  return { ranked, ...(likelyCause && { likelyCause }) };
}
