import type { StoreState } from "../../cache/index.js";
import type { RunSummary } from "../../runs/run-service.js";
import type { QueryStore, SnapshotSource } from "../snapshot-source.js";

/** What `GET /health` reads. */
export interface HealthContext {
  source: SnapshotSource;
  store: Pick<QueryStore, "state" | "snapshots">;
  /** The scope's latest discovery run, when runs are served. */
  lastRun?: () => Promise<RunSummary | undefined>;
  now?: () => number;
}

/** The latest discovery run, as health reports it. */
export type LastRun = RunSummary & {
  /** Seconds since it was requested. */
  ageSeconds: number;
};

/** The last committed snapshot, as health reports it. */
export interface LastSnapshot {
  runId: string;
  committedAt?: string;
  /** Seconds since the commit. */
  ageSeconds?: number;
  resources: number;
  edges: number;
  /** Failures the run recorded; null when the snapshot could not be loaded. */
  errors: number | null;
}

/** The health answer: overall status and each dependency's state. */
export interface HealthAnswer {
  status: "healthy" | "degraded" | "unhealthy";
  /** Why the status is not healthy. */
  reasons: string[];
  store: Pick<StoreState, "driver" | "state" | "breaker" | "counters">;
  snapshot: LastSnapshot | null;
  /** The latest discovery run (null when none was started, or runs are not served here). */
  lastRun: LastRun | null;
  breakers: Record<string, string>;
}

/** The anonymous health answer: the status word and nothing else. */
export interface HealthStatus {
  status: HealthAnswer["status"];
}

/** How long the anonymous status is answered from memory before the head is read again. */
export const HEALTH_STATUS_TTL_MS = 5_000;

/**
 * The anonymous status, from the store's state, the snapshot head (a manifest, never the
 * snapshot) and the latest run: `unhealthy` when the store is down (or the head unreadable) and
 * this instance holds no copy; `degraded` when the store is failing, nothing was committed, the
 * latest run failed, or the copy this instance holds of the head's run recorded errors. Never
 * throws, and says nothing else: no counters, run ids or failure text for anonymous callers.
 */
export async function healthStatus(ctx: HealthContext): Promise<HealthStatus> {
  const state = ctx.store.state();
  const held = ctx.source.peek();
  let listed = true;
  let headRunId: string | undefined;
  try {
    headRunId = (await ctx.store.snapshots.list(ctx.source.scopeKey()))[0]?.runId;
  } catch {
    listed = false;
  }
  let failed = false;
  try {
    failed = (await ctx.lastRun?.())?.status === "failed";
  } catch {
    // The store's state already says why; the run is simply unknown.
  }
  const errors = held !== undefined && held.meta.runId === headRunId ? held.meta.errors.length : 0;
  const snapshot = listed ? headRunId !== undefined : held !== undefined;
  if ((state.state === "down" || !listed) && !snapshot) return { status: "unhealthy" };
  const degraded = state.state !== "up" || !listed || !snapshot || failed || errors > 0;
  return { status: degraded ? "degraded" : "healthy" };
}

/** {@link healthStatus}, answered from memory for `ttlMs` so a flood of anonymous calls reads the head once per window. */
export function memoizedHealthStatus(
  ctx: () => HealthContext,
  ttlMs = HEALTH_STATUS_TTL_MS,
  now: () => number = Date.now,
): () => Promise<HealthStatus> {
  let memo: { at: number; value: Promise<HealthStatus> } | undefined;
  return () => {
    const t = now();
    if (memo === undefined || t - memo.at >= ttlMs || t < memo.at) memo = { at: t, value: healthStatus(ctx()) };
    return memo.value;
  };
}

/**
 * The health details (keyed route `GET /health/details`), without side effects on the data: the store's state and breaker, the last snapshot's
 * age and outcome. `unhealthy` when the store is down and this instance holds no snapshot;
 * `degraded` when the store is failing, nothing was committed yet, the last committed run recorded
 * errors, or the latest run failed.
 * Never throws.
 */
export async function healthQuery(ctx: HealthContext): Promise<HealthAnswer> {
  const now = ctx.now ?? Date.now;
  const state = ctx.store.state();
  const reasons: string[] = [];
  let snapshot: LastSnapshot | null = null;
  let listed = true;
  try {
    const [head] = await ctx.store.snapshots.list(ctx.source.scopeKey());
    if (head !== undefined) {
      const committed = head.committedAt === undefined ? undefined : Date.parse(head.committedAt);
      const loaded = await ctx.source.tryCurrent().catch(() => ctx.source.peek());
      snapshot = {
        runId: head.runId,
        ...(head.committedAt !== undefined ? { committedAt: head.committedAt } : {}),
        ...(committed !== undefined && Number.isFinite(committed)
          ? { ageSeconds: Math.max(0, Math.round((now() - committed) / 1000)) }
          : {}),
        resources: head.resources,
        edges: head.edges,
        errors: loaded?.meta.runId === head.runId ? loaded.meta.errors.length : null,
      };
    }
  } catch {
    listed = false;
    const loaded = ctx.source.peek();
    if (loaded !== undefined) {
      snapshot = {
        runId: loaded.meta.runId,
        ...(loaded.manifest.committedAt !== undefined ? { committedAt: loaded.manifest.committedAt } : {}),
        resources: loaded.manifest.resources,
        edges: loaded.manifest.edges,
        errors: loaded.meta.errors.length,
      };
    }
  }
  let lastRun: LastRun | null = null;
  try {
    const run = await ctx.lastRun?.();
    if (run !== undefined) {
      const requested = Date.parse(run.requestedAt);
      lastRun = { ...run, ageSeconds: Number.isFinite(requested) ? Math.max(0, Math.round((now() - requested) / 1000)) : 0 };
    }
  } catch {
    // The store's state already says why; the run is simply unknown.
  }
  if (lastRun?.status === "failed") reasons.push(`the last discovery run failed (${lastRun.failure ?? "no reason recorded"})`);
  if (state.state !== "up") reasons.push(`store ${state.state} (${state.driver}, breaker ${state.breaker})`);
  if (!listed) reasons.push("the snapshot head could not be read");
  if (snapshot === null && listed) reasons.push("no discovery run has been committed yet");
  if (snapshot?.errors) reasons.push(`the last run recorded ${snapshot.errors} error(s)`);
  const status = (state.state === "down" || !listed) && snapshot === null ? "unhealthy" : reasons.length > 0 ? "degraded" : "healthy";
  return {
    status,
    reasons,
    store: { driver: state.driver, state: state.state, breaker: state.breaker, counters: state.counters },
    snapshot,
    lastRun,
    breakers: { store: state.breaker },
  };
}
