import { z } from "zod";

import type { Store } from "../cache/index.js";
import type { SubscriptionId } from "../topology/subscription-id.js";
import { apiVersionsByType, type ProviderInfo } from "./api-versions.js";
import type { ArmReader } from "./arm-reader.js";

/** api-versions change rarely; a day is what the providers API is worth caching for. */
export const API_VERSIONS_TTL_MS = 86_400_000;

const versionsSchema = z.record(z.string(), z.string());

/**
 * api-version resolution per subscription, cached in the store for a day under the endpoint's
 * origin (so two clouds, or an emulator, never share entries).
 */
export function cachedApiVersions(
  store: Pick<Store, "cache">,
  endpoint: string,
): (subscriptionId: SubscriptionId, load: () => Promise<ProviderInfo[]>) => Promise<Map<string, string>> {
  const versions = store.cache("api-versions");
  const origin = new URL(endpoint).origin;
  return async (subscriptionId, load) => {
    const cached = await versions.cached(async () => Object.fromEntries(apiVersionsByType(await load())), {
      key: [origin, subscriptionId],
      ttlMs: API_VERSIONS_TTL_MS,
      schema: versionsSchema,
    });
    return new Map(Object.entries(cached));
  };
}

/** Re-exported for callers that only pass the reader along. */
export type { ArmReader };
