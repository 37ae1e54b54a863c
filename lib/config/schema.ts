import { z } from "zod";

import { subscriptionIdSchema } from "../topology/subscription-id.js";

/** Comma- or whitespace-separated list setting; empty means "none given". */
const list = z.string().transform((s) => s.split(/[\s,]+/).filter((part) => part.length > 0));

/**
 * An NCRONTAB expression as Azure Functions timers take it: six fields (seconds first), each of
 * digits, `*`, `/`, `,`, `-` or month/day names.
 */
const ncrontab = /^[\w*/,-]+(\s+[\w*/,-]+){5}$/;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Hosts a plain-http URL may name: this machine only, so nothing travels in clear on a network. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * An https URL; http only for a loopback host (a local bridge, Prometheus or Loki), since the
 * credentials these URLs are called with would otherwise travel in clear.
 */
const secureUrl = z.url({ protocol: /^https?$/ }).refine((u) => {
  const url = new URL(u);
  return url.protocol === "https:" || isLoopbackHost(url.hostname);
}, "must be https unless the host is loopback (127.0.0.1, localhost, [::1])");

/**
 * Credentials for Prometheus or Loki: `bearer TOKEN` or `basic USER:PASSWORD`, turned into the
 * Authorization header value sent with every request.
 */
const backendAuth = z.string().transform((text, ctx): string => {
  const bearer = /^bearer\s+(\S+)$/i.exec(text.trim());
  if (bearer) return `Bearer ${bearer[1]!}`;
  const basic = /^basic\s+([^:\s]+:.+)$/i.exec(text.trim());
  if (basic) return `Basic ${Buffer.from(basic[1]!, "utf8").toString("base64")}`;
  ctx.addIssue({ code: "custom", message: "expected bearer TOKEN or basic USER:PASSWORD" });
  return z.NEVER;
});

/** A JSON object in a string (parsed here; its shape is checked by the module that owns it). */
const jsonObject = z.string().transform((text, ctx): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: "expected a JSON object" });
  return z.NEVER;
});

/**
 * Every environment setting TopDeck reads, in one place. The README's settings table is checked
 * against `settingDocs` by a test, so the two cannot drift.
 */
export const configSchema = z
  .object({
    TOPDECK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    TOPDECK_AUTH_MODE: z.enum(["keys", "entra"]).default("keys"),
    UPSTASH_REDIS_REST_URL: secureUrl.optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    CACHE_TIMEOUT_MS: int(1, 60_000).default(250),
    CACHE_MAX_ENTRIES: int(100, 10_000_000).default(10_000),
    CACHE_MAX_BYTES: int(1_048_576, 4_294_967_296).default(67_108_864),
    SNAPSHOT_CHUNK_BYTES: int(16_384, 104_857_600).default(1_000_000),
    SNAPSHOT_KEEP: int(1, 100).default(3),
    ARM_ENDPOINT: z.url({ protocol: /^https$/ }).default("https://management.azure.com"),
    AZURE_AUTHORITY_HOST: z.url({ protocol: /^https$/ }).default("https://login.microsoftonline.com"),
    TOPDECK_SUBSCRIPTIONS: list.pipe(z.array(subscriptionIdSchema("each entry must be a subscription GUID"))).default([]),
    DISCOVERY_CONCURRENCY: int(1, 256).default(8),
    DISCOVERY_MAX_PAGES: int(1, 100_000).default(1_000),
    DISCOVERY_SCHEDULE: z.string().trim().regex(ncrontab, "six fields: second minute hour day month day-of-week").default("0 0 */6 * * *"),
    DISCOVERY_LOCK_TTL_MS: int(5_000, 3_600_000).default(600_000),
    DISCOVERY_START_COOLDOWN_MS: int(0, 86_400_000).default(60_000),
    PROMETHEUS_URL: secureUrl.optional(),
    PROMETHEUS_AUTH: backendAuth.optional(),
    LOKI_URL: secureUrl.optional(),
    LOKI_AUTH: backendAuth.optional(),
    MONITORING_TIMEOUT_MS: int(100, 60_000).default(3_000),
    MONITORING_QUERY_TEMPLATES: jsonObject.optional(),
    DEVOPS_ORGANIZATIONS: list.pipe(z.array(z.url({ protocol: /^https$/ }))).default([]),
    DEVOPS_PAT: z.string().min(1).optional(),
    DEVOPS_REQUESTS_PER_MINUTE: int(1, 100_000).default(200),
    DEVOPS_RUNS_WINDOW_HOURS: int(1, 8_760).default(168),
    AzureWebJobsStorage: z.string().optional(),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
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
  TOPDECK_AUTH_MODE: {
    shape: "one of keys, entra",
    default: "keys",
    meaning:
      "Who the Functions host lets through to the app: keys (routes need a function key; a signed-in principal's app roles are checked too) or entra (App Service Authentication requires sign-in in front of the app, routes are anonymous to the host and the app requires a principal with the route's app role; keys are not accepted). infra sets entra when requireSignIn is true.",
  },
  UPSTASH_REDIS_REST_URL: {
    shape: "https URL (http only for a loopback host)",
    default: "(unset: in-memory store)",
    meaning: "Upstash REST endpoint of the Redis that holds snapshots, caches and locks.",
  },
  UPSTASH_REDIS_REST_TOKEN: {
    shape: "non-empty string (secret)",
    default: "(unset)",
    meaning: "Bearer token for UPSTASH_REDIS_REST_URL; required when the URL is set.",
  },
  CACHE_TIMEOUT_MS: {
    shape: "integer 1-60000",
    default: "250",
    meaning: "Longest wait in ms for one Redis cache, lock or generation operation; past it the call falls through to the source.",
  },
  CACHE_MAX_ENTRIES: {
    shape: "integer 100-10000000",
    default: "10000",
    meaning: "Most entries the in-memory store holds (used when UPSTASH_REDIS_REST_URL is unset); least recently used go first.",
  },
  CACHE_MAX_BYTES: {
    shape: "integer 1048576-4294967296",
    default: "67108864",
    meaning:
      "Most characters the in-memory store's entries with a TTL (query cache, run state) hold together; least recently used go first, and a value larger than the budget is never kept. Snapshot chunks are not counted.",
  },
  SNAPSHOT_CHUNK_BYTES: {
    shape: "integer 16384-104857600",
    default: "1000000",
    meaning: "Largest request one snapshot chunk write may make; keep it within the Upstash plan's request size limit.",
  },
  SNAPSHOT_KEEP: {
    shape: "integer 1-100",
    default: "3",
    meaning: "Snapshots kept per scope for diffs, the current one included; older ones expire.",
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
  DISCOVERY_MAX_PAGES: {
    shape: "integer 1-100000",
    default: "1000",
    meaning:
      "Longest nextLink chain one ARM list follows; past it, or on a repeated nextLink, the list ends with a recorded error and keeps the pages read.",
  },
  DISCOVERY_SCHEDULE: {
    shape: "NCRONTAB expression, six fields (second minute hour day month day-of-week), UTC",
    default: "0 0 */6 * * * (every 6 hours)",
    meaning: "When the timer starts a discovery run; read when the app starts.",
  },
  DISCOVERY_LOCK_TTL_MS: {
    shape: "integer 5000-3600000",
    default: "600000",
    meaning: "Lifetime in ms of a run's scope lock unless a worker renews it; a crashed run frees its scope after this.",
  },
  DISCOVERY_START_COOLDOWN_MS: {
    shape: "integer 0-86400000",
    default: "60000",
    meaning:
      "Least time in ms between two discovery runs started over HTTP for one scope (429 with Retry-After before it); 0 turns it off. The timer and topdeck serve skip it.",
  },
  PROMETHEUS_URL: {
    shape: "https URL (http only for a loopback host)",
    default: "(unset: monitoring metrics, health and bottlenecks answer 503)",
    meaning: "Prometheus HTTP API base URL (for example https://prometheus.example.com) for resource metrics, health and bottlenecks.",
  },
  PROMETHEUS_AUTH: {
    shape: "bearer TOKEN or basic USER:PASSWORD (secret)",
    default: "(unset: no credentials sent)",
    meaning: "Credentials sent to PROMETHEUS_URL as the Authorization header; infra sets a Key Vault reference.",
  },
  LOKI_URL: {
    shape: "https URL (http only for a loopback host)",
    default: "(unset: monitoring errors answer 503)",
    meaning: "Loki base URL (for example https://loki.example.com) for error logs along the dependency path.",
  },
  LOKI_AUTH: {
    shape: "bearer TOKEN or basic USER:PASSWORD (secret)",
    default: "(unset: no credentials sent)",
    meaning: "Credentials sent to LOKI_URL as the Authorization header; infra sets a Key Vault reference.",
  },
  MONITORING_TIMEOUT_MS: {
    shape: "integer 100-60000",
    default: "3000",
    meaning: "Longest wait in ms for one Prometheus or Loki request; two attempts at most, then the breaker counts it.",
  },
  MONITORING_QUERY_TEMPLATES: {
    shape: "JSON object: template kind to overrides (docs/monitoring.md)",
    default: "(unset: the built-in templates)",
    meaning: "Overrides or additions to the PromQL query templates per kind of resource.",
  },
  DEVOPS_ORGANIZATIONS: {
    shape: "comma- or space-separated https URLs",
    default: "(unset: no Azure DevOps discovery)",
    meaning: "Azure DevOps organisations to discover (https://dev.azure.com/ORG); docs/devops.md.",
  },
  DEVOPS_PAT: {
    shape: "non-empty string (secret; a Key Vault reference in infra)",
    default: "(unset: an Entra token from the app's identity)",
    meaning: "Personal access token for Azure DevOps (read scopes); without it DefaultAzureCredential gets an Entra token.",
  },
  DEVOPS_REQUESTS_PER_MINUTE: {
    shape: "integer 1-100000",
    default: "200",
    meaning: "Requests a minute per Azure DevOps organisation, shared by every instance through the store; throttling headers lower it.",
  },
  DEVOPS_RUNS_WINDOW_HOURS: {
    shape: "integer 1-8760",
    default: "168",
    meaning: "How far back runs, deployments and service-connection uses are read.",
  },
  AzureWebJobsStorage: {
    shape: "connection string, or the identity-based __accountName form",
    default: "UseDevelopmentStorage=true (local)",
    meaning: "Storage used by the Functions host for timers and queues (read by the host).",
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    shape: "Application Insights connection string",
    default: "(unset: no telemetry is exported)",
    meaning:
      "Where OpenTelemetry traces and metrics go (@azure/monitor-opentelemetry starts only when set); infra sets it from the Application Insights resource.",
  },
};
