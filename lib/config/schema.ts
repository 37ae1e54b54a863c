import { z } from "zod";

/** Comma- or whitespace-separated list setting; empty means "none given". */
const list = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter((part) => part.length > 0));

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Every environment setting TopDeck reads, in one place. The README's settings table is checked
 * against `settingDocs` by a test, so the two cannot drift.
 */
export const configSchema = z
  .object({
    TOPDECK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    UPSTASH_REDIS_REST_URL: httpUrl.optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    ARM_ENDPOINT: z.url({ protocol: /^https$/ }).default("https://management.azure.com"),
    AZURE_AUTHORITY_HOST: z.url({ protocol: /^https$/ }).default("https://login.microsoftonline.com"),
    TOPDECK_SUBSCRIPTIONS: list
      .pipe(z.array(z.string().regex(guid, "each entry must be a subscription GUID")))
      .default([]),
    DISCOVERY_CONCURRENCY: int(1, 256).default(8),
    AzureWebJobsStorage: z.string().optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.UPSTASH_REDIS_REST_URL !== undefined && cfg.UPSTASH_REDIS_REST_TOKEN === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_TOKEN"],
        message: "required when UPSTASH_REDIS_REST_URL is set",
      });
    }
    if (cfg.UPSTASH_REDIS_REST_TOKEN !== undefined && cfg.UPSTASH_REDIS_REST_URL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_URL"],
        message: "required when UPSTASH_REDIS_REST_TOKEN is set",
      });
    }
  });

export type Config = z.output<typeof configSchema>;
export type SettingName = keyof z.input<typeof configSchema>;

/** What each setting means and its expected shape; the README table mirrors this. */
export const settingDocs: Record<SettingName, { shape: string; default: string; meaning: string }> = {
  TOPDECK_LOG_LEVEL: {
    shape: "one of debug, info, warn, error",
    default: "info",
    meaning: "Lowest level written to the log.",
  },
  UPSTASH_REDIS_REST_URL: {
    shape: "http(s) URL",
    default: "(unset: in-memory store)",
    meaning: "Upstash REST endpoint of the Redis that holds snapshots, caches and locks.",
  },
  UPSTASH_REDIS_REST_TOKEN: {
    shape: "non-empty string (secret)",
    default: "(unset)",
    meaning: "Bearer token for UPSTASH_REDIS_REST_URL; required when the URL is set.",
  },
  ARM_ENDPOINT: {
    shape: "https URL",
    default: "https://management.azure.com",
    meaning: "Azure Resource Manager endpoint (sovereign clouds, or the ARM emulator).",
  },
  AZURE_AUTHORITY_HOST: {
    shape: "https URL",
    default: "https://login.microsoftonline.com",
    meaning: "Microsoft Entra authority used by DefaultAzureCredential.",
  },
  TOPDECK_SUBSCRIPTIONS: {
    shape: "subscription GUIDs separated by commas",
    default: "(empty: every subscription the identity can see)",
    meaning: "Subscriptions in scope of discovery.",
  },
  DISCOVERY_CONCURRENCY: {
    shape: "integer 1-256",
    default: "8",
    meaning: "Resource types discovered at once per subscription.",
  },
  AzureWebJobsStorage: {
    shape: "connection string, or the identity-based __accountName form",
    default: "UseDevelopmentStorage=true (local)",
    meaning: "Storage used by the Functions host for timers and queues (read by the host).",
  },
};
