import type { Point } from "../../../../lib/monitoring/prometheus/series.js";
import { mulberry32 } from "../../../../tools/arm-emulator/faults.js";

/** Deterministic noise: a seeded PRNG (mulberry32) turned normal by Box-Muller. */
export function normalNoise(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export const T0 = Date.UTC(2026, 10, 28, 0, 0, 0);
export const STEP = 60_000;

/** A series of `n` one-minute points: `level + sigma × noise + shape(i)`. */
export function series(n: number, level: number, sigma: number, shape: (i: number) => number = () => 0, seed = 1): Point[] {
  const noise = normalNoise(seed);
  return Array.from({ length: n }, (_, i) => ({ timeMs: T0 + i * STEP, value: level + sigma * noise() + shape(i) }));
}

export const at = (i: number): number => T0 + i * STEP;
