import { z } from "zod";

import { type Config, ConfigError } from "../../config/index.js";
import { defaultTemplates } from "./default-templates.js";
import { type QueryTemplate, type QueryTemplateInput, type QueryTemplates, queryTemplateSchema } from "./template-schema.js";

/** The setting that carries template overrides. */
export const TEMPLATES_SETTING = "MONITORING_QUERY_TEMPLATES";

const overrideSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a kind name: letters, digits, _ and -"),
  z.union([z.null(), z.record(z.string(), z.unknown())]),
);

function merge(base: QueryTemplateInput | undefined, patch: Record<string, unknown>): unknown {
  if (base === undefined) return patch;
  const signals: Record<string, unknown> = { ...base.signals };
  const patchSignals = patch.signals;
  if (typeof patchSignals === "object" && patchSignals !== null) {
    for (const [name, query] of Object.entries(patchSignals)) {
      if (query === null) delete signals[name];
      else signals[name] = query;
    }
  }
  return { ...base, ...patch, signals };
}

/**
 * The templates in force: the defaults with `overrides` applied (the parsed MONITORING_QUERY_TEMPLATES).
 * An override patches a default kind (fields replaced, `signals` merged per signal, `null` removes a
 * signal) or adds a new kind (a whole template), or removes a kind (`null`). Kinds are tried in
 * order, new kinds first, so a new kind can claim a type a default also lists.
 * @throws ConfigError naming MONITORING_QUERY_TEMPLATES and the path of the first bad field.
 */
export function loadQueryTemplates(overrides?: unknown): QueryTemplates {
  const parsed = overrideSchema.safeParse(overrides ?? {});
  if (!parsed.success) throw configError(parsed.error.issues[0]);
  const patches = parsed.data;
  const order = [...Object.keys(patches).filter((k) => !(k in defaultTemplates)), ...Object.keys(defaultTemplates)];
  const templates: Record<string, QueryTemplate> = {};
  for (const kind of order) {
    const patch = patches[kind];
    if (patch === null) continue;
    const input = patch === undefined ? defaultTemplates[kind] : merge(defaultTemplates[kind], patch);
    const checked = queryTemplateSchema.safeParse(input);
    if (!checked.success) throw configError(checked.error.issues[0], kind);
    templates[kind] = checked.data;
  }
  return templates;
}

function configError(issue: z.core.$ZodIssue | undefined, kind?: string): ConfigError {
  const path = [kind, ...(issue?.path ?? [])].filter((p) => p !== undefined).join(".");
  return new ConfigError(
    `Setting ${TEMPLATES_SETTING} is invalid: ${path ? `${path}: ` : ""}${issue?.message ?? "invalid"} (see docs/monitoring.md).`,
    TEMPLATES_SETTING,
  );
}

/** The templates for the app's settings: the defaults with MONITORING_QUERY_TEMPLATES applied. */
export function queryTemplatesFromConfig(config: Pick<Config, "MONITORING_QUERY_TEMPLATES">): QueryTemplates {
  return loadQueryTemplates(config.MONITORING_QUERY_TEMPLATES);
}
