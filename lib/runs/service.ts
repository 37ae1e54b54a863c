import { randomUUID } from "node:crypto";

import type { ArmReader } from "../azure/arm-reader.js";
import { newCallStats } from "../azure/arm-reader.js";
import { assembleExport, groupBySubscription, visibleSubscriptions } from "../azure/discover.js";
import { discoverSubscription, type SubscriptionResult, type TypeStats } from "../azure/discover-subscription.js";
import { cachedApiVersions } from "../azure/discovery-service.js";
import { isSnapshotError, type Lease, type Store, StoreUnavailableError } from "../cache/index.js";
import type { Logger } from "../log/index.js";
import { recordRun, withSpan } from "../telemetry/index.js";
import type { ExportResource, RunError, TopologyExport } from "../topology/export-format.js";
import {
  isFinal,
  latestRunSchema,
  queuedReport,
  type RunMessage,
  type RunRecord,
  runRecordSchema,
  type RunTrigger,
  type SubscriptionReport,
  subscriptionReportSchema,
} from "./records.js";

/** Document namespaces of the run state (docs/api.md, "Discovery runs"). */
const RUNS = "runs";
const REPORTS = "run-reports";
const LATEST = "runs-latest";

/** Run records and reports outlive the run by a week, for `GET /discovery/runs/{runId}`. */
export const RUN_RECORD_TTL_MS = 7 * 86_400_000;
/** Staged subscription parts live until the run assembles them, a day at most. */
export const RUN_PART_TTL_MS = 86_400_000;
/** The finisher's own lock: long enough to assemble and commit, short enough to retry soon. */
const FINISH_LOCK_TTL_MS = 120_000;
/** Progress is written at most this often per subscription. */
const PROGRESS_INTERVAL_MS = 1_000;

/** What the run service works with. */
export interface RunServiceDeps {
  store: Store;
  log: Logger;
  /** The snapshot scope runs commit to. */
  scope: string;
  /** Subscriptions in scope; empty means every subscription the identity can see. */
  subscriptions: readonly string[];
  /** The ARM reader, made on first use (may load it lazily: the ARM client is heavy to import). */
  reader: () => ArmReader | Promise<ArmReader>;
  /** ARM endpoint, part of the api-version cache key. */
  endpoint: string;
  /** Types discovered at once per subscription. */
  concurrency: number;
  /** Lifetime of the scope lock unless renewed (DISCOVERY_LOCK_TTL_MS). */
  lockTtlMs: number;
  now?: () => number;
  randomId?: () => string;
}

/** Outcome of {@link RunService.start}. */
export type StartOutcome =
  | { started: true; run: RunView; messages: RunMessage[] }
  | { started: false; reason: "held"; runningRunId: string | null };

/** A run as the API shows it. */
export interface RunView {
  runId: string;
  scope: string;
  status: RunRecord["status"];
  trigger: RunTrigger;
  requestedAt: string;
  finishedAt?: string;
  failure?: string;
  progress: {
    subscriptions: { total: number | null; queued: number; running: number; done: number; failed: number };
    types: { done: number; total: number };
    resources: number;
    throttled: number;
  };
  subscriptions: Array<Omit<SubscriptionReport, "part" | "errors" | "types" | "stats"> & { types: Record<string, Omit<TypeStats, "type">> }>;
  errors: RunError[];
  result?: RunRecord["result"];
}

/** A run's status without its subscriptions. */
export type RunSummary = Pick<RunView, "runId" | "status" | "trigger" | "requestedAt" | "finishedAt" | "failure">;

/** Where a delivery stands, as the queue host tells it. */
export interface Delivery {
  /** 1 for the first delivery of a message. */
  dequeueCount: number;
}

/**
 * Discovery runs spread over queue messages, so many instances share a many-subscription tenant
 * and no HTTP call waits on ARM (docs/api.md, "Discovery runs"):
 *
 * - `start` takes the scope's lock (owner token: the run id), writes the run's record and hands
 *   back the messages to enqueue: one per subscription, or one `plan` message that lists them.
 * - `handle` runs one message: a subscription is discovered under the renewed scope lock and its
 *   resources are staged; the delivery that sees every subscription reported assembles the parts,
 *   infers edges over the union and commits the snapshot, then releases the lock.
 * - `poisoned` records a message the queue gave up on, so the run still completes, with that
 *   subscription's previous resources carried forward as stale.
 *
 * A worker that dies stops renewing the lock; it expires after `lockTtlMs`, the next `start`
 * proceeds, and the dead run reads as failed. Nothing is committed before every subscription has
 * reported, so the previous snapshot stays current until then.
 */
export class RunService {
  private readonly now: () => number;
  private readonly randomId: () => string;
  private previous: { writeId: string; bySubscription: Map<string, ExportResource[]> } | undefined;
  private readonly apiVersions: ReturnType<typeof cachedApiVersions>;

  constructor(private readonly deps: RunServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.randomId = deps.randomId ?? randomUUID;
    this.apiVersions = cachedApiVersions(deps.store, deps.endpoint);
  }

  /** The scope lock's name. */
  get lockName(): string {
    return `discovery:${this.deps.scope}`;
  }

  /**
   * Starts a run unless one holds the scope.
   * @throws StoreUnavailableError when the store cannot take the lock or the record.
   */
  async start(trigger: RunTrigger): Promise<StartOutcome> {
    const { store } = this.deps;
    const runId = this.randomId();
    const taken = await this.takeScope(runId);
    if (!taken.acquired) return { started: false, reason: "held", runningRunId: taken.holder };
    try {
      await this.abandonPrevious();
      const subscriptions = this.deps.subscriptions.length > 0 ? [...new Set(this.deps.subscriptions.map((s) => s.toLowerCase()))] : null;
      const record: RunRecord = {
        version: 1,
        runId,
        scope: this.deps.scope,
        trigger,
        status: "queued",
        requestedAt: new Date(this.now()).toISOString(),
        lock: { name: this.lockName, fencingToken: taken.lease.fencingToken, ttlMs: this.deps.lockTtlMs },
        subscriptions,
        planErrors: [],
        planStats: newCallStats(),
      };
      await this.saveRecord(record);
      await store.documents.set(LATEST, [this.deps.scope], { runId }, RUN_RECORD_TTL_MS * 4);
      this.deps.log.info("discovery run started", { runId, trigger, scope: this.deps.scope, subscriptions: subscriptions?.length ?? "all visible" });
      const messages: RunMessage[] = subscriptions === null ? [{ v: 1, kind: "plan", runId }] : subscriptions.map((subscriptionId) => ({ v: 1, kind: "subscription", runId, subscriptionId }));
      // Just created: it holds the lock and no subscription has reported, so no store read is needed.
      return { started: true, run: this.viewFrom(record, (subscriptions ?? []).map(queuedReport)), messages };
    } catch (error) {
      await taken.lease.release().catch(() => false);
      throw error;
    }
  }

  /**
   * Takes the scope lock for `runId`, or says who holds it. A lock that expires between the refused
   * take and the holder read is simply taken again, so a refusal nearly always names a run.
   */
  private async takeScope(runId: string): Promise<{ acquired: true; lease: Lease } | { acquired: false; holder: string | null }> {
    let holder: string | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken = await this.deps.store.locks.acquire(this.lockName, { ttlMs: this.deps.lockTtlMs, owner: runId });
      if (taken.acquired) return taken;
      if (taken.reason === "unavailable") throw new StoreUnavailableError("lock.acquire", "failed");
      holder = await this.deps.store.locks.holder(this.lockName);
      if (holder !== null) break;
    }
    return { acquired: false, holder };
  }

  /**
   * Runs one queue message; resolves to the messages to enqueue next.
   * @throws when the delivery must be retried (the store failed); the queue redelivers it and,
   *   past its dequeue limit, moves it to the poison queue (see {@link poisoned}).
   */
  async handle(message: RunMessage, delivery: Delivery): Promise<RunMessage[]> {
    const record = await this.record(message.runId);
    if (record === undefined || isFinal(record.status)) {
      this.deps.log.info("discovery message of a finished or unknown run dropped", { runId: message.runId, kind: message.kind });
      return [];
    }
    const lease = this.lease(record);
    if (!(await this.holds(record, lease))) {
      await this.abandon(record, "its scope lock expired before this delivery (no worker renewed it)");
      return [];
    }
    if (message.kind === "plan") return this.plan(record, lease);
    const subscriptionId = message.subscriptionId.toLowerCase();
    if (!record.subscriptions?.includes(subscriptionId)) {
      this.deps.log.warn("discovery message for a subscription outside its run dropped", { runId: record.runId, subscriptionId });
      return [];
    }
    const report = (await this.report(record.runId, subscriptionId)) ?? queuedReport(subscriptionId);
    if (report.status === "done" || report.status === "failed") {
      await this.completeIfReported(record);
      return [];
    }
    try {
      await this.discover(record, lease, report, delivery);
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      await this.saveReport(record.runId, { ...report, status: "running", attempts: delivery.dequeueCount, lastError }).catch(() => undefined);
      throw error;
    }
    return [];
  }

  /**
   * Records a message the queue gave up on: a subscription is reported failed (its previous
   * resources are carried forward when the run assembles), a plan fails the run.
   */
  async poisoned(message: RunMessage): Promise<void> {
    const record = await this.record(message.runId);
    if (record === undefined || isFinal(record.status)) return;
    if (message.kind === "plan") {
      await this.fail(record, "listing the subscriptions failed on every delivery of the run's plan message");
      return;
    }
    const subscriptionId = message.subscriptionId.toLowerCase();
    const report = (await this.report(record.runId, subscriptionId)) ?? queuedReport(subscriptionId);
    if (report.status === "done" || report.status === "failed") return;
    const why = report.lastError === undefined ? "" : `; last error: ${report.lastError}`;
    await this.saveReport(record.runId, {
      ...report,
      status: "failed",
      finishedAt: new Date(this.now()).toISOString(),
      errors: [
        ...report.errors,
        { subscriptionId, type: "*", code: "WorkerGaveUp", message: `the subscription's queue message failed on every delivery and went to the poison queue${why}`, attempts: report.attempts },
      ],
    });
    this.deps.log.error("discovery of a subscription gave up; its previous resources will be carried forward", { runId: record.runId, subscriptionId });
    await this.completeIfReported(record);
  }

  /** The run `runId` as the API shows it, or undefined when unknown (or expired). */
  async view(runId: string): Promise<RunView | undefined> {
    const record = await this.record(runId);
    return record === undefined ? undefined : this.viewOf(record);
  }

  /** The scope's latest run, or undefined when none was ever started (or it expired). */
  async latest(): Promise<RunView | undefined> {
    const pointer = await this.deps.store.documents.get(LATEST, [this.deps.scope], latestRunSchema);
    return pointer === undefined ? undefined : this.view(pointer.runId);
  }

  /** The scope's latest run without its subscriptions' reports (cheap enough for health probes). */
  async latestSummary(): Promise<RunSummary | undefined> {
    const pointer = await this.deps.store.documents.get(LATEST, [this.deps.scope], latestRunSchema);
    const record = pointer === undefined ? undefined : await this.record(pointer.runId);
    if (record === undefined) return undefined;
    const { status, failure } = await this.liveStatus(record);
    return {
      runId: record.runId,
      status,
      trigger: record.trigger,
      requestedAt: record.requestedAt,
      ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
      ...(failure === undefined ? {} : { failure }),
    };
  }

  private async plan(record: RunRecord, lease: Lease): Promise<RunMessage[]> {
    let planned = record;
    if (record.subscriptions === null) {
      const stats = newCallStats();
      // As in a one-process run: without the list, the previous snapshot's subscriptions.
      const { subscriptions, errors } = await visibleSubscriptions(await this.deps.reader(), stats, async () => (await this.previousSnapshot())?.scope.subscriptions ?? []);
      planned = { ...record, status: "running", subscriptions: [...new Set(subscriptions)], planErrors: errors, planStats: stats };
      await this.saveRecord(planned);
    }
    const reports = await this.reports(planned);
    const pending = planned.subscriptions!.filter((_, i) => reports[i]!.status !== "done" && reports[i]!.status !== "failed");
    if (pending.length === 0) await this.completeIfReported(planned, lease);
    return pending.map((subscriptionId) => ({ v: 1, kind: "subscription", runId: planned.runId, subscriptionId }));
  }

  private async discover(record: RunRecord, lease: Lease, queued: SubscriptionReport, delivery: Delivery): Promise<void> {
    const { subscriptionId } = queued;
    let report: SubscriptionReport = {
      ...queuedReport(subscriptionId),
      status: "running",
      attempts: delivery.dequeueCount,
      startedAt: new Date(this.now()).toISOString(),
      ...(queued.lastError === undefined ? {} : { lastError: queued.lastError }),
    };
    await this.saveReport(record.runId, report);
    if (record.status === "queued") await this.saveRecord({ ...record, status: "running" });

    let lost = false;
    const renewal = setInterval(() => {
      void this.holds(record, lease).then(
        (held) => (lost ||= !held),
        () => undefined, // the store is failing: the next tick (or the final check) tries again
      );
    }, Math.max(1_000, Math.floor(record.lock.ttlMs / 3)));
    renewal.unref();
    let lastWrite = 0;
    let writing: Promise<void> | undefined;
    let result: SubscriptionResult;
    try {
      const previous = await this.previousOf(subscriptionId);
      result = await discoverSubscription({
        reader: await this.deps.reader(),
        subscriptionId,
        concurrency: this.deps.concurrency,
        ...(previous === undefined ? {} : { previous }),
        apiVersions: (load) => this.apiVersions(subscriptionId, load),
        now: this.now,
        onProgress: (p) => {
          report = {
            ...report,
            typesDone: p.typesDone,
            typesTotal: p.typesTotal,
            resources: p.resources,
            throttled: p.throttled,
            types: p.finished === undefined ? report.types : [...report.types, p.finished],
          };
          if (writing === undefined && this.now() - lastWrite >= PROGRESS_INTERVAL_MS) {
            lastWrite = this.now();
            const snapshot = report;
            writing = this.saveReport(record.runId, snapshot)
              .catch((error: unknown) => this.deps.log.warn("run progress not written", { runId: record.runId, subscriptionId, error }))
              .finally(() => (writing = undefined));
          }
        },
      });
    } finally {
      clearInterval(renewal);
      await writing;
    }
    if (lost || !(await this.holds(record, lease))) {
      await this.abandon(record, `its scope lock expired while subscription ${subscriptionId} was being discovered`);
      return;
    }
    const staged = await this.deps.store.snapshots.stage(this.deps.scope, partOf(record.runId, result), { ttlMs: RUN_PART_TTL_MS });
    const { lastError: _, ...rest } = report;
    await this.saveReport(record.runId, {
      ...rest,
      status: "done",
      finishedAt: new Date(this.now()).toISOString(),
      typesDone: result.types.length,
      typesTotal: result.types.length,
      resources: result.resources.length,
      throttled: result.stats.throttled,
      types: result.types,
      errors: result.errors,
      stats: result.stats,
      part: staged.manifest,
    });
    await this.completeIfReported(record, lease);
  }

  /** When every subscription has reported, the one delivery that takes the finish lock commits. */
  private async completeIfReported(record: RunRecord, lease = this.lease(record)): Promise<void> {
    const subscriptions = record.subscriptions ?? [];
    const reports = await this.reports(record);
    if (reports.some((r) => r.status !== "done" && r.status !== "failed")) return;
    const finish = await this.deps.store.locks.acquire(`discovery-finish:${record.runId}`, { ttlMs: FINISH_LOCK_TTL_MS });
    if (!finish.acquired) return;
    try {
      const current = await this.record(record.runId);
      if (current === undefined || isFinal(current.status)) return;
      await withSpan("discovery.run", { "topdeck.run.id": record.runId, "topdeck.run.subscriptions": subscriptions.length }, async (span) => {
        const exported = await this.assemble(current, reports);
        if (!(await this.holds(current, lease))) {
          await this.abandon(current, "its scope lock expired before the snapshot was committed");
          return;
        }
        // A delivery retried after a commit whose record update failed commits nothing twice.
        const [head] = await this.deps.store.snapshots.list(this.deps.scope);
        if (head?.runId !== current.runId) await this.deps.store.snapshots.write(this.deps.scope, exported);
        const { stats } = exported;
        const result = {
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
        };
        const outcome = exported.errors.length === 0 ? "succeeded" : "partial";
        await this.saveRecord({ ...current, status: outcome, finishedAt: exported.finishedAt, result });
        span.setAttributes({ "topdeck.run.resources": stats.resources, "topdeck.run.errors": exported.errors.length, "topdeck.run.throttled": stats.throttled });
        recordRun({ durationMs: stats.durationMs, resources: stats.resources, throttled: stats.throttled, retries: stats.retries, outcome });
        this.deps.log.info("discovery run committed", { runId: current.runId, status: outcome, resources: stats.resources, edges: stats.edges, errors: exported.errors.length });
        await lease.release();
        const parts = reports.flatMap((r) => (r.part === undefined ? [] : [r.part]));
        await Promise.all(parts.map((manifest) => this.deps.store.snapshots.discard({ manifest }).catch(() => undefined)));
      });
    } finally {
      await finish.lease.release();
    }
  }

  /** The run's export from its staged parts; failed subscriptions carry their previous resources forward. */
  private async assemble(record: RunRecord, reports: SubscriptionReport[]): Promise<TopologyExport> {
    const results: SubscriptionResult[] = [];
    for (const report of reports) {
      let resources: ExportResource[] | undefined;
      const errors = [...report.errors];
      if (report.status === "done" && report.part !== undefined) {
        try {
          resources = (await this.deps.store.snapshots.readStaged({ manifest: report.part })).resources;
        } catch (error) {
          // A store that fails the read fails the delivery (it is retried); a part that is gone
          // or corrupt is reported, and the subscription's previous resources carried forward.
          if (!isSnapshotError(error)) throw error;
          errors.push({ subscriptionId: report.subscriptionId, type: "*", code: "PartLost", message: `the subscription's staged resources could not be read: ${error.message}`, attempts: 1 });
          await this.saveReport(record.runId, { ...report, status: "failed", errors });
        }
      }
      if (resources === undefined) {
        const previous = (await this.previousOf(report.subscriptionId)) ?? [];
        resources = previous.map((r) => ({ ...r, stale: true }));
      }
      results.push({ subscriptionId: report.subscriptionId, resources, errors, types: report.types, stats: report.stats });
    }
    return assembleExport({
      runId: record.runId,
      startedAt: Date.parse(record.requestedAt),
      finishedAt: this.now(),
      subscriptions: record.subscriptions ?? [],
      listErrors: record.planErrors,
      listStats: record.planStats,
      results,
    });
  }

  /** Marks the scope's latest run failed if it never finished (its lock is gone: this start took it). */
  private async abandonPrevious(): Promise<void> {
    const pointer = await this.deps.store.documents.get(LATEST, [this.deps.scope], latestRunSchema);
    if (pointer === undefined) return;
    const record = await this.record(pointer.runId);
    if (record !== undefined && !isFinal(record.status)) await this.abandon(record, "its scope lock expired (a worker stopped renewing it) and a later run took the scope");
  }

  private async abandon(record: RunRecord, why: string): Promise<void> {
    const current = await this.record(record.runId);
    if (current === undefined || isFinal(current.status)) return;
    await this.saveRecord({ ...current, status: "failed", finishedAt: new Date(this.now()).toISOString(), failure: `abandoned: ${why}; nothing was committed` });
    this.deps.log.warn("discovery run abandoned; the previous snapshot stays current", { runId: record.runId, why });
  }

  private async fail(record: RunRecord, why: string): Promise<void> {
    await this.saveRecord({ ...record, status: "failed", finishedAt: new Date(this.now()).toISOString(), failure: `${why}; nothing was committed` });
    await this.lease(record).release();
    this.deps.log.error("discovery run failed; the previous snapshot stays current", { runId: record.runId, why });
  }

  /** A run's status as it stands: one that is not final and no longer holds its lock is dead. */
  private async liveStatus(record: RunRecord): Promise<Pick<RunRecord, "status" | "failure">> {
    if (!isFinal(record.status) && (await this.deps.store.locks.holder(record.lock.name)) !== record.runId) {
      return { status: "failed", failure: "abandoned: its scope lock expired (a worker stopped renewing it); nothing was committed" };
    }
    return { status: record.status, ...(record.failure === undefined ? {} : { failure: record.failure }) };
  }

  private async viewOf(stored: RunRecord): Promise<RunView> {
    const { failure: _, ...rest } = stored;
    return this.viewFrom({ ...rest, ...(await this.liveStatus(stored)) }, await this.reports(stored));
  }

  private viewFrom(record: RunRecord, reports: SubscriptionReport[]): RunView {
    const count = (s: SubscriptionReport["status"]) => reports.filter((r) => r.status === s).length;
    return {
      runId: record.runId,
      scope: record.scope,
      status: record.status,
      trigger: record.trigger,
      requestedAt: record.requestedAt,
      ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
      ...(record.failure === undefined ? {} : { failure: record.failure }),
      progress: {
        subscriptions: { total: record.subscriptions?.length ?? null, queued: count("queued"), running: count("running"), done: count("done"), failed: count("failed") },
        types: { done: sum(reports, (r) => r.typesDone), total: sum(reports, (r) => r.typesTotal) },
        resources: sum(reports, (r) => r.resources),
        throttled: sum(reports, (r) => r.throttled),
      },
      subscriptions: reports.map(({ part: _p, errors: _e, stats: _s, types, ...r }) => ({
        ...r,
        types: Object.fromEntries(types.map(({ type, ...t }) => [type, t])),
      })),
      errors: [...record.planErrors, ...reports.flatMap((r) => r.errors)],
      ...(record.result === undefined ? {} : { result: record.result }),
    };
  }

  /**
   * Renews the run's scope lock: true while the run holds it, false when it expired or another run
   * took it. A renewal the store failed is told apart by reading the holder, which throws
   * StoreUnavailableError, so a blip fails the delivery (it is retried) instead of the run.
   */
  private async holds(record: RunRecord, lease: Lease): Promise<boolean> {
    if (await lease.renew()) return true;
    return (await this.deps.store.locks.holder(record.lock.name)) === record.runId;
  }

  private lease(record: RunRecord): Lease {
    return this.deps.store.locks.resume(record.lock.name, record.runId, record.lock.fencingToken, record.lock.ttlMs);
  }

  private record(runId: string): Promise<RunRecord | undefined> {
    return this.deps.store.documents.get(RUNS, [runId], runRecordSchema);
  }

  private saveRecord(record: RunRecord): Promise<void> {
    return this.deps.store.documents.set(RUNS, [record.runId], record, RUN_RECORD_TTL_MS);
  }

  private report(runId: string, subscriptionId: string): Promise<SubscriptionReport | undefined> {
    return this.deps.store.documents.get(REPORTS, [runId, subscriptionId], subscriptionReportSchema);
  }

  /** Every subscription's report, in the record's order; missing ones are still queued. */
  private async reports(record: RunRecord): Promise<SubscriptionReport[]> {
    const subscriptions = record.subscriptions ?? [];
    const found = await this.deps.store.documents.getMany(REPORTS, subscriptions.map((s) => [record.runId, s]), subscriptionReportSchema);
    return subscriptions.map((s, i) => found[i] ?? queuedReport(s));
  }

  private saveReport(runId: string, report: SubscriptionReport): Promise<void> {
    return this.deps.store.documents.set(REPORTS, [runId, report.subscriptionId], report, RUN_RECORD_TTL_MS);
  }

  /** The current snapshot, read once per instance per commit. */
  private async previousSnapshot(): Promise<TopologyExport | undefined> {
    try {
      return (await this.deps.store.snapshots.read(this.deps.scope))?.export;
    } catch (error) {
      this.deps.log.warn("previous snapshot unreadable; nothing can be carried forward", { scope: this.deps.scope, error });
      return undefined;
    }
  }

  /** The current snapshot's resources of one subscription (for carrying forward), cached per commit. */
  private async previousOf(subscriptionId: string): Promise<ExportResource[] | undefined> {
    let head;
    try {
      [head] = await this.deps.store.snapshots.list(this.deps.scope);
    } catch (error) {
      this.deps.log.warn("previous snapshot unreadable; nothing can be carried forward", { scope: this.deps.scope, error });
      return undefined;
    }
    if (head === undefined) return undefined;
    if (this.previous?.writeId !== head.writeId) {
      const snapshot = await this.previousSnapshot();
      if (snapshot === undefined) return undefined;
      this.previous = { writeId: head.writeId, bySubscription: groupBySubscription(snapshot.resources) };
    }
    return this.previous.bySubscription.get(subscriptionId.toLowerCase());
  }
}

/** One subscription's resources as an export, for staging until the run assembles. */
function partOf(runId: string, result: SubscriptionResult): TopologyExport {
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

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
