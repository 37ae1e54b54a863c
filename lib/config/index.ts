import type { z } from "zod";

import { hasCode } from "../errors/has-code.js";
import { type Config, configSchema, settingDocs, type SettingName } from "./schema.js";

export { type Config, configSchema, settingDocs, type SettingName } from "./schema.js";

/** A setting is missing or has the wrong shape; `variable` names it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "TOPDECK_CONFIG";
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
  }
}

/** True for a ConfigError, also across two copies of this package. */
export function isConfigError(e: unknown): e is ConfigError {
  return hasCode(e, "TOPDECK_CONFIG");
}

function describe(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): ConfigError {
  const variable = String(issue.path[0] ?? "(environment)");
  const raw = env[variable];
  const got = raw === undefined ? "it is not set" : `got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw)}`;
  const secret = /TOKEN|CONNECTION_STRING|KEY|AUTH/i.test(variable);
  const shape = settingDocs[variable as SettingName]?.shape;
  const expected = shape === undefined ? issue.message : `expected ${shape} (${issue.message})`;
  return new ConfigError(`Setting ${variable} is invalid: ${expected}; ${secret && raw !== undefined ? "value hidden" : got}.`, variable);
}

/**
 * Parses the environment into a typed Config. Empty strings count as unset, as the Functions
 * host and shells produce them for cleared settings.
 * @throws ConfigError naming the first bad variable and the expected shape.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw first ? describe(first, present) : new ConfigError("Invalid configuration.", "(environment)");
  }
  return parsed.data;
}

/**
 * One setting, parsed alone: for values read when the app registers its functions (the timer's
 * schedule), where an unrelated bad setting must not stop every function from loading.
 * @throws ConfigError naming the variable and the expected shape.
 */
export function loadSetting<K extends keyof Config>(name: K, env: NodeJS.ProcessEnv = process.env): Config[K] {
  const raw = env[name];
  const present = raw === undefined || raw.trim() === "" ? {} : { [name]: raw };
  const parsed = configSchema.shape[name].safeParse(present[name]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw describe({ ...issue, path: [name, ...issue.path] }, present);
  }
  return parsed.data as Config[K];
}

let current: Config | undefined;

/** The process's configuration, parsed once on first use. */
export function getConfig(): Config {
  current ??= loadConfig();
  return current;
}
