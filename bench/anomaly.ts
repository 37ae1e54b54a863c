/**
 * `npm run bench -- anomaly [--series N] [--points N] [--seed N]`
 *
 * Precision and recall of `detectAnomalies` on labelled synthetic latency series (spikes, level
 * shifts, slow drifts, and noise with no anomaly, some of it autocorrelated), next to a fixed
 * threshold. The threshold is the most generous one possible: the single value that scores the best
 * F1 on this very data (a grid search), so the comparison does not hinge on a badly chosen line.
 * Scoring is per event: a detection that starts inside a labelled interval (±2 points) is a true
 * positive, and a labelled interval is found when any detection starts inside it. A spike's interval
 * is its points; a level shift's, the 30 points from its onset; a drift's, its ramp (starting a tenth
 * of its length early: the first minutes of a slow ramp are inside the noise).
 */
import { type AnomalyOptions, detectAnomalies } from "../lib/monitoring/analysis/detect-anomalies.js";
import type { Point } from "../lib/monitoring/prometheus/series.js";
import { mulberry32 } from "../tools/arm-emulator/faults.js";
import { intFlag } from "./_flags.js";
import { printResult } from "./_result.js";

type Scenario = "spike" | "level-shift" | "drift" | "noise" | "noise-ar1";

interface Labelled {
  scenario: Scenario;
  points: Point[];
  /** Anomalous intervals, as point indices, inclusive. */
  labels: Array<[number, number]>;
}

interface Interval {
  start: number;
  end: number;
  kind?: string;
}

const STEP_MS = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const TOLERANCE = 2;

function generator(random: () => number) {
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const int = (lo: number, hi: number): number => Math.floor(uniform(lo, hi + 1));
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return { uniform, int, gauss };
}

function makeSeries(scenario: Scenario, n: number, g: ReturnType<typeof generator>): Labelled {
  const level = g.uniform(0.02, 1.2);
  const sigma = level * g.uniform(0.03, 0.12);
  const phi = scenario === "noise-ar1" ? g.uniform(0.3, 0.7) : 0;
  const xs: number[] = [];
  let noise = 0;
  for (let i = 0; i < n; i++) {
    // AR(1) noise scaled to keep the same marginal sigma.
    noise = phi * noise + Math.sqrt(1 - phi * phi) * g.gauss();
    xs.push(level + sigma * noise);
  }
  const labels: Array<[number, number]> = [];
  if (scenario === "spike") {
    const count = g.int(1, 3);
    const slot = Math.floor((n - 40) / count);
    for (let k = 0; k < count; k++) {
      const at = 40 + k * slot + g.int(0, slot - 6);
      const width = g.int(1, 3);
      const size = g.uniform(6, 15) * sigma;
      for (let i = at; i < at + width; i++) xs[i]! += size;
      labels.push([at, at + width - 1]);
    }
  } else if (scenario === "level-shift") {
    const at = g.int(60, n - 40);
    // A quarter shift down (latency after a fix or a cache warming), never below half the level.
    const up = g.uniform(0, 1) < 0.75;
    const size = up ? g.uniform(5, 12) * sigma : -Math.min(g.uniform(5, 12) * sigma, 0.5 * level);
    for (let i = at; i < n; i++) xs[i]! += size;
    // Found when detected within 30 points (30 minutes at this step) of the shift.
    labels.push([at, at + 30]);
  } else if (scenario === "drift") {
    const at = g.int(40, Math.floor(n / 2));
    const length = g.int(80, n - at);
    const rise = g.uniform(8, 20) * sigma;
    for (let i = at; i < n; i++) xs[i]! += rise * Math.min(1, (i - at) / length);
    // A slow ramp's first minutes are inside the noise, so its onset is only known roughly: a
    // detection within a tenth of the ramp's length before it counts.
    labels.push([at - Math.round(length / 10), at + length]);
  }
  return { scenario, points: xs.map((value, i) => ({ timeMs: T0 + i * STEP_MS, value: Math.max(0, value) })), labels };
}

function score(dataset: readonly Labelled[], detect: (s: Labelled) => Interval[]) {
  let detections = 0;
  let truePositives = 0;
  let labels = 0;
  let found = 0;
  const missedBy: Record<string, number> = {};
  const falseBy: Record<string, number> = {};
  for (const s of dataset) {
    const events = detect(s);
    // A detection counts when it starts inside the labelled interval (give or take TOLERANCE):
    // one event spanning the whole series does not "find" an anomaly in its middle.
    const overlaps = (e: Interval, [ls, le]: [number, number]): boolean => e.start <= le + TOLERANCE && e.start >= ls - TOLERANCE;
    detections += events.length;
    for (const e of events) {
      if (s.labels.some((l) => overlaps(e, l))) truePositives++;
      else {
        const key = e.kind === undefined ? s.scenario : `${s.scenario}/${e.kind}`;
        falseBy[key] = (falseBy[key] ?? 0) + 1;
      }
    }
    labels += s.labels.length;
    for (const l of s.labels) {
      if (events.some((e) => overlaps(e, l))) found++;
      else missedBy[s.scenario] = (missedBy[s.scenario] ?? 0) + 1;
    }
  }
  const precision = detections === 0 ? 1 : truePositives / detections;
  const recall = labels === 0 ? 1 : found / labels;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, detections, missedBy, falseBy };
}

const indexOf = (timeMs: number): number => Math.round((timeMs - T0) / STEP_MS);

function detector(options: AnomalyOptions) {
  return (s: Labelled): Interval[] =>
    detectAnomalies(s.points, options).map((a) => ({ start: indexOf(a.startMs), end: indexOf(a.endMs), kind: a.kind }));
}

/** Runs of points above a fixed line (one point below may interrupt a run), as the old rule fired. */
function threshold(line: number) {
  return (s: Labelled): Interval[] => {
    const events: Interval[] = [];
    s.points.forEach((p, i) => {
      if (p.value <= line) return;
      const last = events[events.length - 1];
      if (last && i - last.end <= 2) last.end = i;
      else events.push({ start: i, end: i });
    });
    return events;
  };
}

export default async function (args: string[]): Promise<void> {
  const perScenario = intFlag(args, "series", 100);
  const n = intFlag(args, "points", 360);
  const seed = intFlag(args, "seed", 20261128);
  const g = generator(mulberry32(seed));
  const scenarios: Scenario[] = ["spike", "level-shift", "drift", "noise", "noise-ar1"];
  const dataset = scenarios.flatMap((sc) => Array.from({ length: perScenario }, () => makeSeries(sc, n, g)));

  const started = performance.now();
  const ours = score(dataset, detector({}));
  const detectMsPerSeries = (performance.now() - started) / dataset.length;

  let best = { line: 0, result: score(dataset, threshold(0)) };
  for (let line = 0.05; line <= 3; line += 0.05) {
    const result = score(dataset, threshold(line));
    if (result.f1 > best.result.f1) best = { line, result };
  }
  const slo = score(dataset, threshold(0.5));

  const row = (name: string, r: ReturnType<typeof score>): string =>
    `${name.padEnd(34)} precision ${r.precision.toFixed(3)}  recall ${r.recall.toFixed(3)}  f1 ${r.f1.toFixed(3)}  ` +
    `detections ${r.detections}  missed ${JSON.stringify(r.missedBy)}  false ${JSON.stringify(r.falseBy)}`;
  process.stdout.write(`${dataset.length} series (${perScenario} per scenario) of ${n} points, seed ${seed}\n`);
  process.stdout.write(`${row("robust z + level shift + drift", ours)}\n`);
  process.stdout.write(`${row(`fixed threshold, best (${best.line.toFixed(2)} s)`, best.result)}\n`);
  process.stdout.write(`${row("fixed threshold, 0.5 s (SLO-style)", slo)}\n`);
  process.stdout.write(`detector: ${detectMsPerSeries.toFixed(2)} ms per series\n`);
  printResult("anomaly", {
    precision: ours.precision,
    recall: ours.recall,
    baselinePrecision: best.result.precision,
    baselineRecall: best.result.recall,
    f1: ours.f1,
    baselineF1: best.result.f1,
    baselineThresholdSeconds: Number(best.line.toFixed(2)),
    series: dataset.length,
  });
}
