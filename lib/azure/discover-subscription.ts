import pLimit from "p-limit";

import { sanitisePayload, sanitiseText } from "../security/index.js";
import { withSpan } from "../telemetry/index.js";
import type { ExportResource, RunError } from "../topology/export-format.js";
import { canonicalKey, parseResourceId } from "../topology/ids.js";
import { apiVersionsByType, type ProviderInfo } from "./api-versions.js";
import { type ArmReader, type CallStats, isArmRequestError, newCallStats } from "./arm-reader.js";
import { isRejected, liftEmbeddedNodes, normalizeResource } from "./normalize.js";

/** Which resources of a subscription to discover. */
export interface DiscoveryFilter {
  /** Only these resource groups (case-insensitive). @default all */
  resourceGroups?: readonly string[];
  /** Only these types (case-insensitive). @default all */
  includeTypes?: readonly string[];
  /** Never these types (case-insensitive). @default none */
  excludeTypes?: readonly string[];
}

/** Per-type figures of one subscription's discovery. */
export interface TypeStats extends CallStats {
  type: string;
  resources: number;
  durationMs: number;
  /** How the full objects were read. */
  method: "list" | "get" | "envelope";
  failed: boolean;
}

/** Progress of one subscription, reported as each type finishes. */
export interface SubscriptionProgress {
  subscriptionId: string;
  typesDone: number;
  typesTotal: number;
  resources: number;
  throttled: number;
  errors: number;
  /** The type whose completion this report is about, with its figures. */
  finished?: TypeStats;
}

/** Options of `discoverSubscription`. */
export interface DiscoverSubscriptionOptions {
  reader: ArmReader;
  subscriptionId: string;
  filter?: DiscoveryFilter;
  /** Types discovered at once. @default 8 */
  concurrency?: number;
  /** The previous snapshot's resources of this subscription, carried forward when a read fails. */
  previous?: readonly ExportResource[];
  /** api-versions by lower-cased type, when already known (cached); otherwise read from ARM. */
  apiVersions?: (load: () => Promise<ProviderInfo[]>) => Promise<Map<string, string>>;
  onProgress?: (p: SubscriptionProgress) => void;
  now?: () => number;
}

/** What one subscription's discovery produced. */
export interface SubscriptionResult {
  subscriptionId: string;
  resources: ExportResource[];
  errors: RunError[];
  types: TypeStats[];
  stats: CallStats;
}

const lower = (s: string) => s.toLowerCase();

/**
 * Discovers one subscription: the generic list says what exists; then, per type and `concurrency`
 * types at a time, the provider's list endpoint gives full objects (a GET per resource for child
 * types, for types whose list fails as unsupported, and for resources the list missed). A type
 * that still fails is recorded and its previous resources are carried forward as stale; if the
 * generic list itself fails, the whole previous subscription is.
 */
export async function discoverSubscription(options: DiscoverSubscriptionOptions): Promise<SubscriptionResult> {
  return withSpan("discovery.subscription", { "topdeck.subscription.id": options.subscriptionId }, async (span) => {
    const result = await discoverOneSubscription(options);
    span.setAttributes({
      "topdeck.subscription.resources": result.resources.length,
      "topdeck.subscription.types": result.types.length,
      "topdeck.subscription.errors": result.errors.length,
      "topdeck.subscription.throttled": result.stats.throttled,
    });
    return result;
  });
}

async function discoverOneSubscription(options: DiscoverSubscriptionOptions): Promise<SubscriptionResult> {
  const { reader, subscriptionId, filter = {}, previous = [] } = options;
  const now = options.now ?? Date.now;
  const stats = newCallStats();
  const errors: RunError[] = [];
  const types: TypeStats[] = [];
  const inGroup = groupFilter(filter.resourceGroups);
  const typeAllowed = typeFilter(filter);

  const previousByType = new Map<string, ExportResource[]>();
  for (const r of previous) {
    if (!inGroup(r.resourceGroup) || !typeAllowed(r.type)) continue;
    const t = lower(r.type);
    previousByType.set(t, [...(previousByType.get(t) ?? []), r]);
  }
  // A snapshot committed before payloads were sanitised may still hold secrets: carried forward, they are sanitised too.
  const carryAll = (): ExportResource[] =>
    [...previousByType.values()].flat().map((r) => sanitisePayload({ ...r, stale: true }));

  // 1. What exists: the generic list, grouped by type. A top-level type's provider list starts
  // as soon as the type first shows up, so the fan-out overlaps the generic list's paging.
  const envelopes = new Map<string, Map<string, Record<string, unknown>>>();
  // The type as the first envelope of it spelled it: the type's name in stats and errors.
  const displayTypes = new Map<string, string>();
  // Keys a type's provider list has given in full, once that list has succeeded: their
  // envelopes are no longer needed (nothing falls back to them), so they are not kept. At
  // 100,000 resources the envelopes would otherwise all be held until the end of the fan-out.
  const listed = new Map<string, ReadonlyMap<string, ExportResource>>();
  const listings = new Map<string, { started: number; stats: CallStats; done: Promise<Listing> }>();
  const limit = pLimit(options.concurrency ?? 8);
  const progress: SubscriptionProgress = { subscriptionId, typesDone: 0, typesTotal: 0, resources: 0, throttled: 0, errors: 0 };
  let versions: Map<string, string> | undefined;
  const waiting: Array<[string, string]> = [];
  const startListing = (t: string, type: string): void => {
    if (versions === undefined) {
      waiting.push([t, type]);
      return;
    }
    const apiVersion = versions.get(t);
    if (listings.has(t) || apiVersion === undefined || type.split("/").length !== 2) return;
    const typeStats = newCallStats();
    const started = now();
    const done = limit(() =>
      listType({ reader, subscriptionId, type, apiVersion, resourceGroups: filter.resourceGroups, inGroup, stats: typeStats }),
    ).then((listing) => {
      if (listing.error === undefined && !listing.unsupported) {
        listed.set(t, listing.found);
        const byKey = envelopes.get(t);
        if (byKey !== undefined) for (const key of listing.found.keys()) byKey.delete(key);
      }
      return listing;
    });
    listings.set(t, { started, stats: typeStats, done });
  };
  let versionsOutcome: Promise<{ error: unknown } | undefined> = Promise.resolve(undefined);
  try {
    // api-versions and the generic list load side by side; types seen before the versions
    // arrive start their listing when they do.
    const loadProviders = () => reader.listProviders(subscriptionId, stats);
    const versionsLoaded = (options.apiVersions ? options.apiVersions(loadProviders) : loadProviders().then(apiVersionsByType)).then(
      (v) => {
        versions = v;
        for (const [t, type] of waiting.splice(0)) startListing(t, type);
      },
    );
    // Settled before any await, so a failure here is never an unhandled rejection.
    versionsOutcome = versionsLoaded.then(
      () => undefined,
      (e: unknown) => ({ error: e }),
    );
    const take = (page: unknown[]): void => {
      for (const raw of page) {
        const env = raw as Record<string, unknown>;
        if (typeof env.id !== "string" || typeof env.type !== "string") continue;
        const parts = parseResourceId(env.id);
        if (!inGroup(parts?.resourceGroup) || !typeAllowed(env.type)) continue;
        const t = lower(env.type);
        let byKey = envelopes.get(t);
        if (byKey === undefined) {
          envelopes.set(t, (byKey = new Map()));
          displayTypes.set(t, env.type);
          progress.typesTotal += 1;
          startListing(t, env.type);
        }
        const key = canonicalKey(env.id);
        if (listed.get(t)?.has(key) !== true) byKey.set(key, env);
      }
    };
    const groups = filter.resourceGroups?.length ? [...filter.resourceGroups] : await groupsWorthSplitting(reader, subscriptionId, stats);
    if (groups === undefined) {
      for await (const page of reader.listResources(subscriptionId, undefined, stats)) take(page);
    } else {
      // One nextLink chain per resource group, side by side: the chains are what latency bounds.
      const groupLimit = pLimit(options.concurrency ?? 8);
      await Promise.all(
        groups.map((group) =>
          groupLimit(async () => {
            try {
              for await (const page of reader.listResources(subscriptionId, group, stats)) take(page);
            } catch (error) {
              // A group deleted since it was listed holds nothing any more.
              if (!(isArmRequestError(error) && error.status === 404 && filter.resourceGroups === undefined)) throw error;
            }
          }),
        ),
      );
    }
    const failed = await versionsOutcome;
    if (failed !== undefined) throw failed.error;
  } catch (error) {
    await versionsOutcome;
    await Promise.allSettled([...listings.values()].map((l) => l.done));
    for (const l of listings.values()) add(stats, l.stats);
    errors.push(runError(subscriptionId, "*", error));
    return { subscriptionId, resources: carryAll(), errors, types, stats };
  }

  // 2. Full objects, type by type: the listing's result, then GETs for what it did not give.
  const perType = await Promise.all(
    [...envelopes.keys()].sort().map(async (t) => {
      const byKey = envelopes.get(t)!;
      const displayType = displayTypes.get(t) ?? t;
      const listing = listings.get(t);
      const typeStats = listing?.stats ?? newCallStats();
      const started = listing?.started ?? now();
      const outcome = await withSpan("discovery.type", { "topdeck.subscription.id": subscriptionId, "topdeck.type": displayType }, async (span) => {
        const done = await limit(async () =>
          completeType(
            {
              reader,
              subscriptionId,
              type: displayType,
              apiVersion: versions?.get(t),
              envelopes: byKey,
              previous: previousByType.get(t) ?? [],
              stats: typeStats,
              concurrency: options.concurrency ?? 8,
            },
            listing === undefined ? undefined : await listing.done,
          ),
        );
        span.setAttributes({
          "topdeck.type.resources": done.resources.length,
          "topdeck.type.method": done.method,
          "topdeck.type.requests": typeStats.requests,
          "topdeck.type.throttled": typeStats.throttled,
          "topdeck.type.failed": done.errors.length > 0,
        });
        return done;
      });
      add(stats, typeStats);
      errors.push(...outcome.errors);
      // The envelopes have served their purpose; let them go before the next types finish.
      byKey.clear();
      types.push({
        type: displayType,
        ...typeStats,
        resources: outcome.resources.length,
        durationMs: now() - started,
        method: outcome.method,
        failed: outcome.errors.length > 0,
      });
      progress.typesDone += 1;
      progress.resources += outcome.resources.length;
      progress.throttled = stats.throttled;
      progress.errors = errors.length;
      options.onProgress?.({ ...progress, finished: types[types.length - 1]! });
      return outcome.resources;
    }),
  );

  // 3. Nodes that only arrive embedded in their parent (subnets), unless read on their own.
  const resources = liftEmbeddedNodes(perType.flat(), typeAllowed);
  types.sort((a, b) => (a.type < b.type ? -1 : 1));
  return { subscriptionId, resources, errors, types, stats };
}

/** What a provider list endpoint gave for one type. */
interface Listing {
  found: Map<string, ExportResource>;
  /** The list failed for good (not merely unsupported). */
  error?: unknown;
  /** The type has no usable list endpoint: read by id. */
  unsupported: boolean;
}

async function listType(input: {
  reader: ArmReader;
  subscriptionId: string;
  type: string;
  apiVersion: string;
  resourceGroups: readonly string[] | undefined;
  inGroup: (group: string | undefined) => boolean;
  stats: CallStats;
}): Promise<Listing> {
  const found = new Map<string, ExportResource>();
  try {
    const groups = input.resourceGroups?.length ? input.resourceGroups : [undefined];
    for (const group of groups) {
      for await (const page of input.reader.listByType(input.subscriptionId, input.type, input.apiVersion, group, input.stats)) {
        for (const raw of page) {
          const r = normalizeResource(raw);
          if (isRejected(r) || !input.inGroup(r.resourceGroup)) continue;
          found.set(r.key, r);
        }
      }
    }
    return { found, unsupported: false };
  } catch (error) {
    return listUnsupported(error) ? { found, unsupported: true } : { found, error, unsupported: false };
  }
}

/**
 * Up to this many resource groups, the generic list is read per group, in parallel: a chain of
 * nextLinks costs one latency per page, and splitting it costs at most one partly filled page per
 * group — at most this many extra requests, half of ARM's burst of 250. Past it, one chain over
 * the subscription.
 */
export const MAX_GROUPS_TO_SPLIT = 128;

async function groupsWorthSplitting(reader: ArmReader, subscriptionId: string, stats: CallStats): Promise<string[] | undefined> {
  const groups = await reader.listResourceGroups(subscriptionId, stats);
  return groups.length > 1 && groups.length <= MAX_GROUPS_TO_SPLIT ? groups : undefined;
}

interface CompleteTypeInput {
  reader: ArmReader;
  subscriptionId: string;
  type: string;
  apiVersion: string | undefined;
  envelopes: Map<string, Record<string, unknown>>;
  previous: readonly ExportResource[];
  stats: CallStats;
  concurrency: number;
}

interface TypeOutcome {
  resources: ExportResource[];
  errors: RunError[];
  method: TypeStats["method"];
}

async function completeType(input: CompleteTypeInput, listing: Listing | undefined): Promise<TypeOutcome> {
  const { reader, subscriptionId, type, apiVersion, envelopes, stats } = input;
  const found = new Map<string, ExportResource>(listing?.unsupported === false ? listing.found : []);
  const errors: RunError[] = [];
  const previousByKey = new Map(input.previous.map((r) => [r.key, r]));

  // The last good data we have for a resource we could not read now.
  const fallback = (key: string): ExportResource | undefined => {
    const prev = previousByKey.get(key);
    if (prev !== undefined) return sanitisePayload({ ...prev, stale: true });
    const env = normalizeResource(envelopes.get(key));
    return isRejected(env) ? undefined : { ...env, stale: true };
  };
  const fallBackAll = (): void => {
    for (const key of envelopes.keys()) {
      const r = fallback(key);
      if (r !== undefined) found.set(key, r);
    }
  };
  const finish = (method: TypeStats["method"]): TypeOutcome => ({ resources: [...found.values()], errors, method });

  if (apiVersion === undefined) {
    errors.push({
      subscriptionId,
      type,
      code: "NoApiVersion",
      message: `the providers API offers no api-version for ${type}; kept the generic envelope`,
      attempts: 0,
    });
    fallBackAll();
    return finish("envelope");
  }
  if (listing?.error !== undefined) {
    errors.push(runError(subscriptionId, type, listing.error));
    fallBackAll();
    return finish("list");
  }

  // GET what the list did not give: every resource of a child type, or the list's stragglers.
  const missing = [...envelopes.keys()].filter((k) => !found.has(k));
  const limit = pLimit(input.concurrency);
  const failures: unknown[] = [];
  await Promise.all(
    missing.map((key) =>
      limit(async () => {
        const id = String(envelopes.get(key)!.id);
        try {
          const r = normalizeResource(await reader.getById(id, apiVersion, stats));
          if (!isRejected(r)) {
            found.set(key, r);
            return;
          }
          failures.push(new Error(`${id}: ${r.reason}`));
        } catch (error) {
          // Deleted between the generic list and the GET: gone, not an error.
          if (isArmRequestError(error) && error.status === 404) return;
          failures.push(error);
        }
        const r = fallback(key);
        if (r !== undefined) found.set(key, r);
      }),
    ),
  );
  if (failures.length > 0) {
    const first = runError(subscriptionId, type, failures[0]);
    errors.push({ ...first, message: `${failures.length} of ${missing.length} GETs failed; first: ${first.message}` });
  }
  return finish(listing === undefined || listing.unsupported ? "get" : "list");
}

/** A list endpoint the type does not support answers 400/404/405: read by id instead. */
function listUnsupported(error: unknown): boolean {
  return isArmRequestError(error) && [400, 404, 405].includes(error.status);
}

// An ARM error message can quote the payload it refused: sanitised like one, since it is exported and served.
function runError(subscriptionId: string, type: string, error: unknown): RunError {
  if (isArmRequestError(error)) {
    return { subscriptionId, type, code: error.armCode, message: sanitiseText(error.message), attempts: error.attempts };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { subscriptionId, type, code: (e as { code?: string }).code ?? e.name, message: sanitiseText(e.message), attempts: 1 };
}

function add(into: CallStats, from: CallStats): void {
  into.requests += from.requests;
  into.pages += from.pages;
  into.throttled += from.throttled;
  into.retries += from.retries;
}

function groupFilter(groups: readonly string[] | undefined): (group: string | undefined) => boolean {
  if (groups === undefined || groups.length === 0) return () => true;
  const wanted = new Set(groups.map(lower));
  return (group) => group !== undefined && wanted.has(lower(group));
}

function typeFilter(filter: DiscoveryFilter): (type: string) => boolean {
  const include = filter.includeTypes?.length ? new Set(filter.includeTypes.map(lower)) : undefined;
  const exclude = new Set((filter.excludeTypes ?? []).map(lower));
  return (type) => {
    const t = lower(type);
    return (include === undefined || include.has(t)) && !exclude.has(t);
  };
}
