import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from "./stats.js";

/** Options of {@link errorOnset}. */
export interface ErrorOnsetOptions {
  /** Buckets before the current one that form its baseline. @default 30 */
  baselineBuckets?: number;
  /** Robust z-score a bucket's count must pass. @default 4 */
  zThreshold?: number;
  /** Buckets at the start of the window that have too little history to judge a rise in. @default 5 */
  warmupBuckets?: number;
}

/** When errors began, and whether they were already there when the window opened. */
export interface ErrorOnset {
  onsetMs: number;
  /**
   * True when the errors were there from the window's first buckets and never rose above that:
   * they began before the window, so when is unknown.
   */
  ongoing: boolean;
}

/**
 * When a resource's errors began: the first error of the first bucket, after the warm-up, whose
 * count rises above the buckets before it (at least median + max(z × 1.4826 × MAD, 1, median):
 * from none to some, or at least double a steady trickle). Errors present from the start with no
 * such rise are `ongoing`. `times` are epoch ms, sorted.
 */
export function errorOnset(
  times: readonly number[],
  window: { startMs: number; endMs: number; bucketMs: number },
  options: ErrorOnsetOptions = {},
): ErrorOnset | undefined {
  const { baselineBuckets = 30, zThreshold = 4, warmupBuckets = 5 } = options;
  if (times.length === 0) return undefined;
  const n = Math.max(1, Math.ceil((window.endMs - window.startMs) / window.bucketMs));
  const counts = new Array<number>(n).fill(0);
  const bucketOf = (t: number): number => Math.min(n - 1, Math.max(0, Math.floor((t - window.startMs) / window.bucketMs)));
  for (const t of times) counts[bucketOf(t)]!++;
  const firstBucket = bucketOf(times[0]!);
  const warm = Math.min(warmupBuckets, n);
  for (let b = Math.max(warm, firstBucket); b < n; b++) {
    const count = counts[b]!;
    if (count === 0) continue;
    const before = counts.slice(Math.max(0, b - baselineBuckets), b);
    const base = median(before);
    const spread = MAD_TO_SIGMA * medianAbsoluteDeviation(before, base);
    if (count < base + Math.max(zThreshold * spread, 1, base)) continue;
    return { onsetMs: times.find((t) => bucketOf(t) === b)!, ongoing: false };
  }
  return firstBucket < warm ? { onsetMs: times[0]!, ongoing: true } : undefined;
}
