import type { ArmReader } from "../azure/arm-reader.js";
import type { cachedApiVersions } from "../azure/cached-api-versions.js";
import { discoverSubscription, type SubscriptionProgress, type SubscriptionResult } from "../azure/discover-subscription.js";
import { isDiscoveryAbortedError } from "../azure/discovery-aborted.js";
import type { Lease, Store } from "../cache/index.js";
import type { Logger } from "../log/index.js";
import { partOf, type PreviousSnapshot } from "./assembly.js";
import { abandonRun, type RunCompletion } from "./completion.js";
import { queuedReport, type RunRecord, type SubscriptionReport } from "./records.js";
import type { RunRecords } from "./run-records.js";
import type { ScopeLock } from "./scope-lock.js";

/** Staged subscription parts live until the run assembles them, a day at most. */
export const RUN_PART_TTL_MS = 86_400_000;
/** Progress is written at most this often per subscription. */
const PROGRESS_INTERVAL_MS = 1_000;

/** What one subscription's delivery works with. */
export interface SubscriptionRunDeps {
  store: Store;
  log: Logger;
  scope: string;
  records: RunRecords;
  lock: ScopeLock;
  previous: PreviousSnapshot;
  completion: RunCompletion;
  reader: () => ArmReader | Promise<ArmReader>;
  apiVersions: ReturnType<typeof cachedApiVersions>;
  concurrency: number;
  /** Read the identities' federated credentials too (the run reads Azure DevOps). */
  federatedCredentials: boolean;
  now: () => number;
  onProgress?: (progress: SubscriptionProgress) => void;
}

/** Where a delivery stands, as the queue host tells it. */
export interface DeliveryCount {
  /** 1 for the first delivery of a message. */
  dequeueCount: number;
}

/**
 * One subscription of a run: discovered under the scope lock's heartbeat (a lost lease aborts
 * the ARM reads), its progress written as it goes, its resources staged as a part, its report
 * marked done; then the run is completed if it was the last to report.
 */
export class SubscriptionRun {
  constructor(private readonly deps: SubscriptionRunDeps) {}

  /**
   * Discovers `queued.subscriptionId` for `record`.
   * @throws StoreUnavailableError when the store fails (the delivery is retried).
   */
  async run(record: RunRecord, lease: Lease, queued: SubscriptionReport, delivery: DeliveryCount): Promise<void> {
    const { records, lock, now } = this.deps;
    const { subscriptionId } = queued;
    let report: SubscriptionReport = {
      ...queuedReport(subscriptionId),
      status: "running",
      attempts: delivery.dequeueCount,
      startedAt: new Date(now()).toISOString(),
      ...(queued.lastError === undefined ? {} : { lastError: queued.lastError }),
    };
    await records.saveReport(record.runId, report);
    if (record.status === "queued")
      await records.transition(record.runId, (r) => (r.status === "queued" ? { ...r, status: "running" } : undefined));

    const heartbeat = lock.heartbeat(lease);
    let lastWrite = 0;
    let writing: Promise<void> | undefined;
    let result: SubscriptionResult | undefined;
    try {
      const previous = await this.deps.previous.of(subscriptionId);
      const discovery = discoverSubscription({
        reader: await this.deps.reader(),
        subscriptionId,
        ...(record.filter === undefined ? {} : { filter: record.filter }),
        concurrency: this.deps.concurrency,
        federatedCredentials: this.deps.federatedCredentials,
        ...(previous === undefined ? {} : { previous }),
        apiVersions: (load) => this.deps.apiVersions(subscriptionId, load),
        now,
        // A run that loses its lock stops reading ARM.
        signal: heartbeat.signal,
        onProgress: (p) => {
          this.deps.onProgress?.(p);
          report = {
            ...report,
            typesDone: p.typesDone,
            typesTotal: p.typesTotal,
            resources: p.resources,
            throttled: p.throttled,
            types: p.finished === undefined ? report.types : [...report.types, p.finished],
          };
          if (writing === undefined && now() - lastWrite >= PROGRESS_INTERVAL_MS) {
            lastWrite = now();
            const snapshot = report;
            writing = records
              .saveReport(record.runId, snapshot)
              .catch((error: unknown) => this.deps.log.warn("run progress not written", { runId: record.runId, subscriptionId, error }))
              .finally(() => (writing = undefined));
          }
        },
      });
      // Waiting ends with the abort even if a read does not notice it at once.
      result = await untilAborted(discovery, heartbeat.signal).catch((error: unknown) => {
        if (isDiscoveryAbortedError(error)) return undefined;
        throw error;
      });
    } finally {
      heartbeat.stop();
      await writing;
    }
    if (result === undefined || !(await lock.holds(lease))) {
      await abandonRun(
        records,
        this.deps.log,
        record.runId,
        `its scope lock was lost while subscription ${subscriptionId} was being discovered`,
        now(),
      );
      return;
    }
    const staged = await this.deps.store.snapshots.stage(this.deps.scope, partOf(record.runId, result), { ttlMs: RUN_PART_TTL_MS });
    const { lastError: _, ...rest } = report;
    await records.saveReport(record.runId, {
      ...rest,
      status: "done",
      finishedAt: new Date(now()).toISOString(),
      typesDone: result.types.length,
      typesTotal: result.types.length,
      resources: result.resources.length,
      throttled: result.stats.throttled,
      types: result.types,
      errors: result.errors,
      stats: result.stats,
      part: staged.manifest,
    });
    await this.deps.completion.completeIfReported(record, lease);
  }
}

/** The discovery's result, or undefined once `signal` aborts (the discovery is left to settle on its own). */
export async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return undefined;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
    work.catch(() => undefined);
  }
}
