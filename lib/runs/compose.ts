import type { ArmReader } from "../azure/arm-reader.js";
import type { DiscoveryFilter, SubscriptionProgress } from "../azure/discover-subscription.js";
import type { Store } from "../cache/index.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../log/index.js";
import type { SubscriptionId } from "../topology/subscription-id.js";
import { type DevOpsSettings, type DevOpsSource, devopsSourceOf } from "./devops-source.js";
import { RunService } from "./run-service.js";
import { scopeKey } from "./scope.js";
import type { HeartbeatTimers } from "./scope-lock.js";

/** The settings a run service is built from. */
export type RunSettings = Pick<Config, "TOPDECK_SUBSCRIPTIONS" | "ARM_ENDPOINT" | "DISCOVERY_CONCURRENCY" | "DISCOVERY_LOCK_TTL_MS"> &
  Partial<DevOpsSettings>;

/** What the caller brings to {@link createRunService}; everything else comes from the settings. */
export interface RunServiceParts {
  store: Store;
  log: Logger;
  /** The ARM reader, made on first use (the function app loads it lazily). */
  reader: () => ArmReader | Promise<ArmReader>;
  /** ARM endpoint runs read (an emulator's URL). @default ARM_ENDPOINT */
  endpoint?: string;
  /** Subscriptions in scope (CLI flags). @default TOPDECK_SUBSCRIPTIONS (empty: every visible one) */
  subscriptions?: readonly SubscriptionId[];
  /** A filtered run's filter; the scope then includes it. @default everything */
  filter?: DiscoveryFilter;
  /** Types discovered at once per subscription. @default DISCOVERY_CONCURRENCY */
  concurrency?: number;
  /** Told of each subscription's progress in this process. */
  onProgress?: (progress: SubscriptionProgress) => void;
  /** @default Date.now */
  now?: () => number;
  /** @default crypto.randomUUID */
  randomId?: () => string;
  /** The lease heartbeat's timers. @default the global ones */
  timers?: HeartbeatTimers;
  /**
   * Azure DevOps organisations each run also discovers (CLI `--devops-org`, an emulator), or
   * `null` for none. @default DEVOPS_ORGANIZATIONS with DEVOPS_PAT or DefaultAzureCredential
   */
  devops?: DevOpsSource | null;
}

/**
 * The one composition root of discovery runs: the function app (lib/api/app-runs.ts),
 * `topdeck serve` and `topdeck discover` all build their RunService here, so every run path has
 * the same scope (lib/runs/scope.ts), lock and fence.
 */
export function createRunService(config: RunSettings, parts: RunServiceParts): RunService {
  const subscriptions = parts.subscriptions ?? config.TOPDECK_SUBSCRIPTIONS;
  const devops = parts.devops === undefined ? settingsDevOps(config, parts.log) : (parts.devops ?? undefined);
  return new RunService({
    store: parts.store,
    log: parts.log,
    scope: scopeKey(subscriptions, parts.filter),
    subscriptions,
    ...(parts.filter === undefined ? {} : { filter: parts.filter }),
    reader: parts.reader,
    endpoint: parts.endpoint ?? config.ARM_ENDPOINT,
    concurrency: parts.concurrency ?? config.DISCOVERY_CONCURRENCY,
    lockTtlMs: config.DISCOVERY_LOCK_TTL_MS,
    ...(parts.onProgress === undefined ? {} : { onProgress: parts.onProgress }),
    ...(parts.now === undefined ? {} : { now: parts.now }),
    ...(parts.randomId === undefined ? {} : { randomId: parts.randomId }),
    ...(parts.timers === undefined ? {} : { timers: parts.timers }),
    ...(devops === undefined ? {} : { devops }),
  });
}

function settingsDevOps(config: RunSettings, log: Logger): DevOpsSource | undefined {
  if (!config.DEVOPS_ORGANIZATIONS?.length) return undefined;
  return devopsSourceOf(
    {
      DEVOPS_ORGANIZATIONS: config.DEVOPS_ORGANIZATIONS,
      DEVOPS_PAT: config.DEVOPS_PAT,
      DEVOPS_REQUESTS_PER_MINUTE: config.DEVOPS_REQUESTS_PER_MINUTE ?? 200,
      DEVOPS_RUNS_WINDOW_HOURS: config.DEVOPS_RUNS_WINDOW_HOURS ?? 168,
      AZURE_AUTHORITY_HOST: config.AZURE_AUTHORITY_HOST ?? "https://login.microsoftonline.com",
      UPSTASH_REDIS_REST_URL: config.UPSTASH_REDIS_REST_URL,
      UPSTASH_REDIS_REST_TOKEN: config.UPSTASH_REDIS_REST_TOKEN,
    },
    log,
  );
}
