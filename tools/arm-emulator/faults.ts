import { type FaultKind, faultKinds } from "./types.js";

/** mulberry32: a small seeded PRNG returning numbers in [0, 1); the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Settings of a fault drawer. */
export interface FaultDrawerOptions {
  /** Share of draws (0..1) that yield a fault. */
  rate: number;
  /** PRNG seed. */
  seed: number;
  /** Kinds to choose from. @default every kind */
  kinds?: readonly FaultKind[];
}

/**
 * Decides, request by request, whether to inject a fault and which one. Each call consumes one
 * number, plus one more when it yields a fault, so a given seed and request order always give the
 * same sequence.
 */
export function createFaultDrawer(options: FaultDrawerOptions): () => FaultKind | undefined {
  const kinds = options.kinds ?? faultKinds;
  const random = mulberry32(options.seed);
  return () => {
    if (options.rate <= 0 || kinds.length === 0) return undefined;
    if (random() >= options.rate) return undefined;
    return kinds[Math.floor(random() * kinds.length)];
  };
}
