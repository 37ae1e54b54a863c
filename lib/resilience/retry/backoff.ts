import type { Random } from "../common/clock.js";

/** Shape of an exponential backoff. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Cap on every delay, jitter included. */
  maxDelayMs: number;
  /** Share of the delay that is randomised away, from 0 (none) to 1 (full jitter). */
  jitter: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Number.isNaN(v) ? lo : v));

/**
 * Delay before retry number `retry` (1 for the first retry): `min(cap, base * 2^(retry-1))`, then
 * shortened by a random share of up to `jitter`. Jitter only ever shortens, so the result stays in
 * [0, maxDelayMs] for any input, even a random source that strays outside [0, 1).
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, random: Random): number {
  const cap = Math.max(0, options.maxDelayMs);
  const exponent = clamp(retry - 1, 0, 64);
  const ceiling = options.baseDelayMs <= 0 ? 0 : Math.min(cap, options.baseDelayMs * 2 ** exponent);
  const delay = ceiling * (1 - clamp(options.jitter, 0, 1) * clamp(random(), 0, 1));
  return clamp(delay, 0, cap);
}
