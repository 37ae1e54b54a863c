import { parseArgs, type ParseArgsConfig } from "node:util";

import type { z } from "zod";

/**
 * Parses a command's flags with node:util's parseArgs (strict, no positionals) and validates them
 * with `schema`. @returns the flags, `{ help: true }` for --help/-h, or a usage error naming the
 * flag and the value it got.
 */
export function parseCommandFlags<S extends z.ZodType>(
  args: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
): z.output<S> | { help: true } | string {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { ...options, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help === true) return { help: true };
  const { help: _help, ...flags } = values;
  const parsed = schema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = String(issue?.path[0] ?? "");
  const raw = values[flag];
  const shown = Array.isArray(raw) ? (raw as unknown[])[Number(issue?.path[1] ?? 0)] : raw;
  return `--${flag} ${issue?.message ?? "is invalid"}${typeof shown === "string" ? ` (got ${JSON.stringify(shown)})` : ""}`;
}
