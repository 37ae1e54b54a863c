import { Redis } from "@upstash/redis";
import type { WebApi } from "azure-devops-node-api";

import type { Config } from "../config/index.js";
import type { Logger } from "../log/index.js";
import type { RedisScriptRunner } from "../resilience/index.js";

/** Where a run's Azure DevOps organisations come from and how each is reached. */
export interface DevOpsSource {
  /** Organisation URLs (`https://dev.azure.com/{org}`), one step of the run each. */
  organizations: readonly string[];
  /** The real client for one organisation, authenticated (lib/devops `connectDevOps`). */
  connect: (orgUrl: string) => Promise<WebApi>;
  /** Requests a minute per organisation (or for each organisation URL). */
  requestsPerMinute: number | ((orgUrl: string) => number);
  /** How far back runs are read. */
  windowHours: number;
  /** Shares each organisation's limit across instances; without it the limit is per process. */
  redis?: RedisScriptRunner;
}

/** The settings a DevOps source is built from. */
export type DevOpsSettings = Pick<
  Config,
  "DEVOPS_ORGANIZATIONS" | "DEVOPS_PAT" | "DEVOPS_REQUESTS_PER_MINUTE" | "DEVOPS_RUNS_WINDOW_HOURS" | "AZURE_AUTHORITY_HOST"
> &
  Partial<Pick<Config, "UPSTASH_REDIS_REST_URL" | "UPSTASH_REDIS_REST_TOKEN">>;

/**
 * The organisations DEVOPS_ORGANIZATIONS names, reached with DEVOPS_PAT when set, else an Entra
 * token from DefaultAzureCredential; undefined when none is named. With the store's Upstash
 * settings each organisation's limit is shared by every instance (one bucket in Redis,
 * `topdeck:ratelimit:devops:{org}`). The DevOps client and the credential are loaded on the first
 * connection, not at start.
 */
export function devopsSourceOf(config: DevOpsSettings, log: Logger): DevOpsSource | undefined {
  if (config.DEVOPS_ORGANIZATIONS.length === 0) return undefined;
  return {
    organizations: config.DEVOPS_ORGANIZATIONS,
    requestsPerMinute: config.DEVOPS_REQUESTS_PER_MINUTE,
    windowHours: config.DEVOPS_RUNS_WINDOW_HOURS,
    ...(config.UPSTASH_REDIS_REST_URL !== undefined &&
      config.UPSTASH_REDIS_REST_TOKEN !== undefined && {
        redis: new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false }),
      }),
    connect: async (orgUrl) => {
      const [{ connectDevOps, devopsAuthOf }, { defaultAzureCredential }] = await Promise.all([
        import("../devops/auth.js"),
        import("../azure/credentials.js"),
      ]);
      return connectDevOps({ orgUrl, auth: devopsAuthOf(config, defaultAzureCredential(config.AZURE_AUTHORITY_HOST)), log });
    },
  };
}
