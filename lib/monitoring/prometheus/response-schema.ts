import { z } from "zod";

import { parseSampleValue } from "./sample-value.js";

/** `[unix seconds, "value"]` → `{ timeMs, value }`. */
const sample = z.tuple([z.number(), z.string()]).transform(([seconds, text], ctx) => {
  const value = parseSampleValue(text);
  if (value === undefined) {
    ctx.addIssue({ code: "custom", message: `not a sample value: ${JSON.stringify(text.slice(0, 40))}` });
    return z.NEVER;
  }
  return { timeMs: Math.round(seconds * 1000), value };
});

const labels = z.record(z.string(), z.string());

const vector = z.object({
  resultType: z.literal("vector"),
  result: z.array(z.object({ metric: labels, value: sample })),
});
const matrix = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.object({ metric: labels, values: z.array(sample) })),
});
const scalar = z.object({ resultType: z.literal("scalar"), result: sample });
const string = z.object({
  resultType: z.literal("string"),
  result: z.tuple([z.number(), z.string()]),
});

/**
 * A successful answer of `/api/v1/query` or `/api/v1/query_range` (Prometheus HTTP API), values
 * parsed: `"NaN"`, `"+Inf"` and `"-Inf"` become numbers, timestamps become epoch milliseconds.
 */
export const prometheusSuccessSchema = z.object({
  status: z.literal("success"),
  data: z.discriminatedUnion("resultType", [vector, matrix, scalar, string]),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});

/** A parsed successful answer. */
export type PrometheusSuccess = z.output<typeof prometheusSuccessSchema>;
