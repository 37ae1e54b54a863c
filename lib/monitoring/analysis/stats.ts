/** The median of `values` (NaN for none). Sorts a copy. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from `center` (the median when omitted). */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/**
 * Scale that turns a MAD into a standard deviation for normal noise (1 / Φ⁻¹(3/4)), so a robust
 * z-score reads like an ordinary one.
 */
export const MAD_TO_SIGMA = 1.4826;

/**
 * The noise level of a series from its first differences: 1.4826 × MAD(diffs) / √2. Unlike the MAD
 * of the values, a trend or a level shift barely moves it.
 */
export function noiseSigma(values: readonly number[]): number {
  if (values.length < 3) return Number.NaN;
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++) diffs.push(values[i]! - values[i - 1]!);
  return (MAD_TO_SIGMA * medianAbsoluteDeviation(diffs)) / Math.SQRT2;
}
