import { setMaxListeners } from "node:events";

import pLimit from "p-limit";

import { abortReason, throwIfAborted } from "../resilience/index.js";
import { sanitisePayload } from "../security/index.js";
import { withSpan } from "../telemetry/index.js";
import type { ExportResource, RunError } from "../topology/export-format.js";
import { canonicalKey, parseResourceId } from "../topology/ids.js";
import type { ReferenceScans } from "../topology/reference-scan.js";
import { apiVersionsByType, type ProviderInfo } from "./api-versions.js";
import { type ArmReader, type CallStats, isArmRequestError, newCallStats } from "./arm-reader.js";
import { carryForwardIndex } from "./carry-forward.js";
import { DiscoveryAbortedError } from "./discovery-aborted.js";
import { FEDERATED_CREDENTIAL_TYPE, readFederatedCredentials } from "./federated-credentials.js";
import { liftEmbeddedNodes } from "./normalize.js";
import { completeType, type Listing, listType, runError, type TypeMethod } from "./type-reads.js";

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
  method: TypeMethod;
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
  /**
   * Also read every user-assigned identity's federated identity credentials (one GET per
   * identity), which link identities to the Azure DevOps connections and GitHub repositories
   * they trust (docs/devops.md). Runs that read Azure DevOps turn it on. @default false
   */
  federatedCredentials?: boolean;
  /**
   * The run's reference scans: each resource read is scanned for references as it arrives, so
   * the run's edge inference only resolves them. @default none (inference scans at the end)
   */
  scans?: ReferenceScans;
  /**
   * Stops the discovery (a run that lost its lease): no new ARM request starts, requests in flight
   * and waits are aborted, and the call rejects with {@link DiscoveryAbortedError} once every read
   * it started has settled.
   */
  signal?: AbortSignal;
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
 * types, for types whose list fails as unsupported, and for resources the list missed). What fails
 * is recorded and the rest kept: a list that fails part-way keeps its pages; a resource group
 * whose generic list fails carries its previous resources forward, stale; a type that still fails
 * carries its previous resources forward. Only when the providers or resource-group list fails is
 * the subscription declared failed: its other reads are cancelled and the whole previous
 * subscription is carried forward.
 * @throws DiscoveryAbortedError when `signal` aborts.
 */
export async function discoverSubscription(options: DiscoverSubscriptionOptions): Promise<SubscriptionResult> {
  return withSpan("discovery.subscription", { "topdeck.subscription.id": options.subscriptionId }, async (span) => {
    const result = await abortable(options);
    span.setAttributes({
      "topdeck.subscription.resources": result.resources.length,
      "topdeck.subscription.types": result.types.length,
      "topdeck.subscription.errors": result.errors.length,
      "topdeck.subscription.throttled": result.stats.throttled,
    });
    return result;
  });
}

/**
 * Runs the discovery under a signal of its own, aborted when the caller's is or when the
 * subscription is declared failed, so that no sibling read keeps spending its ARM quota.
 */
async function abortable(options: DiscoverSubscriptionOptions): Promise<SubscriptionResult> {
  const outer = options.signal;
  const aborted = () => new DiscoveryAbortedError(options.subscriptionId, { cause: abortReason(outer) });
  if (outer?.aborted) throw aborted();
  const own = new AbortController();
  // Every read in flight (a type list, a GET, a group's chain) listens to it: many at once is expected.
  setMaxListeners(0, own.signal);
  const onAbort = (): void => own.abort(abortReason(outer));
  outer?.addEventListener("abort", onAbort, { once: true });
  try {
    const result = await discoverOneSubscription(options, own);
    if (outer?.aborted) throw aborted();
    return result;
  } catch (error) {
    if (outer?.aborted) throw aborted();
    throw error;
  } finally {
    outer?.removeEventListener("abort", onAbort);
  }
}

/** A part of the generic list that failed: one resource group, or (undefined) the whole chain. */
interface FailedScope {
  group: string | undefined;
}

async function discoverOneSubscription(options: DiscoverSubscriptionOptions, own: AbortController): Promise<SubscriptionResult> {
  const { reader, subscriptionId, filter = {}, previous = [] } = options;
  const signal = own.signal;
  const now = options.now ?? Date.now;
  const stats = newCallStats();
  const errors: RunError[] = [];
  const types: TypeStats[] = [];
  const inGroup = groupFilter(filter.resourceGroups);
  const typeAllowed = typeFilter(filter);

  const previousByType = carryForwardIndex(previous, (r) => inGroup(r.resourceGroup) && typeAllowed(r.type));
  // A snapshot committed before payloads were sanitised may still hold secrets: carried forward, they are sanitised too.
  const carryAll = (): ExportResource[] => [...previousByType.values()].flat().map((r) => sanitisePayload({ ...r, stale: true }));

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
  const failedScopes: FailedScope[] = [];
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
      listType({
        reader,
        subscriptionId,
        type,
        apiVersion,
        resourceGroups: filter.resourceGroups,
        inGroup,
        stats: typeStats,
        signal,
        scans: options.scans,
      }),
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
    const loadProviders = () => reader.listProviders(subscriptionId, stats, signal);
    const versionsLoaded = (options.apiVersions ? options.apiVersions(loadProviders) : loadProviders().then(apiVersionsByType)).then(
      (v) => {
        versions = v;
        for (const [t, type] of waiting.splice(0)) startListing(t, type);
      },
    );
    // Settled before any await, so a failure here is never an unhandled rejection. Without
    // api-versions the subscription has failed: the generic list's chains stop at once.
    versionsOutcome = versionsLoaded.then(
      () => undefined,
      (e: unknown) => {
        own.abort(e);
        return { error: e };
      },
    );
    const take = (page: unknown[]): void => {
      for (const raw of page) {
        const env = raw as Record<string, unknown>;
        if (typeof env.id !== "string" || typeof env.type !== "string") continue;
        // Only a group filter needs the id parsed: the generic list names every resource.
        if (filter.resourceGroups?.length && !inGroup(parseResourceId(env.id)?.resourceGroup)) continue;
        if (!typeAllowed(env.type)) continue;
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
    // One chain of the generic list: its pages are kept as they come; if it fails, what it read
    // stays and its scope is carried forward at the end.
    const chain = async (group: string | undefined): Promise<void> => {
      try {
        for await (const page of reader.listResources(subscriptionId, group, stats, signal)) take(page);
      } catch (error) {
        if (signal.aborted) return;
        // A group deleted since it was listed holds nothing any more.
        if (group !== undefined && isArmRequestError(error) && error.status === 404 && filter.resourceGroups === undefined) return;
        failedScopes.push({ group });
        const e = runError(subscriptionId, "*", error);
        errors.push(group === undefined ? e : { ...e, message: `resource group ${group}: ${e.message}` });
      }
    };
    const groups = filter.resourceGroups?.length
      ? [...filter.resourceGroups]
      : await groupsWorthSplitting(reader, subscriptionId, stats, signal);
    if (groups === undefined) {
      await chain(undefined);
    } else {
      // One nextLink chain per resource group, side by side: the chains are what latency bounds.
      const groupLimit = pLimit(options.concurrency ?? 8);
      await Promise.all(groups.map((group) => groupLimit(() => chain(group))));
    }
    const failed = await versionsOutcome;
    if (failed !== undefined) throw failed.error;
    throwIfAborted(signal);
  } catch (error) {
    // The subscription has failed: cancel every read still going, wait for them to settle (so
    // nothing is sent after this returns), and carry the whole previous subscription forward.
    own.abort(error);
    await versionsOutcome;
    await Promise.allSettled([...listings.values()].map((l) => l.done));
    for (const l of listings.values()) add(stats, l.stats);
    return { subscriptionId, resources: carryAll(), errors: [runError(subscriptionId, "*", error)], types, stats };
  }

  // 2. Full objects, type by type: the listing's result, then GETs for what it did not give.
  const perType = await Promise.all(
    [...envelopes.keys()].sort().map(async (t) => {
      const byKey = envelopes.get(t)!;
      const displayType = displayTypes.get(t) ?? t;
      const listing = listings.get(t);
      const typeStats = listing?.stats ?? newCallStats();
      const started = listing?.started ?? now();
      const outcome = await withSpan(
        "discovery.type",
        { "topdeck.subscription.id": subscriptionId, "topdeck.type": displayType },
        async (span) => {
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
                signal,
                scans: options.scans,
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
        },
      );
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
  // 3b. Federated credentials, which no generic list names, under the identities just read.
  const identityVersion = versions?.get("microsoft.managedidentity/userassignedidentities");
  if (options.federatedCredentials === true && identityVersion !== undefined && typeAllowed(FEDERATED_CREDENTIAL_TYPE)) {
    const typeStats = newCallStats();
    const started = now();
    const read = await readFederatedCredentials({
      reader,
      subscriptionId,
      resources,
      apiVersion: identityVersion,
      stats: typeStats,
      concurrency: options.concurrency ?? 8,
      signal,
      previous: previousByType.get(FEDERATED_CREDENTIAL_TYPE.toLowerCase()) ?? [],
    });
    throwIfAborted(signal);
    const seen = new Set(resources.map((r) => r.key));
    resources.push(...read.resources.filter((r) => !seen.has(r.key)));
    errors.push(...read.errors);
    add(stats, typeStats);
    types.push({
      type: FEDERATED_CREDENTIAL_TYPE,
      ...typeStats,
      resources: read.resources.length,
      durationMs: now() - started,
      method: "get",
      failed: read.errors.length > 0,
    });
  }
  // 4. What a failed part of the generic list may have hidden: its previous resources not read
  // now, stale, except of types whose provider list gave them all (that list is the answer).
  if (failedScopes.length > 0) {
    const seen = new Set(resources.map((r) => r.key));
    const wholeList = failedScopes.some((f) => f.group === undefined);
    const failedGroups = new Set(failedScopes.map((f) => f.group?.toLowerCase()));
    for (const [t, rs] of previousByType) {
      if (listed.has(t)) continue;
      for (const r of rs) {
        if (seen.has(r.key) || !(wholeList || failedGroups.has(r.resourceGroup?.toLowerCase()))) continue;
        resources.push(sanitisePayload({ ...r, stale: true }));
      }
    }
  }
  types.sort((a, b) => (a.type < b.type ? -1 : 1));
  return { subscriptionId, resources, errors, types, stats };
}

/**
 * Up to this many resource groups, the generic list is read per group, in parallel: a chain of
 * nextLinks costs one latency per page, and splitting it costs at most one partly filled page per
 * group — at most this many extra requests, half of ARM's burst of 250. Past it, one chain over
 * the subscription.
 */
export const MAX_GROUPS_TO_SPLIT = 128;

async function groupsWorthSplitting(
  reader: ArmReader,
  subscriptionId: string,
  stats: CallStats,
  signal: AbortSignal,
): Promise<string[] | undefined> {
  const groups = await reader.listResourceGroups(subscriptionId, stats, signal);
  return groups.length > 1 && groups.length <= MAX_GROUPS_TO_SPLIT ? groups : undefined;
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
