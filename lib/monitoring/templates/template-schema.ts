import { z } from "zod";

import { SIGNALS } from "./signals.js";

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a label name: [a-zA-Z_][a-zA-Z0-9_]*");

/** Where a matcher's value comes from: a field of the resource, one of its tags, or a property path. */
export const valueSourceSchema = z.union([
  z.enum(["key", "id", "name", "type", "resourceGroup", "subscriptionId", "location"]),
  z.strictObject({ tag: z.string().min(1) }),
  z.strictObject({ property: z.string().min(1) }),
]);

/** One label matcher of a template. */
export const templateMatcherSchema = z.strictObject({
  label: labelName,
  from: valueSourceSchema,
  /** `ignore-case` renders `=~"(?i)…"` with the value escaped: ARM ids differ in case between exporters. */
  match: z.enum(["exact", "ignore-case"]).default("exact"),
  /** Skipped when the resource has no value for it; a required matcher without one makes the resource unmatchable. */
  optional: z.boolean().default(false),
});

const promql = z
  .string()
  .min(1)
  .refine((q) => q.includes("$selector"), "must contain $selector where the resource's label matchers go");

/** A query template for one kind of resource. */
export const queryTemplateSchema = z.strictObject({
  /** ARM resource types it applies to, compared case-insensitively. */
  types: z.array(z.string().min(1)).min(1),
  /** Label matchers selecting the resource's series; at least one must be required. */
  matchers: z
    .array(templateMatcherSchema)
    .min(1)
    .refine((ms) => ms.some((m) => !m.optional), "needs at least one matcher that is not optional"),
  /** Matchers for its Loki streams. @default the metric matchers */
  logMatchers: z.array(templateMatcherSchema).min(1).optional(),
  /** PromQL per signal, with `$selector` and optionally `$window` (the rate window). */
  signals: z.partialRecord(z.enum(SIGNALS), promql),
});

/** A query template, defaults applied. */
export type QueryTemplate = z.output<typeof queryTemplateSchema>;
/** A template as written in config or code, before defaults. */
export type QueryTemplateInput = z.input<typeof queryTemplateSchema>;
/** A matcher of a template, defaults applied. */
export type TemplateMatcher = z.output<typeof templateMatcherSchema>;
/** Templates by kind name (`appService`, `aksCluster`, ...). */
export type QueryTemplates = Readonly<Record<string, QueryTemplate>>;
