import type { ArmReader } from "../azure/arm-reader.js";
import { newCallStats } from "../azure/arm-reader.js";
import { assembleExport, groupBySubscription } from "../azure/discover.js";
import type { SubscriptionResult } from "../azure/discover-subscription.js";
import { type ManagementGroupRead, readManagementGroups } from "../azure/management-groups.js";
import { isSnapshotError, type Store } from "../cache/index.js";
import { managementGroupsOf } from "../devops/changers.js";
import type { DevOpsSnapshot } from "../devops/model.js";
import { loadDevOpsSnapshot, saveDevOpsSnapshot } from "../devops/previous.js";
import type { Logger } from "../log/index.js";
import type { ExportResource, TopologyExport } from "../topology/export-format.js";
import type { SubscriptionId } from "../topology/subscription-id.js";
import { stagedDevOps } from "./organization-run.js";
import type { OrganizationReport, RunRecord, RunResult, SubscriptionReport } from "./records.js";
import type { RunRecords } from "./run-records.js";
import { fenceOf } from "./scope-lock.js";
import { commitFenced, type FencedCommit } from "./store-calls.js";

/**
 * Longest the management-group read may take at the assembly: well inside the finisher's own lock
 * (120 s), which ARM's retry budget (180 s) is not.
 */
const MANAGEMENT_GROUPS_TIMEOUT_MS = 60_000;

/**
 * The scope's current snapshot, for carrying forward what a run cannot read now. "Absent" (never
 * committed, or no kept snapshot is readable) and "unavailable" (the store failed) are different
 * answers: the second throws, so the delivery is retried instead of carrying nothing forward.
 */
export class PreviousSnapshot {
  private cached: { writeId: string; bySubscription: Map<string, ExportResource[]> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly scope: string,
    private readonly log: Logger,
  ) {}

  /**
   * The current snapshot, or undefined when there is none to read.
   * @throws StoreUnavailableError when the store fails.
   */
  async read(): Promise<TopologyExport | undefined> {
    try {
      return (await this.store.snapshots.read(this.scope))?.export;
    } catch (error) {
      if (!isSnapshotError(error)) throw error;
      this.log.warn("previous snapshot unreadable; nothing can be carried forward", { scope: this.scope, error });
      return undefined;
    }
  }

  /**
   * The current snapshot's resources of one subscription, read once per committed snapshot.
   * @throws StoreUnavailableError when the store fails.
   */
  async of(subscriptionId: SubscriptionId): Promise<ExportResource[] | undefined> {
    const [head] = await this.store.snapshots.list(this.scope);
    if (head === undefined) return undefined;
    if (this.cached?.writeId !== head.writeId) {
      const snapshot = await this.read();
      if (snapshot === undefined) return undefined;
      this.cached = { writeId: head.writeId, bySubscription: groupBySubscription(snapshot.resources) };
    }
    return this.cached.bySubscription.get(subscriptionId);
  }
}

/**
 * Assembly and commit of a run: the export from its subscriptions' staged parts (a subscription
 * whose part is gone carries its previous resources forward), committed behind the run's fence.
 */
export class RunAssembly {
  constructor(
    private readonly store: Store,
    private readonly scope: string,
    private readonly records: RunRecords,
    private readonly previous: PreviousSnapshot,
    private readonly now: () => number,
    /** The ARM reader, for the management groups of a run that reads Azure DevOps. @default none: no groups */
    private readonly reader?: () => ArmReader | Promise<ArmReader>,
  ) {}

  /**
   * The run's export from its staged parts; failed subscriptions carry their previous resources
   * forward, and so do failed Azure DevOps organisations their previous snapshot (stale). With
   * organisations, the export is version 2 with the `devops` section; `devops` lists the
   * organisations' snapshots to keep as the next run's previous ones once the export is committed.
   * @throws StoreUnavailableError when the store fails (the delivery is retried).
   */
  async assemble(
    record: RunRecord,
    reports: SubscriptionReport[],
    organizations: OrganizationReport[] = [],
  ): Promise<{ exported: TopologyExport; devops: DevOpsSnapshot[] }> {
    const results: SubscriptionResult[] = [];
    for (const report of reports) {
      let resources: ExportResource[] | undefined;
      const errors = [...report.errors];
      if (report.status === "done" && report.part !== undefined) {
        try {
          resources = (await this.store.snapshots.readStaged({ manifest: report.part })).resources;
        } catch (error) {
          // A store that fails the read fails the delivery (it is retried); a part that is gone
          // or corrupt is reported, and the subscription's previous resources carried forward.
          if (!isSnapshotError(error)) throw error;
          errors.push({
            subscriptionId: report.subscriptionId,
            type: "*",
            code: "PartLost",
            message: `the subscription's staged resources could not be read: ${error.message}`,
            attempts: 1,
          });
          await this.records.saveReport(record.runId, { ...report, status: "failed", errors });
        }
      }
      if (resources === undefined) {
        const previous = (await this.previous.of(report.subscriptionId)) ?? [];
        resources = previous.map((r) => ({ ...r, stale: true }));
      }
      results.push({ subscriptionId: report.subscriptionId, resources, errors, types: report.types, stats: report.stats });
    }
    const devops = (record.organizations ?? []).length === 0 ? undefined : await this.assembleDevOps(record, organizations);
    const groupStats = newCallStats();
    const managementGroups = devops === undefined ? undefined : await this.readManagementGroups(groupStats);
    const plan = record.planStats;
    const exported = assembleExport({
      runId: record.runId,
      startedAt: Date.parse(record.requestedAt),
      finishedAt: this.now(),
      subscriptions: record.subscriptions ?? [],
      ...(record.filter === undefined ? {} : { filter: record.filter }),
      listErrors: record.planErrors,
      listStats: {
        requests: plan.requests + groupStats.requests,
        pages: plan.pages + groupStats.pages,
        throttled: plan.throttled + groupStats.throttled,
        retries: plan.retries + groupStats.retries,
      },
      results,
      ...(devops === undefined ? {} : { devops: devops.snapshots }),
      ...(managementGroups === undefined ? {} : { managementGroups }),
    });
    return { exported, devops: devops?.keep ?? [] };
  }

  /**
   * The management-group ancestry, read once per run at its assembly (docs/devops.md, "Management
   * groups"); a failure keeps the current snapshot's ancestry and is recorded in the run's errors.
   * @throws StoreUnavailableError when the store fails reading the current snapshot.
   */
  private async readManagementGroups(stats: ReturnType<typeof newCallStats>): Promise<ManagementGroupRead | undefined> {
    if (this.reader === undefined) return undefined;
    const reader = await this.reader();
    if (reader.listEntities === undefined) return undefined;
    return readManagementGroups({
      reader,
      stats,
      previous: async () => managementGroupsOf(await this.previous.read()),
      signal: AbortSignal.timeout(MANAGEMENT_GROUPS_TIMEOUT_MS),
    });
  }

  /**
   * Each organisation's snapshot: the one its step staged, else (the step failed, or its part is
   * gone) the previous one carried forward whole, stale, with the failure recorded; an
   * organisation never read before is an empty stale entry holding its errors.
   */
  private async assembleDevOps(
    record: RunRecord,
    organizations: OrganizationReport[],
  ): Promise<{ snapshots: DevOpsSnapshot[]; keep: DevOpsSnapshot[] }> {
    const snapshots: DevOpsSnapshot[] = [];
    const keep: DevOpsSnapshot[] = [];
    for (const report of organizations) {
      const errors = [...report.errors];
      if (report.status === "done") {
        const staged = await stagedDevOps(this.store, record.runId, report.organization);
        if (staged !== undefined) {
          snapshots.push(staged);
          keep.push(staged);
          continue;
        }
        errors.push({
          organization: report.organization,
          what: "organization",
          code: "PartLost",
          message: "the organisation's staged snapshot could not be read",
        });
      }
      const previous = await loadDevOpsSnapshot(this.store.documents, report.organization);
      if (previous !== undefined) {
        // Kept again, so that a run of failures never lets the previous snapshot expire.
        keep.push(previous);
        snapshots.push({ ...previous, projects: previous.projects.map((p) => ({ ...p, stale: true })), errors, stale: true });
      } else {
        snapshots.push({
          organization: report.organization,
          url: report.url,
          readAt: record.requestedAt,
          windowStart: record.requestedAt,
          projects: [],
          serviceConnections: [],
          errors,
          stats: report.stats,
          stale: true,
        });
      }
    }
    return { snapshots, keep };
  }

  /**
   * Keeps the run's organisation snapshots as the previous ones of the next run.
   * @throws StoreUnavailableError when the store fails.
   */
  async keepDevOps(snapshots: readonly DevOpsSnapshot[]): Promise<void> {
    for (const snapshot of snapshots) await saveDevOpsSnapshot(this.store.documents, snapshot);
  }

  /**
   * Commits the run's export unless it already is the current snapshot (a delivery retried after
   * a commit whose record update failed commits nothing twice); "fenced" when a newer run holds
   * the scope.
   * @throws StoreUnavailableError when the store fails; SnapshotError when the snapshot cannot be committed.
   */
  async commit(record: RunRecord, exported: TopologyExport): Promise<FencedCommit> {
    const [head] = await this.store.snapshots.list(this.scope);
    if (head?.runId === record.runId) return "committed";
    return commitFenced(this.store, this.scope, exported, fenceOf(record));
  }
}

/** A committed export's figures, as the run record keeps them. */
export function resultOf(exported: TopologyExport): RunResult {
  const { stats } = exported;
  return {
    committed: true,
    resources: stats.resources,
    edges: stats.edges,
    external: exported.external.length,
    stale: exported.resources.filter((r) => r.stale === true).length,
    errors: exported.errors.length,
    requests: stats.requests,
    pages: typeof stats.pages === "number" ? stats.pages : 0,
    throttled: stats.throttled,
    retries: stats.retries,
    durationMs: stats.durationMs,
    ...(exported.devops !== undefined && {
      devops: {
        organizations: exported.devops.organizations.length,
        stale:
          exported.devops.organizations.filter((o) => o.stale === true).length +
          exported.devops.nodes.filter((n) => n.kind === "project" && n.stale === true).length,
        errors: devopsErrorCount(exported),
        nodes: exported.devops.nodes.length,
        edges: exported.devops.edges.length,
        runs: exported.devops.runs.length,
      },
    }),
  };
}

/** Failures recorded while reading the export's Azure DevOps organisations. */
export function devopsErrorCount(exported: TopologyExport): number {
  return (exported.devops?.organizations ?? []).reduce((n, o) => n + (Array.isArray(o.errors) ? o.errors.length : 0), 0);
}

/** One subscription's resources as an export, for staging until the run assembles. */
export function partOf(runId: string, result: SubscriptionResult): TopologyExport {
  const stamp = new Date(0).toISOString();
  return {
    version: 1,
    runId: `${runId}/${result.subscriptionId}`,
    startedAt: stamp,
    finishedAt: stamp,
    scope: { subscriptions: [result.subscriptionId] },
    resources: result.resources,
    external: [],
    edges: [],
    errors: [],
    stats: { durationMs: 0, requests: 0, throttled: 0, retries: 0, resources: result.resources.length, edges: 0 },
  };
}
