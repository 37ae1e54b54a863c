import type { Lease, Store } from "../cache/index.js";
import type { Logger } from "../log/index.js";
import { recordRun, withSpan } from "../telemetry/index.js";
import { devopsErrorCount, resultOf, type RunAssembly } from "./assembly.js";
import { isFinal, type RunRecord } from "./records.js";
import type { RunRecords } from "./run-records.js";
import type { ScopeLock } from "./scope-lock.js";
import { acquireLock } from "./store-calls.js";

/** The finisher's own lock: long enough to assemble and commit, short enough to retry soon. */
const FINISH_LOCK_TTL_MS = 120_000;

/**
 * Marks a run that is not final failed as abandoned (its lock is gone), and logs it once.
 * @throws StoreUnavailableError when the store fails.
 */
export async function abandonRun(records: RunRecords, log: Logger, runId: string, why: string, now: number): Promise<void> {
  if (await records.fail(runId, `abandoned: ${why}; nothing was committed`, new Date(now).toISOString())) {
    log.warn("discovery run abandoned; the previous snapshot stays current", { runId, why });
  }
}

/**
 * The end of a run: once every subscription has reported, the one delivery that takes the
 * run's finish lock assembles the parts, commits behind the run's fence, records the outcome
 * (compare-and-set) and releases the scope.
 */
export class RunCompletion {
  constructor(
    private readonly store: Store,
    private readonly records: RunRecords,
    private readonly lock: ScopeLock,
    private readonly assembly: RunAssembly,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly randomId: () => string,
  ) {}

  /**
   * Completes the run if every subscription and every Azure DevOps organisation has reported;
   * otherwise does nothing (a tenant-wide run whose plan has not listed its subscriptions yet has
   * not reported).
   * @throws StoreUnavailableError when the store fails at any step (the delivery is retried).
   */
  async completeIfReported(record: RunRecord, lease: Lease): Promise<void> {
    if (record.subscriptions === null) return;
    const reports = await this.records.reports(record);
    if (reports.some((r) => r.status !== "done" && r.status !== "failed")) return;
    const organizations = await this.records.organizationReports(record);
    if (organizations.some((r) => r.status !== "done" && r.status !== "failed")) return;
    const finish = await acquireLock(this.store, `discovery-finish:${record.runId}`, this.randomId(), FINISH_LOCK_TTL_MS);
    if (!finish.acquired) return; // another delivery is finishing the run
    try {
      const current = await this.records.get(record.runId);
      if (current === undefined || isFinal(current.status)) return;
      await withSpan(
        "discovery.run",
        { "topdeck.run.id": record.runId, "topdeck.run.subscriptions": (current.subscriptions ?? []).length },
        async (span) => {
          const { exported, devops } = await this.assembly.assemble(current, reports, organizations);
          if (!(await this.lock.holds(lease))) {
            await abandonRun(this.records, this.log, current.runId, "its scope lock expired before the snapshot was committed", this.now());
            return;
          }
          if ((await this.assembly.commit(current, exported)) === "fenced") {
            await this.records.fail(
              current.runId,
              "fenced: a newer run holds the scope; nothing was committed",
              new Date(this.now()).toISOString(),
            );
            this.log.warn("discovery run fenced at its commit; the newer run's snapshot stays current", { runId: current.runId });
            return;
          }
          // Before the record: a delivery retried after a failed write commits nothing twice and keeps them again.
          await this.assembly.keepDevOps(devops);
          const outcome = exported.errors.length === 0 && devopsErrorCount(exported) === 0 ? "succeeded" : "partial";
          const { stats } = exported;
          await this.records.transition(current.runId, (r) => ({
            ...r,
            status: outcome,
            finishedAt: exported.finishedAt,
            result: resultOf(exported),
          }));
          span.setAttributes({
            "topdeck.run.resources": stats.resources,
            "topdeck.run.errors": exported.errors.length,
            "topdeck.run.throttled": stats.throttled,
          });
          recordRun({
            durationMs: stats.durationMs,
            resources: stats.resources,
            throttled: stats.throttled,
            retries: stats.retries,
            outcome,
          });
          this.log.info("discovery run committed", {
            runId: current.runId,
            status: outcome,
            resources: stats.resources,
            edges: stats.edges,
            errors: exported.errors.length,
          });
          await lease.release();
          const parts = reports.flatMap((r) => (r.part === undefined ? [] : [r.part]));
          await Promise.all(parts.map((manifest) => this.store.snapshots.discard({ manifest }).catch(() => undefined)));
        },
      );
    } finally {
      await finish.lease.release();
    }
  }
}
