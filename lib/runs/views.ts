import type { TypeStats } from "../azure/discover-subscription.js";
import type { Store } from "../cache/index.js";
import type { RunError } from "../topology/export-format.js";
import { isFinal, type OrganizationReport, type RunRecord, type RunTrigger, type SubscriptionReport } from "./records.js";
import type { RunRecords } from "./run-records.js";

/** A run as the API shows it. */
export interface RunView {
  runId: string;
  scope: string;
  status: RunRecord["status"];
  trigger: RunTrigger;
  requestedAt: string;
  finishedAt?: string;
  failure?: string;
  /** What a filtered run reads; absent for a full run. */
  filter?: RunRecord["filter"];
  progress: {
    subscriptions: { total: number | null; queued: number; running: number; done: number; failed: number };
    types: { done: number; total: number };
    resources: number;
    throttled: number;
  };
  subscriptions: Array<
    Omit<SubscriptionReport, "part" | "errors" | "types" | "stats"> & { types: Record<string, Omit<TypeStats, "type">> }
  >;
  errors: RunError[];
  /** Each Azure DevOps organisation's step, with its recorded failures; absent for a run without organisations. */
  devops?: OrganizationReport[];
  result?: RunRecord["result"];
}

/** A run's status without its subscriptions. */
export type RunSummary = Pick<RunView, "runId" | "status" | "trigger" | "requestedAt" | "finishedAt" | "failure">;

/**
 * The read model of runs for the API: a run's view and a scope's latest run. A run that is not
 * final and no longer holds its lock reads as failed (its worker died), whatever its record says.
 */
export class RunViews {
  constructor(
    private readonly store: Store,
    private readonly records: RunRecords,
    private readonly scope: string,
  ) {}

  /** The run `runId`, or undefined when unknown (or expired). */
  async read(runId: string): Promise<RunView | undefined> {
    const record = await this.records.get(runId);
    if (record === undefined) return undefined;
    const { failure: _, ...rest } = record;
    return buildRunView(
      { ...rest, ...(await this.liveStatus(record)) },
      await this.records.reports(record),
      await this.records.organizationReports(record),
    );
  }

  /** The scope's latest run, or undefined when none was ever started (or it expired). */
  async latest(): Promise<RunView | undefined> {
    const runId = await this.records.latest(this.scope);
    return runId === undefined ? undefined : this.read(runId);
  }

  /** The scope's latest run without its subscriptions' reports (cheap enough for health probes). */
  async latestSummary(): Promise<RunSummary | undefined> {
    const runId = await this.records.latest(this.scope);
    const record = runId === undefined ? undefined : await this.records.get(runId);
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

  /** A run's status as it stands: one that is not final and no longer holds its lock is dead. */
  private async liveStatus(record: RunRecord): Promise<Pick<RunRecord, "status" | "failure">> {
    if (!isFinal(record.status) && (await this.store.locks.holder(record.lock.name)) !== record.runId) {
      return { status: "failed", failure: "abandoned: its scope lock expired (a worker stopped renewing it); nothing was committed" };
    }
    return { status: record.status, ...(record.failure === undefined ? {} : { failure: record.failure }) };
  }
}

/** A run's view from its record and its subscriptions' and organisations' reports (no store call). */
export function buildRunView(record: RunRecord, reports: SubscriptionReport[], organizations: OrganizationReport[] = []): RunView {
  const count = (s: SubscriptionReport["status"]) => reports.filter((r) => r.status === s).length;
  return {
    runId: record.runId,
    scope: record.scope,
    status: record.status,
    trigger: record.trigger,
    requestedAt: record.requestedAt,
    ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
    ...(record.failure === undefined ? {} : { failure: record.failure }),
    ...(record.filter === undefined ? {} : { filter: record.filter }),
    progress: {
      subscriptions: {
        total: record.subscriptions?.length ?? null,
        queued: count("queued"),
        running: count("running"),
        done: count("done"),
        failed: count("failed"),
      },
      types: { done: sum(reports, (r) => r.typesDone), total: sum(reports, (r) => r.typesTotal) },
      resources: sum(reports, (r) => r.resources),
      throttled: sum(reports, (r) => r.throttled),
    },
    subscriptions: reports.map(({ part: _p, errors: _e, stats: _s, types, ...r }) => ({
      ...r,
      types: Object.fromEntries(types.map(({ type, ...t }) => [type, t])),
    })),
    errors: [...record.planErrors, ...reports.flatMap((r) => r.errors)],
    ...((record.organizations ?? []).length === 0 ? {} : { devops: organizations }),
    ...(record.result === undefined ? {} : { result: record.result }),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
