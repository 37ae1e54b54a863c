import { randomUUID } from "node:crypto";

import pLimit from "p-limit";

import { managementGroupsOf } from "../devops/changers.js";
import { devopsSection } from "../devops/links.js";
import type { DevOpsSnapshot } from "../devops/model.js";
import { abortReason } from "../resilience/index.js";
import { recordRun, withSpan } from "../telemetry/index.js";
import { inferEdges } from "../topology/edges.js";
import type { ExportResource, RunError, TopologyExport } from "../topology/export-format.js";
import { ReferenceScans } from "../topology/reference-scan.js";
import { parseSubscriptionId, type SubscriptionId, uniqueSubscriptionIds } from "../topology/subscription-id.js";
import type { ProviderInfo } from "./api-versions.js";
import { type ArmReader, type CallStats, newCallStats } from "./arm-reader.js";
import {
  discoverSubscription,
  type DiscoveryFilter,
  type SubscriptionProgress,
  type SubscriptionResult,
  type TypeStats,
} from "./discover-subscription.js";
import { DiscoveryAbortedError } from "./discovery-aborted.js";
import { type ManagementGroupRead, readManagementGroups } from "./management-groups.js";
import { runError } from "./type-reads.js";

/** Options of one discovery run. */
export interface RunDiscoveryOptions {
  reader: ArmReader;
  /** Azure DevOps organisations read for this run (lib/devops `discoverDevOps`): the export becomes version 2. */
  devops?: readonly DevOpsSnapshot[];
  /** Subscriptions in scope. @default every subscription the identity can see */
  subscriptions?: readonly string[];
  filter?: DiscoveryFilter;
  /** Types discovered at once per subscription. @default 8 */
  concurrency?: number;
  /** Subscriptions discovered at once (each has its own ARM quota). @default 4 */
  subscriptionConcurrency?: number;
  /** The last committed export, for carrying forward what cannot be read now. */
  previous?: TopologyExport;
  /** Cached api-version resolution, per subscription. */
  apiVersions?: (subscriptionId: string, load: () => Promise<ProviderInfo[]>) => Promise<Map<string, string>>;
  runId?: string;
  onProgress?: (p: SubscriptionProgress) => void;
  now?: () => number;
  /**
   * Stops the run (its lease is lost): passed to every subscription's discovery; the run rejects
   * with {@link DiscoveryAbortedError} once every read it started has settled.
   */
  signal?: AbortSignal;
}

/** Per-type stats of a run, keyed `subscriptionId/type`. */
export type RunTypeStats = Record<string, Omit<TypeStats, "type">>;

/**
 * One discovery run over every subscription in scope, as an export (docs/interfaces.md section 3):
 * resources, edges inferred across all of them, external references, errors and stats. Traced as
 * span "discovery.run"; its figures go to the run metrics (lib/telemetry).
 * @throws DiscoveryAbortedError when `options.signal` aborts.
 */
export async function runDiscovery(options: RunDiscoveryOptions): Promise<TopologyExport> {
  const runId = options.runId ?? randomUUID();
  return withSpan("discovery.run", { "topdeck.run.id": runId }, async (span) => {
    const result = await discoverRun(options, runId);
    const { stats } = result;
    span.setAttributes({
      "topdeck.run.subscriptions": result.scope.subscriptions.length,
      "topdeck.run.resources": stats.resources,
      "topdeck.run.errors": result.errors.length,
      "topdeck.run.throttled": stats.throttled,
      "topdeck.run.retries": stats.retries,
    });
    recordRun({
      durationMs: stats.durationMs,
      resources: stats.resources,
      throttled: stats.throttled,
      retries: stats.retries,
      outcome: result.errors.length === 0 ? "succeeded" : "partial",
    });
    return result;
  });
}

async function discoverRun(options: RunDiscoveryOptions, runId: string): Promise<TopologyExport> {
  const now = options.now ?? Date.now;
  const started = now();
  const { signal } = options;
  if (signal?.aborted) throw new DiscoveryAbortedError(undefined, { cause: abortReason(signal) });
  const listStats = newCallStats();
  const listErrors: RunError[] = [];
  let subscriptions: SubscriptionId[];
  if (options.subscriptions?.length) {
    subscriptions = uniqueSubscriptionIds(options.subscriptions.map(parseSubscriptionId));
  } else {
    const listed = await visibleSubscriptions(options.reader, listStats, () => options.previous?.scope.subscriptions ?? [], signal);
    if (signal?.aborted) throw new DiscoveryAbortedError(undefined, { cause: abortReason(signal) });
    subscriptions = listed.subscriptions;
    listErrors.push(...listed.errors);
  }

  const previousBySubscription = groupBySubscription(options.previous?.resources ?? []);
  // Payloads are scanned for references as their pages arrive, overlapping the waits for the
  // next ones; only resolving the scans is left for the end (assembleExport).
  const scans = new ReferenceScans();

  const limit = pLimit(options.subscriptionConcurrency ?? 4);
  // Settled, not raced: an aborted run rejects only once every subscription has stopped reading.
  const settled = await Promise.allSettled(
    subscriptions.map((subscriptionId) =>
      limit(() =>
        discoverSubscription({
          reader: options.reader,
          subscriptionId,
          filter: options.filter,
          concurrency: options.concurrency,
          previous: previousBySubscription.get(subscriptionId),
          apiVersions: options.apiVersions && ((load) => options.apiVersions!(subscriptionId, load)),
          onProgress: options.onProgress,
          now,
          scans,
          ...(signal === undefined ? {} : { signal }),
        }),
      ),
    ),
  );
  const rejected = settled.find((s) => s.status === "rejected");
  if (rejected !== undefined) throw rejected.reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<SubscriptionResult>).value);
  // Only a run that links Azure DevOps needs the groups: a connection can be scoped to one.
  const managementGroups =
    options.devops === undefined
      ? undefined
      : await readManagementGroups({
          reader: options.reader,
          stats: listStats,
          previous: () => managementGroupsOf(options.previous),
          signal,
        });
  if (signal?.aborted) throw new DiscoveryAbortedError(undefined, { cause: abortReason(signal) });

  return assembleExport({
    runId,
    startedAt: started,
    finishedAt: now(),
    subscriptions,
    ...(options.filter ? { filter: options.filter } : {}),
    listErrors,
    listStats,
    results,
    scans,
    ...(options.devops === undefined ? {} : { devops: options.devops }),
    ...(managementGroups === undefined ? {} : { managementGroups }),
  });
}

/**
 * Every subscription the identity can see, parsed (lower-cased GUIDs). When ARM will not list them, the previous
 * snapshot's subscriptions are the best knowledge there is: each is tried (and, failing, carried
 * forward), so nothing already known is dropped; the failure is returned as a run error. `signal`
 * aborts the listing.
 */
export async function visibleSubscriptions(
  reader: ArmReader,
  stats: CallStats,
  previous: () => readonly string[] | Promise<readonly string[]>,
  signal?: AbortSignal,
): Promise<{ subscriptions: SubscriptionId[]; errors: RunError[] }> {
  let listed;
  try {
    listed = await reader.listSubscriptions(stats, signal);
  } catch (error) {
    // Recorded as every other failed read is (runError: its code, attempts, a sanitised message).
    return {
      subscriptions: (await previous()).map(parseSubscriptionId),
      errors: [runError("*", "Microsoft.Resources/subscriptions", error)],
    };
  }
  return { subscriptions: listed.map((s) => parseSubscriptionId(s.subscriptionId)), errors: [] };
}

/** The previous export's resources per lower-cased subscription id. */
export function groupBySubscription(resources: readonly ExportResource[]): Map<string, ExportResource[]> {
  const by = new Map<string, ExportResource[]>();
  for (const r of resources) {
    const s = r.subscriptionId.toLowerCase();
    const list = by.get(s);
    if (list === undefined) by.set(s, [r]);
    else list.push(r);
  }
  return by;
}

/** What one run's subscriptions produced, to be put together as one export. */
export interface RunParts {
  runId: string;
  startedAt: number;
  finishedAt: number;
  subscriptions: string[];
  filter?: DiscoveryFilter;
  /** Failures and calls of listing the subscriptions. */
  listErrors: readonly RunError[];
  listStats: CallStats;
  results: readonly SubscriptionResult[];
  /** The reference scans made while the subscriptions were read; what was not scanned is scanned here. */
  scans?: ReferenceScans;
  /** Azure DevOps organisations read in the same run (lib/devops): the export becomes version 2 with a `devops` section. */
  devops?: readonly DevOpsSnapshot[];
  /** The management-group hierarchy read in the same run: `scope.managementGroups`, its errors and notes. */
  managementGroups?: ManagementGroupRead;
}

/**
 * One run's export from its subscriptions' results: resources in key order, edges inferred across
 * all of them (so cross-subscription references resolve), errors, and stats per type and in total.
 * The same whether the subscriptions ran in one process or on many instances.
 */
export function assembleExport(parts: RunParts): TopologyExport {
  const { results } = parts;
  const resources = sortedByKey(results.flatMap((r) => r.resources));
  const { edges, external } = inferEdges(resources, parts.scans);
  const totals = newCallStats();
  for (const s of [parts.listStats, ...results.map((r) => r.stats)]) {
    totals.requests += s.requests;
    totals.pages += s.pages;
    totals.throttled += s.throttled;
    totals.retries += s.retries;
  }
  const types: RunTypeStats = {};
  for (const r of results) for (const { type, ...t } of r.types) types[`${r.subscriptionId}/${type}`] = t;
  return {
    version: parts.devops === undefined ? 1 : 2,
    runId: parts.runId,
    startedAt: new Date(parts.startedAt).toISOString(),
    finishedAt: new Date(parts.finishedAt).toISOString(),
    scope: {
      subscriptions: parts.subscriptions,
      ...(parts.filter?.resourceGroups?.length ? { resourceGroups: [...parts.filter.resourceGroups] } : {}),
      ...(parts.managementGroups?.managementGroups !== undefined && { managementGroups: parts.managementGroups.managementGroups }),
      ...(parts.managementGroups?.notes.length ? { notes: [...parts.managementGroups.notes] } : {}),
    },
    resources,
    external,
    edges,
    errors: [...parts.listErrors, ...(parts.managementGroups?.errors ?? []), ...results.flatMap((r) => r.errors)],
    stats: {
      durationMs: parts.finishedAt - parts.startedAt,
      requests: totals.requests,
      throttled: totals.throttled,
      retries: totals.retries,
      resources: resources.length,
      edges: edges.length,
      stale: resources.filter((r) => r.stale === true).length,
      pages: totals.pages,
      types,
    },
    ...(parts.devops !== undefined && { devops: devopsSection(parts.devops, resources) }),
  };
}

/**
 * The resources in key order (a stable sort). Sorts the keys' positions rather than the objects:
 * resources of many types have many shapes, and reading `key` off each in every comparison was
 * several times slower than the comparisons themselves — time at the end of every run, after
 * the last ARM answer.
 */
function sortedByKey(resources: ExportResource[]): ExportResource[] {
  const keys = resources.map((r) => r.key);
  const order = Array.from(keys, (_k, i) => i).sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return order.map((i) => resources[i]!);
}
