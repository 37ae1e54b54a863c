import type { Store } from "../cache/index.js";
import { organizationOf } from "../devops/model.js";
import type { SubscriptionId } from "../topology/subscription-id.js";
import {
  isFinal,
  latestRunSchema,
  type OrganizationReport,
  organizationReportSchema,
  queuedOrganizationReport,
  queuedReport,
  type RunRecord,
  runRecordSchema,
  type SubscriptionReport,
  subscriptionReportSchema,
} from "./records.js";

/** Document namespaces of the run state (docs/api.md, "Discovery runs"). */
const RUNS = "runs";
const REPORTS = "run-reports";
const LATEST = "runs-latest";
const ORG_REPORTS = "run-devops-reports";

/** Run records and reports outlive the run by a week, for `GET /discovery/runs/{runId}`. */
export const RUN_RECORD_TTL_MS = 7 * 86_400_000;

/** Compare-and-set attempts before a transition gives up (another writer kept winning). */
const CAS_ATTEMPTS = 5;

/** A status change of a record that lost to other writers {@link CAS_ATTEMPTS} times. */
export class RecordContendedError extends Error {
  override readonly name = "RecordContendedError";
  /** Stable code. */
  readonly code = "TOPDECK_RUN_RECORD_CONTENDED";
}

/**
 * The run state in the store: each run's record, each subscription's report, and each scope's
 * pointer to its latest run. Every record change is a compare-and-set on the version it read, and
 * a final record (succeeded, partial, failed) never changes again: an older writer that resumes
 * late (a paused instance) cannot flip it.
 */
export class RunRecords {
  constructor(private readonly store: Store) {}

  /**
   * The record of `runId`, or undefined when unknown (or expired).
   * @throws StoreUnavailableError when the store fails.
   */
  get(runId: string): Promise<RunRecord | undefined> {
    return this.store.documents.get(RUNS, [runId], runRecordSchema);
  }

  /**
   * Writes a new run's record; false when one already exists under its id.
   * @throws StoreUnavailableError when the store fails.
   */
  create(record: RunRecord): Promise<boolean> {
    return this.store.documents.setIfVersion(RUNS, [record.runId], record, RUN_RECORD_TTL_MS, null);
  }

  /**
   * Changes the record of `runId` with `change` by compare-and-set, reading again when another
   * writer got there first. `change` returns undefined to leave the record as it is; a final
   * record is never offered to it.
   * @returns the record as it now stands (undefined when there is none).
   * @throws StoreUnavailableError when the store fails; RecordContendedError when writers kept colliding.
   */
  async transition(runId: string, change: (current: RunRecord) => RunRecord | undefined): Promise<RunRecord | undefined> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await this.store.documents.getVersioned(RUNS, [runId], runRecordSchema);
      if (current === undefined) return undefined;
      if (isFinal(current.value.status)) return current.value;
      const next = change(current.value);
      if (next === undefined) return current.value;
      if (await this.store.documents.setIfVersion(RUNS, [runId], next, RUN_RECORD_TTL_MS, current.version)) return next;
    }
    throw new RecordContendedError(`The record of run ${runId} kept changing under ${CAS_ATTEMPTS} attempts to update it`);
  }

  /**
   * Ends a run that is not final yet as failed, saying why (compare-and-set).
   * @returns true when this call ended it, false when it was already final (or unknown).
   * @throws StoreUnavailableError when the store fails.
   */
  async fail(runId: string, failure: string, finishedAt: string): Promise<boolean> {
    let changed = false;
    await this.transition(runId, (r) => {
      changed = true;
      return { ...r, status: "failed", finishedAt, failure };
    });
    return changed;
  }

  /**
   * The report of one subscription of a run, or undefined when none was written.
   * @throws StoreUnavailableError when the store fails.
   */
  report(runId: string, subscriptionId: SubscriptionId): Promise<SubscriptionReport | undefined> {
    return this.store.documents.get(REPORTS, [runId, subscriptionId], subscriptionReportSchema);
  }

  /**
   * Every subscription's report, in the record's order; missing ones are still queued.
   * @throws StoreUnavailableError when the store fails.
   */
  async reports(record: RunRecord): Promise<SubscriptionReport[]> {
    const subscriptions = record.subscriptions ?? [];
    const found = await this.store.documents.getMany(
      REPORTS,
      subscriptions.map((s) => [record.runId, s]),
      subscriptionReportSchema,
    );
    return subscriptions.map((s, i) => found[i] ?? queuedReport(s));
  }

  /**
   * Writes a subscription's report.
   * @throws StoreUnavailableError when the store fails.
   */
  saveReport(runId: string, report: SubscriptionReport): Promise<void> {
    return this.store.documents.set(REPORTS, [runId, report.subscriptionId], report, RUN_RECORD_TTL_MS);
  }

  /**
   * Every Azure DevOps organisation's report, in the record's order; missing ones are still queued.
   * @throws StoreUnavailableError when the store fails.
   */
  async organizationReports(record: RunRecord): Promise<OrganizationReport[]> {
    const urls = record.organizations ?? [];
    if (urls.length === 0) return [];
    const names = urls.map(organizationOf);
    const found = await this.store.documents.getMany(
      ORG_REPORTS,
      names.map((o) => [record.runId, o]),
      organizationReportSchema,
    );
    return names.map((o, i) => found[i] ?? queuedOrganizationReport(o, urls[i]!));
  }

  /**
   * Writes an organisation's report.
   * @throws StoreUnavailableError when the store fails.
   */
  saveOrganizationReport(runId: string, report: OrganizationReport): Promise<void> {
    return this.store.documents.set(ORG_REPORTS, [runId, report.organization], report, RUN_RECORD_TTL_MS);
  }

  /**
   * The id of the latest run of `scope`, or undefined when none was started (or it expired).
   * @throws StoreUnavailableError when the store fails.
   */
  async latest(scope: string): Promise<string | undefined> {
    return (await this.store.documents.get(LATEST, [scope], latestRunSchema))?.runId;
  }

  /**
   * Points `scope`'s latest run at `runId`.
   * @throws StoreUnavailableError when the store fails.
   */
  setLatest(scope: string, runId: string): Promise<void> {
    return this.store.documents.set(LATEST, [scope], { runId }, RUN_RECORD_TTL_MS * 4);
  }
}
