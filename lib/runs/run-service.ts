import { randomUUID } from "node:crypto";

import type { ArmReader } from "../azure/arm-reader.js";
import { newCallStats } from "../azure/arm-reader.js";
import { cachedApiVersions } from "../azure/cached-api-versions.js";
import { visibleSubscriptions } from "../azure/discover.js";
import type { DiscoveryFilter, SubscriptionProgress } from "../azure/discover-subscription.js";
import type { Lease, Store } from "../cache/index.js";
import { organizationOf } from "../devops/model.js";
import type { Logger } from "../log/index.js";
import type { TopologyExport } from "../topology/export-format.js";
import { parseSubscriptionId, type SubscriptionId, uniqueSubscriptionIds } from "../topology/subscription-id.js";
import { PreviousSnapshot, RunAssembly } from "./assembly.js";
import { abandonRun, RunCompletion } from "./completion.js";
import type { DevOpsSource } from "./devops-source.js";
import { OrganizationRun } from "./organization-run.js";
import { isFinal, queuedOrganizationReport, queuedReport, type RunMessage, type RunRecord, type RunTrigger } from "./records.js";
import { RunRecords } from "./run-records.js";
import { normaliseFilter } from "./scope.js";
import { type HeartbeatTimers, ScopeLock, scopeLockName } from "./scope-lock.js";
import { type DeliveryCount, SubscriptionRun } from "./subscription-run.js";
import { buildRunView, type RunSummary, type RunView, RunViews } from "./views.js";

export { RUN_RECORD_TTL_MS } from "./run-records.js";
export { RUN_PART_TTL_MS } from "./subscription-run.js";
export type { RunSummary, RunView } from "./views.js";

/** Reads of a lock holder's record before it counts as absent, and the wait between them. */
const HOLDER_READS = 4;
const HOLDER_READ_DELAY_MS = 25;

/** What the run service works with (lib/runs/compose.ts builds it from the settings). */
export interface RunServiceDeps {
  store: Store;
  log: Logger;
  /** The snapshot scope runs commit to (lib/runs/scope.ts: it includes the filter). */
  scope: string;
  /** Subscriptions in scope; empty means every subscription the identity can see. */
  subscriptions: readonly string[];
  /** What a filtered run reads. @default everything */
  filter?: DiscoveryFilter;
  /** The ARM reader, made on first use (may load it lazily: the ARM client is heavy to import). */
  reader: () => ArmReader | Promise<ArmReader>;
  /** ARM endpoint, part of the api-version cache key. */
  endpoint: string;
  /** Types discovered at once per subscription. */
  concurrency: number;
  /** Lifetime of the scope lock unless renewed (DISCOVERY_LOCK_TTL_MS). */
  lockTtlMs: number;
  /** Told of each subscription's progress in this process (the CLI's progress line). */
  onProgress?: (progress: SubscriptionProgress) => void;
  /** @default Date.now */
  now?: () => number;
  /** Run ids and finish-lock owners. @default crypto.randomUUID */
  randomId?: () => string;
  /** The lease heartbeat's timers. @default the global setInterval / clearInterval */
  timers?: HeartbeatTimers;
  /** Waits between reads of a lock holder's record. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Azure DevOps organisations every run also discovers, one step each. @default none */
  devops?: DevOpsSource;
}

/** Outcome of {@link RunService.start}: a run, or why not. */
export type StartOutcome =
  | { started: true; run: RunView; messages: RunMessage[] }
  /** Another run holds the scope; its record exists. */
  | { started: false; reason: "held"; runningRunId: string }
  /** The scope's lock is held by an owner with no run record (a start whose record never landed); it expires by its TTL. */
  | { started: false; reason: "unrecorded"; runningRunId: null };

/** Where a delivery stands, as the queue host tells it. */
export type Delivery = DeliveryCount;

/**
 * The state machine of discovery runs, spread over queue messages so many instances share a
 * many-subscription tenant and no HTTP call waits on ARM (docs/api.md, "Discovery runs"):
 *
 * - `start` takes the scope's lock (owner token: the run id), writes the run's record and hands
 *   back the messages to enqueue: one per subscription, or one `plan` message that lists them.
 * - `handle` runs one message: a subscription is discovered under the scope lock's heartbeat and
 *   its resources are staged; the delivery that sees every subscription reported assembles the
 *   parts and commits the snapshot behind the run's fence, then releases the lock.
 * - `poisoned` records a message the queue gave up on, so the run still completes, with that
 *   subscription's previous resources carried forward as stale.
 *
 * A delivery that cannot do its part because the store failed throws, so the host redelivers it.
 * Nothing is committed before every subscription has reported, so the previous snapshot stays
 * current until then; a run that lost its lock is refused at the commit.
 */
export class RunService {
  private readonly now: () => number;
  private readonly randomId: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly subscriptions: SubscriptionId[];
  private readonly filter: RunRecord["filter"];
  private readonly records: RunRecords;
  private readonly lock: ScopeLock;
  private readonly views: RunViews;
  private readonly previous: PreviousSnapshot;
  private readonly completion: RunCompletion;
  private readonly subscriptionRun: SubscriptionRun;
  private readonly organizationRun: OrganizationRun | undefined;
  private readonly organizations: string[];

  constructor(private readonly deps: RunServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.randomId = deps.randomId ?? randomUUID;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.subscriptions = uniqueSubscriptionIds(deps.subscriptions.map(parseSubscriptionId));
    this.filter = normaliseFilter(deps.filter);
    this.records = new RunRecords(deps.store);
    this.lock = new ScopeLock(deps.store, scopeLockName(deps.scope), deps.lockTtlMs, deps.timers);
    this.views = new RunViews(deps.store, this.records, deps.scope);
    this.previous = new PreviousSnapshot(deps.store, deps.scope, deps.log);
    const assembly = new RunAssembly(deps.store, deps.scope, this.records, this.previous, this.now, deps.reader);
    this.completion = new RunCompletion(deps.store, this.records, this.lock, assembly, deps.log, this.now, this.randomId);
    this.subscriptionRun = new SubscriptionRun({
      store: deps.store,
      log: deps.log,
      scope: deps.scope,
      records: this.records,
      lock: this.lock,
      previous: this.previous,
      completion: this.completion,
      reader: deps.reader,
      apiVersions: cachedApiVersions(deps.store, deps.endpoint),
      concurrency: deps.concurrency,
      federatedCredentials: deps.devops !== undefined,
      now: this.now,
      ...(deps.onProgress === undefined ? {} : { onProgress: deps.onProgress }),
    });
    // One URL per organisation name: the name keys its step, its snapshot and its rate limit.
    const urls = new Map((deps.devops?.organizations ?? []).map((url) => [organizationOf(url), url.replace(/\/+$/, "")]));
    this.organizations = [...urls.values()];
    this.organizationRun =
      deps.devops === undefined
        ? undefined
        : new OrganizationRun({
            store: deps.store,
            log: deps.log,
            records: this.records,
            lock: this.lock,
            completion: this.completion,
            devops: deps.devops,
            now: this.now,
          });
  }

  /** The snapshot scope this service's runs commit to. */
  get scope(): string {
    return this.deps.scope;
  }

  /** The scope lock's name. */
  get lockName(): string {
    return this.lock.name;
  }

  /**
   * Starts a run unless one holds the scope.
   * @throws StoreUnavailableError when the store cannot take the lock or write the record (no
   *   run is started, and no lock is left behind that a record does not account for).
   */
  async start(trigger: RunTrigger): Promise<StartOutcome> {
    const runId = this.randomId();
    const taken = await this.takeScope(runId);
    if (!taken.acquired) return taken.outcome;
    const { lease } = taken;
    try {
      const subscriptions = this.subscriptions.length > 0 ? this.subscriptions : null;
      const record: RunRecord = {
        version: 1,
        runId,
        scope: this.deps.scope,
        trigger,
        status: "queued",
        requestedAt: new Date(this.now()).toISOString(),
        lock: { name: this.lock.name, fencingToken: lease.fencingToken, ttlMs: this.deps.lockTtlMs },
        subscriptions,
        ...(this.filter === undefined ? {} : { filter: this.filter }),
        planErrors: [],
        planStats: newCallStats(),
        ...(this.organizations.length === 0 ? {} : { organizations: this.organizations }),
      };
      // The record first: a start refused meanwhile reads the holder's record to name it.
      if (!(await this.records.create(record))) throw new Error(`run id ${runId} is already taken`);
      await this.abandonPrevious();
      await this.records.setLatest(this.deps.scope, runId);
      this.deps.log.info("discovery run started", {
        runId,
        trigger,
        scope: this.deps.scope,
        subscriptions: subscriptions?.length ?? "all visible",
      });
      const messages: RunMessage[] =
        subscriptions === null
          ? [{ v: 1, kind: "plan", runId }]
          : subscriptions.map((subscriptionId) => ({ v: 1, kind: "subscription", runId, subscriptionId }));
      // Each organisation is a step of its own, beside the subscriptions (and a tenant-wide run's plan).
      for (const url of this.organizations) messages.push({ v: 1, kind: "devops", runId, organization: organizationOf(url) });
      // Just created: it holds the lock and no subscription has reported, so no store read is needed.
      const organizations = this.organizations.map((url) => queuedOrganizationReport(organizationOf(url), url));
      return { started: true, run: buildRunView(record, (subscriptions ?? []).map(queuedReport), organizations), messages };
    } catch (error) {
      // A record that landed although its write failed must not read as a run in progress.
      await this.finish(runId, "the run could not be started: the store failed while writing its record; nothing was committed").catch(
        () => undefined,
      );
      await lease.release().catch(() => false);
      throw error;
    }
  }

  /**
   * Runs one queue message; resolves to the messages to enqueue next.
   * @throws when the delivery must be retried (the store failed, or the plan could not list any
   *   subscription); the queue redelivers it and, past its dequeue limit, moves it to the poison
   *   queue (see {@link poisoned}).
   */
  async handle(message: RunMessage, delivery: Delivery): Promise<RunMessage[]> {
    const record = await this.records.get(message.runId);
    if (record === undefined || isFinal(record.status)) {
      this.deps.log.info("discovery message of a finished or unknown run dropped", { runId: message.runId, kind: message.kind });
      // A finished run whose release failed still holds its scope: let it go (owner-checked).
      if (record !== undefined) await this.lock.lease(record).release();
      return [];
    }
    const lease = this.lock.lease(record);
    if (!(await this.lock.holds(lease))) {
      await this.abandon(record, "its scope lock expired before this delivery (no worker renewed it)");
      return [];
    }
    if (message.kind === "plan") return this.plan(record, lease);
    if (message.kind === "devops") return this.organization(record, lease, message.organization, delivery);
    const { subscriptionId } = message;
    if (!record.subscriptions?.includes(subscriptionId)) {
      this.deps.log.warn("discovery message for a subscription outside its run dropped", { runId: record.runId, subscriptionId });
      return [];
    }
    const report = (await this.records.report(record.runId, subscriptionId)) ?? queuedReport(subscriptionId);
    if (report.status === "done" || report.status === "failed") {
      await this.completion.completeIfReported(record, lease);
      return [];
    }
    try {
      await this.subscriptionRun.run(record, lease, report, delivery);
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      await this.records
        .saveReport(record.runId, { ...report, status: "running", attempts: delivery.dequeueCount, lastError })
        .catch(() => undefined);
      throw error;
    }
    return [];
  }

  /**
   * Records a message the queue gave up on: a subscription is reported failed (its previous
   * resources are carried forward when the run assembles), a plan fails the run.
   * @throws StoreUnavailableError when the store fails.
   */
  async poisoned(message: RunMessage): Promise<void> {
    const record = await this.records.get(message.runId);
    if (record === undefined || isFinal(record.status)) return;
    if (message.kind === "plan") {
      await this.finish(
        record.runId,
        "listing the subscriptions failed on every delivery of the run's plan message; nothing was committed",
      );
      await this.lock.lease(record).release();
      this.deps.log.error("discovery run failed; the previous snapshot stays current", { runId: record.runId });
      return;
    }
    if (message.kind === "devops") {
      const report = (await this.records.organizationReports(record)).find((r) => r.organization === message.organization);
      if (report === undefined || report.status === "done" || report.status === "failed") return;
      const why = report.lastError === undefined ? "" : `; last error: ${report.lastError}`;
      await this.records.saveOrganizationReport(record.runId, {
        ...report,
        status: "failed",
        finishedAt: new Date(this.now()).toISOString(),
        errors: [
          ...report.errors,
          {
            organization: report.organization,
            what: "organization",
            code: "WorkerGaveUp",
            message: `the organisation's queue message failed on every delivery and went to the poison queue${why}`,
          },
        ],
      });
      this.deps.log.error("discovery of an Azure DevOps organisation gave up; its previous snapshot will be carried forward", {
        runId: record.runId,
        organization: report.organization,
      });
      await this.completion.completeIfReported(record, this.lock.lease(record));
      return;
    }
    const { subscriptionId } = message;
    const report = (await this.records.report(record.runId, subscriptionId)) ?? queuedReport(subscriptionId);
    if (report.status === "done" || report.status === "failed") return;
    const why = report.lastError === undefined ? "" : `; last error: ${report.lastError}`;
    await this.records.saveReport(record.runId, {
      ...report,
      status: "failed",
      finishedAt: new Date(this.now()).toISOString(),
      errors: [
        ...report.errors,
        {
          subscriptionId,
          type: "*",
          code: "WorkerGaveUp",
          message: `the subscription's queue message failed on every delivery and went to the poison queue${why}`,
          attempts: report.attempts,
        },
      ],
    });
    this.deps.log.error("discovery of a subscription gave up; its previous resources will be carried forward", {
      runId: record.runId,
      subscriptionId,
    });
    await this.completion.completeIfReported(record, this.lock.lease(record));
  }

  /** The run `runId` as the API shows it, or undefined when unknown (or expired). */
  view(runId: string): Promise<RunView | undefined> {
    return this.views.read(runId);
  }

  /** The scope's latest run, or undefined when none was ever started (or it expired). */
  latest(): Promise<RunView | undefined> {
    return this.views.latest();
  }

  /** The scope's latest run without its subscriptions' reports (cheap enough for health probes). */
  latestSummary(): Promise<RunSummary | undefined> {
    return this.views.latestSummary();
  }

  /**
   * The snapshot run `runId` committed, while it is kept (the last SNAPSHOT_KEEP of the scope).
   * @throws StoreUnavailableError when the store fails.
   */
  async committed(runId: string): Promise<TopologyExport | undefined> {
    return (await this.deps.store.snapshots.read(this.deps.scope, runId))?.export;
  }

  /**
   * Takes the scope for `runId`. A refusal names the holder only when its record exists; a lock
   * still held by a run that already finished (its release failed) is let go and taken again.
   */
  private async takeScope(runId: string): Promise<{ acquired: true; lease: Lease } | { acquired: false; outcome: StartOutcome }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const taken = await this.lock.take(runId);
      if (taken.acquired) return taken;
      const holder = taken.holder === null ? undefined : await this.holderRecord(taken.holder);
      if (holder === undefined) return { acquired: false, outcome: { started: false, reason: "unrecorded", runningRunId: null } };
      if (!isFinal(holder.status)) return { acquired: false, outcome: { started: false, reason: "held", runningRunId: holder.runId } };
      await this.lock.lease(holder).release();
    }
    const holder = await this.deps.store.locks.holder(this.lock.name);
    return holder === null
      ? { acquired: false, outcome: { started: false, reason: "unrecorded", runningRunId: null } }
      : { acquired: false, outcome: { started: false, reason: "held", runningRunId: holder } };
  }

  /** The record of the lock's holder; a start that just took the lock writes it next, so an absent one is read again. */
  private async holderRecord(runId: string): Promise<RunRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.records.get(runId);
      if (record !== undefined || attempt >= HOLDER_READS) return record;
      await this.sleep(HOLDER_READ_DELAY_MS * attempt);
    }
  }

  private async plan(record: RunRecord, lease: Lease): Promise<RunMessage[]> {
    let planned: RunRecord | undefined = record;
    if (record.subscriptions === null) {
      const stats = newCallStats();
      // As in a one-process run: without the list, the previous snapshot's subscriptions. A store
      // that cannot tell what the previous snapshot was fails the delivery (it is retried).
      const listed = await visibleSubscriptions(
        await this.deps.reader(),
        stats,
        async () => (await this.previous.read())?.scope.subscriptions ?? [],
      );
      if (listed.subscriptions.length === 0 && listed.errors.length > 0) {
        // Nothing to discover and nothing known: committing would replace the snapshot with an empty one.
        throw new Error(`listing the subscriptions failed and no previous snapshot names any: ${listed.errors[0]!.message}`);
      }
      const subscriptions = uniqueSubscriptionIds(listed.subscriptions);
      planned = await this.records.transition(record.runId, (current) =>
        current.subscriptions === null
          ? { ...current, status: "running", subscriptions, planErrors: listed.errors, planStats: stats }
          : undefined,
      );
      if (planned === undefined || isFinal(planned.status)) return [];
    }
    const reports = await this.records.reports(planned);
    const subscriptions = planned.subscriptions ?? [];
    const pending = subscriptions.filter((_, i) => reports[i]!.status !== "done" && reports[i]!.status !== "failed");
    if (pending.length === 0) await this.completion.completeIfReported(planned, lease);
    return pending.map((subscriptionId) => ({ v: 1, kind: "subscription", runId: planned.runId, subscriptionId }));
  }

  /** One Azure DevOps organisation's step of the run. */
  private async organization(record: RunRecord, lease: Lease, organization: string, delivery: Delivery): Promise<RunMessage[]> {
    const report = (await this.records.organizationReports(record)).find((r) => r.organization === organization);
    if (report === undefined) {
      this.deps.log.warn("discovery message for an Azure DevOps organisation outside its run dropped", {
        runId: record.runId,
        organization,
      });
      return [];
    }
    if (report.status === "done" || report.status === "failed") {
      await this.completion.completeIfReported(record, lease);
      return [];
    }
    if (this.organizationRun === undefined) {
      // An instance whose settings name no organisation (a rolling change of DEVOPS_ORGANIZATIONS):
      // the step fails here, so the run still completes, carrying the organisation forward.
      await this.records.saveOrganizationReport(record.runId, {
        ...report,
        status: "failed",
        attempts: delivery.dequeueCount,
        finishedAt: new Date(this.now()).toISOString(),
        errors: [
          ...report.errors,
          {
            organization,
            what: "organization",
            code: "NotConfigured",
            message: "the instance that took this step has no Azure DevOps organisations configured (DEVOPS_ORGANIZATIONS)",
          },
        ],
      });
      const current = await this.records.get(record.runId);
      if (current !== undefined) await this.completion.completeIfReported(current, lease);
      return [];
    }
    try {
      await this.organizationRun.run(record, lease, report, delivery);
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      await this.records
        .saveOrganizationReport(record.runId, { ...report, status: "running", attempts: delivery.dequeueCount, lastError })
        .catch(() => undefined);
      throw error;
    }
    return [];
  }

  /** Marks the scope's latest run failed if it never finished (its lock is gone: this start took it). */
  private async abandonPrevious(): Promise<void> {
    const runId = await this.records.latest(this.deps.scope);
    if (runId !== undefined)
      await this.abandon({ runId }, "its scope lock expired (a worker stopped renewing it) and a later run took the scope");
  }

  private async abandon(record: Pick<RunRecord, "runId">, why: string): Promise<void> {
    await abandonRun(this.records, this.deps.log, record.runId, why, this.now());
  }

  private finish(runId: string, failure: string): Promise<boolean> {
    return this.records.fail(runId, failure, new Date(this.now()).toISOString());
  }
}
