import { isStoreUnavailableError, type Lease, type Store } from "../cache/index.js";
import { devopsError } from "../devops/discover.js";
import type { DevOpsSnapshot } from "../devops/model.js";
import { devopsSnapshotSchema, loadDevOpsSnapshot } from "../devops/previous.js";
import type { Logger } from "../log/index.js";
import { describeError } from "../resilience/index.js";
import { abandonRun, type RunCompletion } from "./completion.js";
import type { DevOpsSource } from "./devops-source.js";
import type { OrganizationReport, RunRecord } from "./records.js";
import type { RunRecords } from "./run-records.js";
import type { ScopeLock } from "./scope-lock.js";
import { type DeliveryCount, RUN_PART_TTL_MS, untilAborted } from "./subscription-run.js";

/** Where an organisation's snapshot waits, per run, until the run assembles. */
const DEVOPS_PARTS = "run-devops-parts";

/**
 * The organisation's snapshot a run staged, or undefined when it is gone.
 * @throws StoreUnavailableError when the store fails.
 */
export function stagedDevOps(store: Store, runId: string, organization: string): Promise<DevOpsSnapshot | undefined> {
  return store.documents.get(DEVOPS_PARTS, [runId, organization], devopsSnapshotSchema);
}

/** What one organisation's delivery works with. */
export interface OrganizationRunDeps {
  store: Store;
  log: Logger;
  records: RunRecords;
  lock: ScopeLock;
  completion: RunCompletion;
  devops: DevOpsSource;
  now: () => number;
}

/**
 * One Azure DevOps organisation of a run, as its own step: read under the scope lock's heartbeat
 * with the real client (lib/devops `discoverDevOps`, which carries failing projects forward from
 * the organisation's previous snapshot), staged, reported; a step whose reads fail outright is
 * reported failed, and the run carries the organisation's previous snapshot forward, stale.
 * Then the run is completed if this was the last step to report.
 */
export class OrganizationRun {
  constructor(private readonly deps: OrganizationRunDeps) {}

  /**
   * Discovers `queued.organization` for `record`.
   * @throws StoreUnavailableError when the store fails (the delivery is retried).
   */
  async run(record: RunRecord, lease: Lease, queued: OrganizationReport, delivery: DeliveryCount): Promise<void> {
    const { records, lock, now, store, devops } = this.deps;
    const { organization, url } = queued;
    let report: OrganizationReport = {
      ...queued,
      status: "running",
      attempts: delivery.dequeueCount,
      startedAt: new Date(now()).toISOString(),
    };
    await records.saveOrganizationReport(record.runId, report);
    if (record.status === "queued")
      await records.transition(record.runId, (r) => (r.status === "queued" ? { ...r, status: "running" } : undefined));

    const heartbeat = lock.heartbeat(lease);
    let snapshot: DevOpsSnapshot | undefined;
    let failure: unknown;
    try {
      // An unreadable previous snapshot is the store failing: the delivery is retried.
      const previous = await loadDevOpsSnapshot(store.documents, organization);
      try {
        const { createDevOpsCalls, discoverDevOps } = await import("../devops/index.js");
        const api = await devops.connect(url);
        const requestsPerMinute = typeof devops.requestsPerMinute === "number" ? devops.requestsPerMinute : devops.requestsPerMinute(url);
        const calls = createDevOpsCalls({
          organization,
          requestsPerMinute,
          ...(devops.redis === undefined ? {} : { redis: devops.redis }),
        });
        const reading = discoverDevOps({
          orgUrl: url,
          api,
          calls,
          windowHours: devops.windowHours,
          ...(previous === undefined ? {} : { previous }),
          now,
          log: this.deps.log,
          signal: heartbeat.signal,
        });
        snapshot = await untilAborted(reading, heartbeat.signal);
      } catch (error) {
        if (isStoreUnavailableError(error)) throw error;
        failure = error;
      }
    } finally {
      heartbeat.stop();
    }
    if (heartbeat.signal.aborted || !(await lock.holds(lease))) {
      await abandonRun(
        records,
        this.deps.log,
        record.runId,
        `its scope lock was lost while Azure DevOps organisation ${organization} was being read`,
        now(),
      );
      return;
    }
    const finishedAt = new Date(now()).toISOString();
    const { lastError: _, ...rest } = report;
    if (snapshot !== undefined) {
      await store.documents.set(DEVOPS_PARTS, [record.runId, organization], snapshot, RUN_PART_TTL_MS);
      report = {
        ...rest,
        status: "done",
        finishedAt,
        projects: snapshot.projects.length,
        staleProjects: snapshot.projects.filter((p) => p.stale === true).length,
        errors: snapshot.errors,
        stats: snapshot.stats,
      };
    } else {
      const d = describeError(failure);
      this.deps.log.warn("devops: organisation could not be read; its previous snapshot is carried forward", {
        runId: record.runId,
        organization,
        code: d.code,
      });
      report = {
        ...rest,
        status: "failed",
        finishedAt,
        errors: [devopsError(organization, "organization", failure)],
      };
    }
    await records.saveOrganizationReport(record.runId, report);
    // Read again: a tenant-wide run's plan may have listed its subscriptions since this delivery began.
    const current = await records.get(record.runId);
    if (current !== undefined) await this.deps.completion.completeIfReported(current, lease);
  }
}
