import { createHash } from "node:crypto";

import type { DiscoveryFilter } from "../azure/discover-subscription.js";
import { type SubscriptionId, uniqueSubscriptionIds } from "../topology/subscription-id.js";

/** A discovery filter in one spelling: lower-cased, without repeats, sorted; absent parts omitted. */
export interface RunFilter {
  resourceGroups?: string[];
  includeTypes?: string[];
  excludeTypes?: string[];
}

/**
 * `filter` in its one spelling, so the same filter always gives the same scope; undefined when it
 * filters nothing (every part empty or absent).
 */
export function normaliseFilter(filter: DiscoveryFilter | undefined): RunFilter | undefined {
  if (filter === undefined) return undefined;
  const part = (values: readonly string[] | undefined): string[] | undefined => {
    const set = [...new Set((values ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v.length > 0))].sort();
    return set.length === 0 ? undefined : set;
  };
  const out: RunFilter = {};
  const resourceGroups = part(filter.resourceGroups);
  const includeTypes = part(filter.includeTypes);
  const excludeTypes = part(filter.excludeTypes);
  if (resourceGroups !== undefined) out.resourceGroups = resourceGroups;
  if (includeTypes !== undefined) out.includeTypes = includeTypes;
  if (excludeTypes !== undefined) out.excludeTypes = excludeTypes;
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * The snapshot scope of a run (docs/discovery.md, "Filtered runs are scopes of their own"):
 * `tenant` for every subscription the identity can see, else `subscriptions-` and a digest of the
 * sorted subscription list; a run with a filter gets `~filter-` and a digest of the normalised
 * filter on top, so a filtered run never replaces (nor carries forward from) the full snapshot.
 */
export function scopeKey(subscriptions: readonly SubscriptionId[] | undefined, filter?: DiscoveryFilter): string {
  const base =
    subscriptions === undefined || subscriptions.length === 0
      ? "tenant"
      : `subscriptions-${digest(uniqueSubscriptionIds(subscriptions).sort().join(","))}`;
  const normalised = normaliseFilter(filter);
  return normalised === undefined ? base : `${base}~filter-${digest(JSON.stringify(normalised))}`;
}

/** True for the scope of a filtered run. */
export function isFilteredScope(scope: string): boolean {
  return scope.includes("~filter-");
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
