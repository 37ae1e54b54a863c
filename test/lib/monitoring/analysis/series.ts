import type { Point } from "../../../../lib/monitoring/prometheus/series.js";

/** Deterministic noise: a seeded PRNG (mulberry32) turned normal by Box-Muller. */
export function normalNoise(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
