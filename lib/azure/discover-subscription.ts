import { setMaxListeners } from "node:events";

import pLimit, { type LimitFunction } from "p-limit";

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
import { completeType, type Listing, listType, runError, type TypeMethod, type TypeOutcome } from "./type-reads.js";

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

/** A type's provider list, started while the generic list is still paging. */
interface TypeListing {
  started: number;
  stats: CallStats;
  done: Promise<Listing>;
}

/** The state one subscription's discovery shares between its steps. */
interface SubscriptionDiscovery {
  options: DiscoverSubscriptionOptions;
  reader: ArmReader;
  subscriptionId: string;
  filter: DiscoveryFilter;
  /** Aborted when the caller's signal is, or when the subscription is declared failed. */
  own: AbortController;
  signal: AbortSignal;
  concurrency: number;
  now: () => number;
  stats: CallStats;
  errors: RunError[];
  types: TypeStats[];
  inGroup: (group: string | undefined) => boolean;
  typeAllowed: (type: string) => boolean;
  previousByType: Map<string, ExportResource[]>;
  /** The generic list's envelopes, by lower-cased type, then by canonical key. */
  envelopes: Map<string, Map<string, Record<string, unknown>>>;
  /** The type as the first envelope of it spelled it: the type's name in stats and errors. */
  displayTypes: Map<string, string>;
  /**
   * Keys a type's provider list has given in full, once that list has succeeded: their
   * envelopes are no longer needed (nothing falls back to them), so they are not kept. At
   * 100,000 resources the envelopes would otherwise all be held until the end of the fan-out.
   */
  listed: Map<string, ReadonlyMap<string, ExportResource>>;
  listings: Map<string, TypeListing>;
  /** Types read at once, provider lists and completions alike. */
  limit: LimitFunction;
  progress: SubscriptionProgress;
  /** api-versions by lower-cased type, once loaded. */
  versions: Map<string, string> | undefined;
  /** Types seen before the api-versions arrived: their listing starts when they do. */
  waiting: Array<[string, string]>;
  failedScopes: FailedScope[];
  /** How loading the api-versions ended: settled before any await, so never an unhandled rejection. */
  versionsOutcome: Promise<{ error: unknown } | undefined>;
}

/**
 * The discovery's steps: what exists (the generic list, with the provider lists started as types
 * show up), the full objects type by type, the embedded nodes, the federated credentials, and what
 * a failed part of the generic list may have hidden.
 */
async function discoverOneSubscription(options: DiscoverSubscriptionOptions, own: AbortController): Promise<SubscriptionResult> {
  const run = newSubscriptionDiscovery(options, own);
  try {
    await listWhatExists(run);
  } catch (error) {
    return await declareSubscriptionFailed(run, error);
  }
  const perType = await Promise.all([...run.envelopes.keys()].sort().map((t) => completeOneType(run, t)));
  // Nodes that only arrive embedded in their parent (subnets), unless read on their own.
  const resources = liftEmbeddedNodes(perType.flat(), run.typeAllowed);
  const identityVersion = run.versions?.get("microsoft.managedidentity/userassignedidentities");
  if (options.federatedCredentials === true && identityVersion !== undefined && run.typeAllowed(FEDERATED_CREDENTIAL_TYPE)) {
    await addFederatedCredentials(run, resources, identityVersion);
  }
  if (run.failedScopes.length > 0) carryForwardFailedScopes(run, resources);
  run.types.sort((a, b) => (a.type < b.type ? -1 : 1));
  return { subscriptionId: run.subscriptionId, resources, errors: run.errors, types: run.types, stats: run.stats };
}

function newSubscriptionDiscovery(options: DiscoverSubscriptionOptions, own: AbortController): SubscriptionDiscovery {
  const { filter = {}, previous = [] } = options;
  const inGroup = groupFilter(filter.resourceGroups);
  const typeAllowed = typeFilter(filter);
  const subscriptionId = options.subscriptionId;
  return {
    options,
    reader: options.reader,
    subscriptionId,
    filter,
    own,
    signal: own.signal,
    concurrency: options.concurrency ?? 8,
    now: options.now ?? Date.now,
    stats: newCallStats(),
    errors: [],
    types: [],
    inGroup,
    typeAllowed,
    previousByType: carryForwardIndex(previous, (r) => inGroup(r.resourceGroup) && typeAllowed(r.type)),
    envelopes: new Map(),
    displayTypes: new Map(),
    listed: new Map(),
    listings: new Map(),
    limit: pLimit(options.concurrency ?? 8),
    progress: { subscriptionId, typesDone: 0, typesTotal: 0, resources: 0, throttled: 0, errors: 0 },
    versions: undefined,
    waiting: [],
    failedScopes: [],
    versionsOutcome: Promise.resolve(undefined),
  };
}

/**
 * What exists: the generic list, grouped by type. A top-level type's provider list starts as
 * soon as the type first shows up, so the fan-out overlaps the generic list's paging.
 * @throws what failed the subscription: the providers or resource-group list, or an abort.
 */
async function listWhatExists(run: SubscriptionDiscovery): Promise<void> {
  loadApiVersions(run);
  const groups = run.filter.resourceGroups?.length
    ? [...run.filter.resourceGroups]
    : await groupsWorthSplitting(run.reader, run.subscriptionId, run.stats, run.signal);
  if (groups === undefined) {
    await readGenericChain(run, undefined);
  } else {
    // One nextLink chain per resource group, side by side: the chains are what latency bounds.
    const groupLimit = pLimit(run.concurrency);
    await Promise.all(groups.map((group) => groupLimit(() => readGenericChain(run, group))));
  }
  const failed = await run.versionsOutcome;
  if (failed !== undefined) throw failed.error;
  throwIfAborted(run.signal);
}

/**
 * Starts loading the api-versions beside the generic list; types seen before the versions
 * arrive start their listing when they do. Without api-versions the subscription has failed:
 * the generic list's chains stop at once.
 */
function loadApiVersions(run: SubscriptionDiscovery): void {
  const loadProviders = () => run.reader.listProviders(run.subscriptionId, run.stats, run.signal);
  const versionsLoaded = (run.options.apiVersions ? run.options.apiVersions(loadProviders) : loadProviders().then(apiVersionsByType)).then(
    (v) => {
      run.versions = v;
      for (const [t, type] of run.waiting.splice(0)) startListing(run, t, type);
    },
  );
  run.versionsOutcome = versionsLoaded.then(
    () => undefined,
    (e: unknown) => {
      run.own.abort(e);
      return { error: e };
    },
  );
}

/** Starts a top-level type's provider list (once), or queues it until the api-versions arrive. */
function startListing(run: SubscriptionDiscovery, t: string, type: string): void {
  if (run.versions === undefined) {
    run.waiting.push([t, type]);
    return;
  }
  const apiVersion = run.versions.get(t);
  if (run.listings.has(t) || apiVersion === undefined || type.split("/").length !== 2) return;
  const typeStats = newCallStats();
  const started = run.now();
  const done = run
    .limit(() =>
      listType({
        reader: run.reader,
        subscriptionId: run.subscriptionId,
        type,
        apiVersion,
        resourceGroups: run.filter.resourceGroups,
        inGroup: run.inGroup,
        stats: typeStats,
        signal: run.signal,
        scans: run.options.scans,
      }),
    )
    .then((listing) => {
      if (listing.error === undefined && !listing.unsupported) {
        run.listed.set(t, listing.found);
        const byKey = run.envelopes.get(t);
        if (byKey !== undefined) for (const key of listing.found.keys()) byKey.delete(key);
      }
      return listing;
    });
  run.listings.set(t, { started, stats: typeStats, done });
}

/**
 * One chain of the generic list: its pages are kept as they come; if it fails, what it read
 * stays and its scope is carried forward at the end.
 */
async function readGenericChain(run: SubscriptionDiscovery, group: string | undefined): Promise<void> {
  const { subscriptionId, signal } = run;
  try {
    for await (const page of run.reader.listResources(subscriptionId, group, run.stats, signal)) takeEnvelopes(run, page);
  } catch (error) {
    if (signal.aborted) return;
    // A group deleted since it was listed holds nothing any more.
    if (group !== undefined && isArmRequestError(error) && error.status === 404 && run.filter.resourceGroups === undefined) return;
    run.failedScopes.push({ group });
    const e = runError(subscriptionId, "*", error);
    run.errors.push(group === undefined ? e : { ...e, message: `resource group ${group}: ${e.message}` });
  }
}

/**
 * Keeps a page of the generic list's envelopes, by type, and starts a type's listing when it
 * first shows up. One pass per envelope, kept in one body: it runs for every resource.
 */
function takeEnvelopes(run: SubscriptionDiscovery, page: unknown[]): void {
  const { filter, inGroup, typeAllowed, envelopes, listed } = run;
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
      run.displayTypes.set(t, env.type);
      run.progress.typesTotal += 1;
      startListing(run, t, env.type);
    }
    const key = canonicalKey(env.id);
    if (listed.get(t)?.has(key) !== true) byKey.set(key, env);
  }
}

/**
 * The subscription has failed: cancel every read still going, wait for them to settle (so
 * nothing is sent after this returns), and carry the whole previous subscription forward.
 */
async function declareSubscriptionFailed(run: SubscriptionDiscovery, error: unknown): Promise<SubscriptionResult> {
  const { subscriptionId, stats } = run;
  run.own.abort(error);
  await run.versionsOutcome;
  await Promise.allSettled([...run.listings.values()].map((l) => l.done));
  for (const l of run.listings.values()) add(stats, l.stats);
  // A snapshot committed before payloads were sanitised may still hold secrets: carried forward, they are sanitised too.
  const resources = [...run.previousByType.values()].flat().map((r) => sanitisePayload({ ...r, stale: true }));
  return { subscriptionId, resources, errors: [runError(subscriptionId, "*", error)], types: run.types, stats };
}

/** A type's full objects: the listing's result, then GETs for what it did not give; reported as it finishes. */
async function completeOneType(run: SubscriptionDiscovery, t: string): Promise<ExportResource[]> {
  const byKey = run.envelopes.get(t)!;
  const displayType = run.displayTypes.get(t) ?? t;
  const listing = run.listings.get(t);
  const typeStats = listing?.stats ?? newCallStats();
  const started = listing?.started ?? run.now();
  const outcome = await completeTypeInSpan(run, { t, displayType, byKey, listing, typeStats });
  add(run.stats, typeStats);
  run.errors.push(...outcome.errors);
  // The envelopes have served their purpose; let them go before the next types finish.
  byKey.clear();
  recordTypeDone(run, {
    type: displayType,
    ...typeStats,
    resources: outcome.resources.length,
    durationMs: run.now() - started,
    method: outcome.method,
    failed: outcome.errors.length > 0,
  });
  return outcome.resources;
}

/** What {@link completeTypeInSpan} completes: one type of the generic list. */
interface TypeToComplete {
  t: string;
  displayType: string;
  byKey: Map<string, Record<string, unknown>>;
  listing: TypeListing | undefined;
  typeStats: CallStats;
}

/** Completes one type under the concurrency limit, in a `discovery.type` span with its figures. */
function completeTypeInSpan(
  run: SubscriptionDiscovery,
  { t, displayType, byKey, listing, typeStats }: TypeToComplete,
): Promise<TypeOutcome> {
  return withSpan("discovery.type", { "topdeck.subscription.id": run.subscriptionId, "topdeck.type": displayType }, async (span) => {
    const done = await run.limit(async () =>
      completeType(
        {
          reader: run.reader,
          subscriptionId: run.subscriptionId,
          type: displayType,
          apiVersion: run.versions?.get(t),
          envelopes: byKey,
          previous: run.previousByType.get(t) ?? [],
          stats: typeStats,
          concurrency: run.concurrency,
          signal: run.signal,
          scans: run.options.scans,
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
}

/** Records a finished type's figures and reports the subscription's progress. */
function recordTypeDone(run: SubscriptionDiscovery, finished: TypeStats): void {
  const { progress } = run;
  run.types.push(finished);
  progress.typesDone += 1;
  progress.resources += finished.resources;
  progress.throttled = run.stats.throttled;
  progress.errors = run.errors.length;
  run.options.onProgress?.({ ...progress, finished: run.types[run.types.length - 1]! });
}

/** Federated credentials, which no generic list names, under the identities just read. */
async function addFederatedCredentials(run: SubscriptionDiscovery, resources: ExportResource[], identityVersion: string): Promise<void> {
  const typeStats = newCallStats();
  const started = run.now();
  const read = await readFederatedCredentials({
    reader: run.reader,
    subscriptionId: run.subscriptionId,
    resources,
    apiVersion: identityVersion,
    stats: typeStats,
    concurrency: run.concurrency,
    signal: run.signal,
    previous: run.previousByType.get(FEDERATED_CREDENTIAL_TYPE.toLowerCase()) ?? [],
  });
  throwIfAborted(run.signal);
  const seen = new Set(resources.map((r) => r.key));
  resources.push(...read.resources.filter((r) => !seen.has(r.key)));
  run.errors.push(...read.errors);
  add(run.stats, typeStats);
  run.types.push({
    type: FEDERATED_CREDENTIAL_TYPE,
    ...typeStats,
    resources: read.resources.length,
    durationMs: run.now() - started,
    method: "get",
    failed: read.errors.length > 0,
  });
}

/**
 * What a failed part of the generic list may have hidden: its previous resources not read now,
 * stale, except of types whose provider list gave them all (that list is the answer).
 */
function carryForwardFailedScopes(run: SubscriptionDiscovery, resources: ExportResource[]): void {
  const seen = new Set(resources.map((r) => r.key));
  const wholeList = run.failedScopes.some((f) => f.group === undefined);
  const failedGroups = new Set(run.failedScopes.map((f) => f.group?.toLowerCase()));
  for (const [t, rs] of run.previousByType) {
    if (run.listed.has(t)) continue;
    for (const r of rs) {
      if (seen.has(r.key) || !(wholeList || failedGroups.has(r.resourceGroup?.toLowerCase()))) continue;
      resources.push(sanitisePayload({ ...r, stale: true }));
    }
  }
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
