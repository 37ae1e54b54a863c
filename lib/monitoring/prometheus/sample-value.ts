const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A sample value as the Prometheus HTTP API writes it (a string, Go's `FormatFloat`): decimals,
 * exponents, `NaN`, `+Inf`, `-Inf`. `Number("+Inf")` is NaN, which is why this exists.
 * @returns undefined for anything else.
 */
export function parseSampleValue(text: string): number | undefined {
  switch (text) {
    case "NaN":
      return Number.NaN;
    case "+Inf":
    case "Inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
      return Number.NEGATIVE_INFINITY;
    default:
      return DECIMAL.test(text) ? Number(text) : undefined;
  }
}
