import { createHash } from "node:crypto";

import { z } from "zod";

import type { Store } from "../cache/index.js";
import type { Logger } from "../log/index.js";
import type { TopologyExport } from "../topology/export-format.js";
import { apiVersionsByType, type ProviderInfo } from "./api-versions.js";
import type { ArmReader } from "./arm-reader.js";
import { runDiscovery,type RunDiscoveryOptions } from "./discover.js";

/** api-versions change rarely; a day is what the providers API is worth caching for. */
export const API_VERSIONS_TTL_MS = 86_400_000;

/**
 * The snapshot scope of a discovery: `tenant` for every subscription the identity can see, else a
 * stable digest of the sorted, lower-cased subscription list (so the same scope is found again).
 */
export function scopeKey(subscriptions: readonly string[] | undefined): string {
  if (subscriptions === undefined || subscriptions.length === 0) return "tenant";
  const sorted = [...new Set(subscriptions.map((s) => s.toLowerCase()))].sort();
  return `subscriptions-${createHash("sha256").update(sorted.join(",")).digest("hex").slice(0, 16)}`;
}

/** Options of `discoverAndCommit`. */
export interface DiscoverAndCommitOptions extends Omit<RunDiscoveryOptions, "previous" | "apiVersions"> {
  store: Store;
  log: Logger;
  /** Part of the api-version cache key, so two clouds (or an emulator) never share entries. */
  endpoint: string;
}

/** What a committed run gives back. */
export interface CommittedRun {
  export: TopologyExport;
  scope: string;
  /** True when the snapshot store took the run; false with `commitError` when it could not. */
  committed: boolean;
  commitError?: string;
}

const versionsSchema = z.record(z.string(), z.string());

/**
 * One discovery run with the store around it: the previous snapshot of the scope is read for
 * carrying forward what cannot be read now, api-versions are cached for a day per subscription,
 * and the new export is committed with one atomic pointer swap. A run that dies before the
 * commit leaves the previous snapshot current.
 */
export async function discoverAndCommit(options: DiscoverAndCommitOptions): Promise<CommittedRun> {
  const { store, log, endpoint, ...run } = options;
  const scope = scopeKey(run.subscriptions);
  let previous: TopologyExport | undefined;
  try {
    previous = (await store.snapshots.read(scope))?.export;
  } catch (error) {
    log.warn("previous snapshot unreadable; nothing can be carried forward this run", { scope, error });
  }
  const result = await runDiscovery({
    ...run,
    ...(previous === undefined ? {} : { previous }),
    apiVersions: cachedApiVersions(store, endpoint),
  });
  try {
    await store.snapshots.write(scope, result);
    return { export: result, scope, committed: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error("the run's snapshot could not be committed; the previous one stays current", { scope, error });
    return { export: result, scope, committed: false, commitError: message };
  }
}

/**
 * api-version resolution per subscription, cached in the store for a day under the endpoint's
 * origin (so two clouds, or an emulator, never share entries).
 */
export function cachedApiVersions(
  store: Pick<Store, "cache">,
  endpoint: string,
): (subscriptionId: string, load: () => Promise<ProviderInfo[]>) => Promise<Map<string, string>> {
  const versions = store.cache("api-versions");
  const origin = new URL(endpoint).origin;
  return async (subscriptionId, load) => {
    const cached = await versions.cached(async () => Object.fromEntries(apiVersionsByType(await load())), {
      key: [origin, subscriptionId.toLowerCase()],
      ttlMs: API_VERSIONS_TTL_MS,
      schema: versionsSchema,
    });
    return new Map(Object.entries(cached));
  };
}

/** Reads the current snapshot of a scope, if one was ever committed. */
export async function currentSnapshot(store: Store, scope: string): Promise<TopologyExport | undefined> {
  return (await store.snapshots.read(scope))?.export;
}

/** Re-exported for callers that only pass the reader along. */
export type { ArmReader };
